/**
 * Pulling, pushing and building images: their options, and the progress podman reports as it
 * works (a `Stream` a caller can draw as a progress bar).
 *
 * podman 4 reports phases and blobs, not bytes, when its output is not a terminal (the CLI) and on
 * its libpod API: a progress display counts blobs and build steps.
 *
 * @since 0.3.0
 */

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
export type ImageProgress =
  | { readonly _tag: "Status"; readonly text: string }
  | { readonly _tag: "Blob"; readonly kind: "layer" | "config"; readonly digest: string }
  | { readonly _tag: "Step"; readonly index: number; readonly total: number; readonly instruction: string }
  | { readonly _tag: "Output"; readonly line: string }
  | { readonly _tag: "Done"; readonly id: string }

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
export interface TransferOptions {
  /** Require HTTPS and verify certificates (default true). */
  readonly tlsVerify?: boolean | undefined
}

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
export interface BuildOptions {
  /** The Containerfile, relative to the context (default `Containerfile`, else `Dockerfile`). */
  readonly containerfile?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly buildArgs?: Readonly<Record<string, string>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The stage to build, in a multi-stage Containerfile. */
  readonly target?: string | undefined
  /**
   * The image format: `oci` (podman's default) or `docker`, which keeps what OCI images cannot
   * hold — a `HEALTHCHECK` (that `Wait.forHealthy` then runs), `SHELL`, `STOPSIGNAL`.
   */
  readonly format?: "oci" | "docker" | undefined
}

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
