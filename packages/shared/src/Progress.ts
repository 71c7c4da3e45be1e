/**
 * What podman reports while it pulls, pushes or builds an image, read from its output lines, for
 * both editions. podman 4.3 reports no byte counts when its output is not a terminal (nor on the
 * libpod API): progress is phases, blobs and build steps.
 *
 * @since 0.4.0
 */

/**
 * One thing podman reported: a phase (`Status`), a blob being copied, a build step, a line of a
 * build step's output, and — last — the image's id (`Done`).
 *
 * @since 0.4.0
 * @category models
 */
export type ImageProgress =
  | { readonly _tag: "Status"; readonly text: string }
  | { readonly _tag: "Blob"; readonly kind: "layer" | "config"; readonly digest: string }
  | { readonly _tag: "Step"; readonly index: number; readonly total: number; readonly instruction: string }
  | { readonly _tag: "Output"; readonly line: string }
  | { readonly _tag: "Done"; readonly id: string }

/**
 * A line podman printed while pulling, pushing or building, as progress.
 *
 * @example
 * ```ts
 * import { Progress } from "effect-podman-shared"
 *
 * Progress.parseLine("STEP 2/5: RUN make") // { _tag: "Step", index: 2, total: 5, instruction: "RUN make" }
 * ```
 *
 * @since 0.4.0
 */
export const parseLine = (line: string): ImageProgress => {
  const blob = /^Copying (blob|config) (sha256:[0-9a-f]{64})/.exec(line)
  if (blob !== null) return { _tag: "Blob", kind: blob[1] === "blob" ? "layer" : "config", digest: blob[2]! }
  const step = /^STEP (\d+)\/(\d+): (.*)$/.exec(line)
  if (step !== null) return { _tag: "Step", index: Number(step[1]), total: Number(step[2]), instruction: step[3]! }
  return /^(Trying to pull|Getting image source signatures|Writing manifest|Storing signatures|Copying |COMMIT|--> |Successfully tagged|Pushing|Resolving)/
      .test(line)
    ? { _tag: "Status", text: line }
    : { _tag: "Output", line }
}

/**
 * Whether a line is an image id as podman prints it last (64 hex digits).
 *
 * @example
 * ```ts
 * import { Progress } from "effect-podman-shared"
 *
 * Progress.isImageId("Writing manifest to image destination") // false
 * ```
 *
 * @since 0.4.0
 */
export const isImageId = (line: string): boolean => /^[0-9a-f]{64}$/.test(line)
