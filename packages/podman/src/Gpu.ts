/**
 * GPU (CDI) failure classification.
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import { CDI_HINT, GpuConfigError } from "./PodmanError.js"

/**
 * Substrings of podman's stderr that mark a CDI / GPU misconfiguration.
 *
 * @since 0.1.0
 * @category constants
 */
export const CDI_ERROR_PATTERNS: ReadonlyArray<string> = [
  "cdi.k8s.io",
  "nvidia.com/gpu",
  "amd.com/gpu",
  "intel.com/gpu",
  "CDI"
]

const decoder = new TextDecoder("utf-8", { fatal: false })

/**
 * Classifies a failed launch: `Option.some(GpuConfigError)` when podman's stderr (text or bytes)
 * matches a CDI failure pattern, `Option.none()` otherwise.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * Gpu.classifyGpuError("Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all")
 * // Option.some(GpuConfigError { ... })
 * Gpu.classifyGpuError("Error: no such container") // Option.none()
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const classifyGpuError = (
  stderr: string | Uint8Array,
  argv: ReadonlyArray<string> = []
): Option.Option<GpuConfigError> => {
  const text = typeof stderr === "string" ? stderr : decoder.decode(stderr)
  return CDI_ERROR_PATTERNS.some((pattern) => text.includes(pattern))
    ? Option.some(new GpuConfigError({ argv, stderr: text.trim(), hint: CDI_HINT }))
    : Option.none()
}
