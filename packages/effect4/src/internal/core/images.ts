/**
 * Images on any backend of the Effect 4 edition: references and paths checked before podman runs,
 * a build's Containerfile found (`Containerfile`, else `Dockerfile`), listings read into handles.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as Limits from "effect-podman-shared/Limits"
import { shorten } from "effect-podman-shared/Messages"
import type * as Progress from "effect-podman-shared/Progress"
import { access } from "node:fs/promises"
import { isAbsolute, join, resolve } from "node:path"
import { BuildFailed } from "../../ContainerError.js"
import type { Service } from "../../ContainerRuntime.js"
import type * as Images from "../../Images.js"
import type { BuildOptions } from "../../Images.js"
import { InvalidArgument } from "../../PodmanError.js"
import type { NonZeroExit, PodmanError } from "../../PodmanError.js"
import type { Driver } from "./driver.js"
import { equalBy } from "./handle.js"

/** An operand podman would misread (empty, or read as a flag) is refused before it runs. */
const operand = (argument: string, value: string): Effect.Effect<void, InvalidArgument> => {
  const problem = Limits.argumentProblem(argument, value, { operand: true })
  return problem === undefined
    ? Effect.void
    : Effect.fail(new InvalidArgument({ ...problem, value: shorten(problem.value) }))
}

const exists = (path: string) => Effect.promise(() => access(path).then(() => true, () => false))

/** A build's settings: its context checked and resolved, its Containerfile found, its tags checked. */
const buildSettings = (context: string, options: BuildOptions) =>
  Effect.gen(function*() {
    yield* operand("build context", context)
    if (
      options.containerfile !== undefined &&
      (isAbsolute(options.containerfile) || options.containerfile.split("/").includes(".."))
    ) {
      return yield* new InvalidArgument({
        argument: "containerfile",
        value: shorten(options.containerfile),
        reason: "is a path inside the build context (relative, no '..')"
      })
    }
    const dir = resolve(context)
    const containerfile = options.containerfile ??
      ((yield* exists(join(dir, "Containerfile"))) || !(yield* exists(join(dir, "Dockerfile")))
        ? "Containerfile"
        : "Dockerfile")
    for (const tag of options.tags ?? []) yield* operand("image reference", tag)
    const problem = Limits.buildProblem(options)
    if (problem !== undefined) return yield* new InvalidArgument({ ...problem, value: shorten(problem.value) })
    return Argv.buildSettings(dir, containerfile, options)
  })

const OUTPUT_TAIL = 20

/** A build's progress; a failed step is `BuildFailed`, with the step and the output before it. */
const buildProgress = (
  driver: Driver,
  context: string,
  options: BuildOptions
): Stream.Stream<Progress.ImageProgress, PodmanError | BuildFailed> =>
  Stream.unwrap(Effect.map(buildSettings(context, options), (settings) => {
    let step = "(before the first step)"
    const output: Array<string> = []
    return driver.images.progress({ _tag: "Build", settings }).pipe(
      Stream.tap((progress) =>
        Effect.sync(() => {
          if (progress._tag === "Step") step = progress.instruction
          if (progress._tag === "Output" && output.push(progress.line) > OUTPUT_TAIL) output.shift()
        })
      ),
      Stream.catchIf(
        (error): error is NonZeroExit => error._tag === "NonZeroExit" && error.reason._tag === "Other",
        (error) =>
          Stream.fail(
            new BuildFailed({
              step,
              outputTail: [...output],
              detail: error.stderr.trim().split("\n").at(-1) ?? "",
              ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode })
            })
          )
      )
    )
  }))

/** `repository:tag` split at the tag's colon (a registry's port is not a tag). */
const split = (ref: string) => {
  const colon = ref.lastIndexOf(":")
  return colon > ref.lastIndexOf("/") ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) } : undefined
}

/** A handle on an image by reference: each operation asks podman. */
const handle = (driver: Driver) => (ref: string): Images.Image => {
  const named = <A, E>(effect: Effect.Effect<A, E>) => Effect.andThen(operand("image reference", ref), effect)
  const inspect = named(driver.images.inspect(ref))
  return {
    ...equalBy("image", ref),
    ref,
    id: Effect.map(inspect, Option.map((image) => image.id)),
    exists: Effect.map(inspect, Option.isSome),
    labels: named(driver.images.labels(ref)),
    history: named(driver.images.history(ref)),
    digest: Effect.map(inspect, Option.flatMap((image) => Option.fromNullishOr(image.digest))),
    remove: named(driver.images.remove(ref, false))
  }
}

/** @internal */
export const make = (driver: Driver): Pick<
  Service,
  | "image"
  | "pruneImages"
  | "pull"
  | "pullProgress"
  | "push"
  | "pushProgress"
  | "build"
  | "buildProgress"
  | "tagImage"
  | "removeImage"
  | "images"
> => {
  const image = handle(driver)
  return {
    pruneImages: driver.images.prune,
    pullProgress: (ref, options) =>
      Stream.unwrap(
        Effect.as(
          operand("image reference", ref),
          driver.images.progress({ _tag: "Pull", ref, tlsVerify: options?.tlsVerify ?? true })
        )
      ),
    pushProgress: (ref, destination = ref, options) =>
      Stream.unwrap(Effect.as(
        Effect.andThen(operand("image reference", ref), operand("push destination", destination)),
        driver.images.progress({ _tag: "Push", ref, destination, tlsVerify: options?.tlsVerify ?? true })
      )),
    buildProgress: (context, options = {}) => buildProgress(driver, context, options),
    image,
    pull: Effect.fn("podman image.pull")(function*(ref: string, options?: Images.TransferOptions) {
      yield* Effect.annotateCurrentSpan("podman.image", ref)
      yield* operand("image reference", ref)
      yield* driver.images.pull(ref, options?.tlsVerify ?? true)
      return image(ref)
    }),
    push: Effect.fn("podman image.push")(
      function*(ref: string, destination: string = ref, options?: Images.TransferOptions) {
        yield* Effect.annotateCurrentSpan("podman.image", destination)
        yield* operand("image reference", ref)
        yield* operand("push destination", destination)
        yield* driver.images.push(ref, destination, options?.tlsVerify ?? true)
        // the digest podman holds for the destination's name, else for the image pushed
        const digest = yield* image(destination).digest
        return Option.isSome(digest) ? digest : yield* image(ref).digest
      }
    ),
    build: Effect.fn("podman image.build")(function*(context: string, options: BuildOptions = {}) {
      yield* Effect.annotateCurrentSpan("podman.context", context)
      const last = yield* Stream.runLast(buildProgress(driver, context, options))
      return Option.isSome(last) && last.value._tag === "Done"
        ? image(options.tags?.[0] ?? last.value.id)
        : yield* Effect.die(new Error("podman's build ended without the image's id"))
    }),
    tagImage: (ref, target) =>
      Effect.andThen(
        Effect.andThen(operand("image reference", ref), operand("image reference", target)),
        driver.images.tag(ref, target)
      ).pipe(
        Effect.as(image(target))
      ),
    removeImage: (ref, options) =>
      Effect.andThen(operand("image reference", ref), driver.images.remove(ref, options?.force ?? false)),
    images: (options) =>
      Effect.andThen(
        options?.label === undefined ? Effect.void : operand("label", options.label),
        Effect.map(driver.images.list(options?.label), (all) =>
          all.map((image) => {
            const parts = image.ref === image.id ? undefined : split(image.ref)
            return {
              ref: image.ref,
              id: image.id,
              repository: Option.fromNullishOr(parts?.repository),
              tag: Option.fromNullishOr(parts?.tag),
              size: image.size,
              created: Number.isFinite(image.created) && image.created > 0
                ? Option.some(new Date(image.created * 1000))
                : Option.none()
            }
          }).filter((listing) => options?.danglingOnly !== true || Option.isNone(listing.tag)))
      )
  }
}
