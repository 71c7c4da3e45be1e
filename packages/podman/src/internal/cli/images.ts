/**
 * Pulling, pushing, building, tagging and pruning images through the podman CLI. Progress is read
 * from podman's output lines (phases and blobs on stderr; build steps and their output on both).
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import type { ImageDriver } from "../core/driver.js"
import * as Failures from "../core/failures.js"
import * as Json from "../core/podmanJson.js"
import * as Progress from "effect-podman-shared/Progress"
import { operand } from "./runner.js"
import type { Arg, Runner } from "./runner.js"
import { checkExit, lines, tailKeeper } from "./streams.js"

const image = (ref: string) => operand("image reference", ref)

/** @internal */
export const make = (runner: Runner): ImageDriver => {
  /**
   * A child's lines as progress; its last stdout line that is an image id ends it as `Done`. A
   * transfer (pull, push) that says nothing for the layer's `timeout` — a registry that accepts and
   * never answers, a service gone from under podman-remote — fails with `Timeout` and its child is
   * killed; a build's steps may be silent as long as they run.
   */
  const progress = (args: ReadonlyArray<Arg>, done: Effect.Effect<string, unknown> | undefined = undefined) =>
    Stream.unwrapScoped(Effect.map(runner.start(args), (child) => {
      const stderr = tailKeeper(20)
      let id = ""
      const out = Stream.merge(
        Stream.tap(lines(child.process.stdout), (line) => Effect.sync(() => void (Progress.isImageId(line) && (id = line)))),
        Stream.tap(lines(child.process.stderr), stderr.keep)
      ).pipe(
        // podman's own last words ("Error: building at STEP …") are the failure's, not output
        Stream.filter((line) => line !== "" && !Progress.isImageId(line) && !line.startsWith("Error: ")),
        Stream.map(Progress.parseLine)
      )
      const finish = Stream.suspend(() =>
        done === undefined
          ? Stream.make({ _tag: "Done" as const, id })
          : Stream.fromEffect(Effect.map(Effect.orDie(done), (resolved) => ({ _tag: "Done" as const, id: resolved })))
      )
      const transfer = args[0] === "pull" || args[0] === "push"
      const bounded = transfer ? Stream.timeoutFail(out, () => Failures.timeout(child.argv, runner.config.timeout), runner.config.timeout) : out
      return Stream.concat(Stream.concat(bounded, checkExit(child, stderr.text)), finish)
    }))

  const idOf = (ref: string) =>
    Effect.map(
      runner.run(["image", "inspect", "--format", "{{.Id}}", image(ref)]),
      (output) => output.stdout.trim()
    )

  return {
    pull: (ref, tlsVerify) => progress(Argv.imageArgs.pull(image(ref), tlsVerify)),
    push: (ref, destination, tlsVerify) =>
      progress(Argv.imageArgs.push<Arg>(image(ref), operand("push destination", destination), tlsVerify), idOf(ref)),
    build: (settings) => progress(Argv.imageArgs.build<Arg>(settings, operand)),
    tag: (ref, target) => Effect.asVoid(runner.run(Argv.imageArgs.tag(image(ref), image(target)))),
    prune: Effect.map(
      runner.run(["image", "prune", "--force"]),
      (output) => output.stdout.split("\n").filter(Progress.isImageId)
    ),
    digest: (ref) =>
      Effect.map(
        runner.exec(["image", "inspect", "--format", "{{.Digest}}", image(ref)]),
        (output) => {
          const digest = output.stdout.trim()
          return output.exitCode === 0 && /^sha256:[0-9a-f]{64}$/.test(digest) ? Option.some(digest) : Option.none()
        }
      ),
    listLabeled: (label) =>
      runner.run(Argv.imageArgs.listLabeled(label)).pipe(
        Effect.flatMap(Json.decode(Json.ImagesJson)),
        Effect.map(Json.toImageSummaries)
      )
  }
}
