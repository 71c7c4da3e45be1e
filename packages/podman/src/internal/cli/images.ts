/**
 * Pulling, pushing, building, tagging and pruning images through the podman CLI. Progress is read
 * from podman's output lines (phases and blobs on stderr; build steps and their output on both).
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as Progress from "effect-podman-shared/Progress"
import * as Scratch from "effect-podman-shared/Scratch"
import type { ImageDriver } from "../core/driver.js"
import * as Failures from "../core/failures.js"
import * as Json from "../core/podmanJson.js"
import { operand, scratch } from "./runner.js"
import type { Arg, Runner } from "./runner.js"
import { checkExit, lines, tailKeeper } from "./streams.js"

const image = (ref: string) => operand("image reference", ref)

/** @internal */
export const make = (runner: Runner): ImageDriver => {
  /**
   * A child's lines as progress; its last stdout line that is an image id ends it as `Done`. A
   * transfer (pull, push) that says nothing for the layer's `timeout` — a registry that accepts and
   * never answers, a service gone from under podman-remote — fails with `Timeout` and its child is
   * killed; a build's steps may be silent as long as they run. Each child runs with a scratch
   * `TMPDIR` (a build brings its own): what a killed pull or push leaves there goes with it.
   */
  const progress = (
    args: ReadonlyArray<Arg>,
    done: Effect.Effect<string, unknown> | undefined = undefined,
    own: Record<string, string> | undefined = undefined
  ) =>
    Stream.unwrapScoped(Effect.map(
      Effect.flatMap(own === undefined ? Effect.map(scratch, (s) => s.env) : Effect.succeed(own), (env) =>
        runner.start(args, { env })),
      (child) => {
        const stderr = tailKeeper(20)
        let id = ""
        const out = Stream.merge(
          Stream.tap(lines(child.process.stdout), (line) =>
            Effect.sync(() =>
              void (Progress.isImageId(line) && (id = line))
            )),
          Stream.tap(lines(child.process.stderr), stderr.keep)
        ).pipe(
          // podman's own last words ("Error: building at STEP …") are the failure's, not output
          Stream.filterMap((line) =>
            Option.fromNullable(
              line !== "" && !Progress.isImageId(line) && !line.startsWith("Error: ")
                ? Scratch.withoutMarker(line)
                : undefined
            )
          ),
          Stream.map(Progress.parseLine)
        )
        const finish = Stream.suspend(() =>
          done === undefined
            ? Stream.make({ _tag: "Done" as const, id })
            : Stream.fromEffect(Effect.map(Effect.orDie(done), (resolved) => ({ _tag: "Done" as const, id: resolved })))
        )
        const transfer = args[0] === "pull" || args[0] === "push"
        const bounded = transfer
          ? Stream.timeoutFail(out, () =>
            Failures.timeout(child.argv, runner.config.timeout), runner.config.timeout)
          : out
        return Stream.concat(Stream.concat(bounded, checkExit(child, stderr.text)), finish)
      }
    ))

  /**
   * What a build that did not finish left (podman exits on a signal without cleaning up; a podman
   * service goes on with a build whose client went away): the working containers marked with its
   * id, and their steps' processes and bundles. Best effort, each call bounded by the layer's
   * `timeout`; the scratch folder goes with the scope.
   */
  const leftovers = (folder: string | undefined, id: string) =>
    Effect.gen(function*() {
      const candidates = Scratch.candidatesOf((yield* runner.run(Scratch.LIST_EXTERNAL)).stdout)
      const store = candidates.length === 0
        ? ""
        : (yield* runner.run(["info", "--format", Scratch.STORE_FORMAT])).stdout
      const ours = yield* Effect.promise(() => Scratch.workingContainers(store, candidates, id))
      // the steps first: a podman service goes on with a build whose client went away
      const killed = yield* Effect.promise(() => Scratch.endSteps(folder, ours))
      if (ours.length > 0) yield* runner.run(["rm", "--force", ...ours])
      yield* Effect.logDebug(
        `removed what an interrupted build left: working containers ${ours.join(", ")}; step processes ${
          killed.join(", ")
        }`
      )
    }).pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("could not remove what an interrupted build left", cause))
    )

  const build = (settings: Argv.BuildSettings) =>
    Stream.unwrapScoped(Effect.gen(function*() {
      const { env, folder } = yield* scratch
      const id = crypto.randomUUID()
      // a build that did not finish (interrupted, failed, or its stream cut short) may have left
      // what podman, killed, could not remove
      let finished = false
      yield* Effect.addFinalizer(() => finished ? Effect.void : leftovers(folder, id))
      const [command, ...rest] = Argv.imageArgs.build<Arg>(settings, operand)
      return Stream.tap(
        progress([command!, ...Scratch.markerArgs(id), ...rest], undefined, env),
        (event) => Effect.sync(() => void (event._tag === "Done" && (finished = true)))
      )
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
    build,
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
