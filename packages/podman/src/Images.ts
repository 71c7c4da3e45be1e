/**
 * Pulling, pushing and building images: their options, and the progress podman reports as it
 * works (a `Stream` a caller can draw as a progress bar).
 *
 * podman 4 reports phases and blobs, not bytes, when its output is not a terminal (the CLI) and on
 * its libpod API: a progress display counts blobs and build steps.
 *
 * @since 0.3.0
 */
import type * as Argv from "effect-podman-shared/Argv"
import type * as Progress from "effect-podman-shared/Progress"

/**
 * One thing podman reported while pulling, pushing or building:
 * - `Status`: a phase ("Trying to pull …", "Writing manifest to image destination", …);
 * - `Blob`: a layer or the config being copied, by digest;
 * - `Step`: a build step starting (`index` of `total`, and its instruction);
 * - `Output`: a line a build step printed;
 * - `Done`: the image id (always last).
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman"
 *
 * const describe = (progress: Images.ImageProgress): string => {
 *   switch (progress._tag) {
 *     case "Blob": return `copying ${progress.kind} ${progress.digest.slice(7, 19)}`
 *     case "Step": return `step ${progress.index}/${progress.total}: ${progress.instruction}`
 *     case "Done": return `image ${progress.id.slice(0, 12)}`
 *     default: return progress._tag === "Status" ? progress.text : progress.line
 *   }
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type ImageProgress = Progress.ImageProgress

/**
 * Options of `pull` and `push`.
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman"
 *
 * const local: Images.TransferOptions = { tlsVerify: false } // a registry on loopback, over HTTP
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type TransferOptions = Argv.TransferOptions

/**
 * Options of `build`.
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman"
 *
 * const options: Images.BuildOptions = {
 *   containerfile: "Containerfile",
 *   tags: ["localhost/app:dev"],
 *   buildArgs: { VERSION: "1.2.0" },
 *   labels: { team: "payments" }
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type BuildOptions = Argv.BuildOptions

/**
 * When `create` pulls the image: `never` (absent is `NonZeroExit` `NoSuchImage`), `missing`
 * (podman's default) or `always`.
 *
 * @example
 * ```ts
 * import type { Images } from "effect-podman"
 *
 * const offline: Images.PullPolicy = "never"
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type PullPolicy = "never" | "missing" | "always"
