/**
 * Pulling, pushing and building, derived from the driver: input checks, the result of a progress
 * stream, and a failed build step as `BuildFailed`.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import { buildSettings } from "effect-podman-shared/Argv"
import * as Limits from "effect-podman-shared/Limits"
import { isAbsolute, resolve } from "node:path"
import type { Image } from "../../Container.js"
import { BuildFailed } from "../../ContainerError.js"
import type { BuildOptions, ImageProgress, TransferOptions } from "../../Images.js"
import type { PodmanError } from "../../PodmanError.js"
import type { Driver } from "./driver.js"
import * as Validate from "./validate.js"

const OUTPUT_TAIL = 50

/** The image id a progress stream ends with (`Done`). */
const doneId = <E>(progress: Stream.Stream<ImageProgress, E>) =>
  Effect.flatMap(Stream.runLast(progress), (last) =>
    Option.match(Option.filter(last, (p) => p._tag === "Done"), {
      onNone: () => Effect.dieMessage("podman ended without an image id"),
      onSome: (done) => Effect.succeed((done as Extract<ImageProgress, { _tag: "Done" }>).id)
    }))

/** @internal */
export const make = (driver: Driver, image: (ref: string) => Image) => {
  const pullProgress = (ref: string, options?: TransferOptions): Stream.Stream<ImageProgress, PodmanError> =>
    Stream.unwrap(Effect.as(
      Validate.operand("image reference", ref),
      driver.images.pull(ref, options?.tlsVerify ?? true).pipe(
        Stream.withSpan("podman image.pull", { attributes: { "podman.image": ref } })
      )
    ))

  const pushProgress = (
    ref: string,
    destination: string = ref,
    options?: TransferOptions
  ): Stream.Stream<ImageProgress, PodmanError> =>
    Stream.unwrap(Effect.as(
      Effect.zipRight(Validate.operand("image reference", ref), Validate.operand("push destination", destination)),
      driver.images.push(ref, destination, options?.tlsVerify ?? true).pipe(
        Stream.withSpan("podman image.push", { attributes: { "podman.image": ref, "podman.destination": destination } })
      )
    ))

  /** The build's progress; a failed step becomes `BuildFailed` with the step and the output before it. */
  const buildProgress = (
    context: string,
    options: BuildOptions = {}
  ): Stream.Stream<ImageProgress, PodmanError | BuildFailed> =>
    Stream.unwrap(Effect.gen(function*() {
      const dir = yield* Validate.operand("build context", context)
      const containerfile = options.containerfile ?? "Containerfile"
      if (isAbsolute(containerfile) || containerfile.split("/").includes("..")) {
        return yield* Validate.invalid(
          "containerfile",
          containerfile,
          "is a path inside the build context (relative, no '..')"
        )
      }
      yield* Effect.forEach(options.tags ?? [], (tag) => Validate.operand("image tag", tag), { discard: true })
      const problem = Limits.buildProblem(options)
      if (problem !== undefined) return yield* Validate.invalid(problem.argument, problem.value, problem.reason)
      let step = "(before the first step)"
      const output: Array<string> = []
      return driver.images.build(buildSettings(resolve(dir), containerfile, options)).pipe(
        Stream.tap((progress) =>
          Effect.sync(() => {
            if (progress._tag === "Step") step = progress.instruction
            if (progress._tag === "Output" && output.push(progress.line) > OUTPUT_TAIL) output.shift()
          })
        ),
        Stream.catchAll((error): Stream.Stream<never, PodmanError | BuildFailed> =>
          error._tag === "NonZeroExit" && error.reason === "Other"
            ? Stream.fail(
              new BuildFailed({
                step,
                outputTail: [...output],
                detail: error.stderr.trim().split("\n").at(-1) ?? "",
                ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode })
              })
            )
            : Stream.fail(error)
        ),
        Stream.withSpan("podman image.build", { attributes: { "podman.context": context } })
      )
    }))

  return {
    pullProgress,
    pull: (ref: string, options?: TransferOptions) => Effect.map(doneId(pullProgress(ref, options)), () => image(ref)),
    pushProgress,
    push: (ref: string, destination?: string, options?: TransferOptions) =>
      Effect.flatMap(
        doneId(pushProgress(ref, destination, options)),
        () =>
          Effect.flatMap(
            driver.images.digest(destination ?? ref),
            Option.match({
              onNone: () => driver.images.digest(ref),
              onSome: (digest) => Effect.succeed(Option.some(digest))
            })
          )
      ),
    buildProgress,
    build: (context: string, options?: BuildOptions) =>
      Effect.map(doneId(buildProgress(context, options)), (id) => image(options?.tags?.[0] ?? id)),
    pruneImages: driver.images.prune
  }
}
