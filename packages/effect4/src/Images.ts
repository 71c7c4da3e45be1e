/**
 * Images: what `ContainerRuntime`'s `pull`, `push`, `build`, `tagImage`, `removeImage` and
 * `images` take and give.
 *
 * @since 0.4.0
 */
import type { Option } from "effect"
import type * as Argv from "effect-podman-shared/Argv"

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
}
