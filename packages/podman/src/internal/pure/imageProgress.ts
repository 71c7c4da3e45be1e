/**
 * podman's progress lines (`pull`, `push`, `build`) as `ImageProgress`.
 *
 * @internal
 */
import type { ImageProgress } from "../../Images.js"

/** A line podman printed while pulling, pushing or building. @internal */
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

/** An image id as podman prints it last (64 hex digits). @internal */
export const isImageId = (line: string): boolean => /^[0-9a-f]{64}$/.test(line)
