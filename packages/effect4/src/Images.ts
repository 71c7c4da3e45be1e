/**
 * Images: what `ContainerRuntime`'s `pull`, `push`, `build`, `tagImage`, `removeImage` and
 * `images` take and give.
 *
 * @since 0.4.0
 */
import type { Effect, Equal, Option } from "effect"
import type * as Argv from "effect-podman-shared/Argv"
import type * as Progress from "effect-podman-shared/Progress"
import type { PodmanError } from "./PodmanError.js"

/**
 * Options of a pull or a push: `tlsVerify: false` for a registry over plain HTTP (a test registry
 * on loopback); default `true`.
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman-4"
 *
 * const local: Images.TransferOptions = { tlsVerify: false }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type TransferOptions = Argv.TransferOptions

/**
 * Options of a build: the Containerfile (relative to the context; default `Containerfile`), tags,
 * build arguments, labels, the stage to build, the image format (`docker` keeps a `HEALTHCHECK`).
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman-4"
 *
 * const options: Images.BuildOptions = { tags: ["localhost/app:dev"], buildArgs: { VERSION: "1.2" } }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type BuildOptions = Argv.BuildOptions

/**
 * One thing podman reported while pulling, pushing or building: a phase (`Status`), a blob, a
 * build step, a line of a step's output, and last the image's id (`Done`). (podman 4.3 reports no
 * byte counts when its output is not a terminal.)
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman-4"
 *
 * const describe = (progress: Images.ImageProgress): string =>
 *   progress._tag === "Step" ? `step ${progress.index}/${progress.total}: ${progress.instruction}` : progress._tag
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ImageProgress = Progress.ImageProgress

/**
 * A local image of a listing, one per name (an untagged image once, by its id).
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman-4"
 *
 * const names = (all: ReadonlyArray<Images.ImageListing>) => all.map((image) => image.ref)
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ImageListing {
  /** `repository:tag`, or the id of an untagged image. */
  readonly ref: string
  readonly id: string
  readonly repository: Option.Option<string>
  readonly tag: Option.Option<string>
  readonly size: number
  /** When the image was made (built, or committed where it was pulled from). */
  readonly created: Option.Option<Date>
}

/**
 * A handle on an image by reference (it need not exist: each operation asks podman); handles on
 * one reference are `Equal`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Images } from "effect-podman-4"
 *
 * const describe = (image: Images.Image) =>
 *   Effect.all({ exists: image.exists, labels: image.labels, steps: image.history })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Image extends Equal.Equal {
  readonly ref: string
  /** Its id; none when it is absent. */
  readonly id: Effect.Effect<Option.Option<string>, PodmanError>
  readonly exists: Effect.Effect<boolean, PodmanError>
  /** Its labels (an absent image is a `NonZeroExit` `NoSuchImage`). */
  readonly labels: Effect.Effect<Readonly<Record<string, string>>, PodmanError>
  /** The `CreatedBy` of each step, newest first (an absent image is `NoSuchImage`). */
  readonly history: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** Its manifest digest (`sha256:…`, which podman reports for a local image too); none when absent. */
  readonly digest: Effect.Effect<Option.Option<string>, PodmanError>
  /** Removes it: false when absent or in use. */
  readonly remove: Effect.Effect<boolean, PodmanError>
}

/**
 * When `create` pulls the image: `never` (absent is `NonZeroExit` `NoSuchImage`), `missing`
 * (podman's default) or `always`.
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman-4"
 *
 * const offline: Images.PullPolicy = "never"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PullPolicy = "never" | "missing" | "always"
