/**
 * GPU passthrough through CDI, the pure part: which device kinds exist, the `podman run`
 * arguments a selector stands for, and whether a failed launch was a CDI misconfiguration.
 * Re-exported by the public `Gpu` module; a leaf that imports nothing of the package but its errors.
 *
 * @internal
 */
import { Either, Option } from "effect"
import { CDI_HINT, GpuConfigError, InvalidArgument } from "../../PodmanError.js"

/**
 * Substrings of podman's stderr that mark a CDI / GPU misconfiguration.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * const looksLikeCdi = (stderr: string) => Gpu.CDI_ERROR_PATTERNS.some((pattern) => stderr.includes(pattern))
 * ```
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
 * @category GPU
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

/**
 * GPU vendors with a CDI device kind.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * const vendor: Gpu.GpuVendor = "amd"
 * const kind = Gpu.CDI_KINDS[vendor] // "amd.com/gpu"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type GpuVendor = "nvidia" | "amd" | "intel"

/**
 * The CDI device kind of each vendor.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * Gpu.CDI_KINDS.nvidia // "nvidia.com/gpu"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const CDI_KINDS: Readonly<Record<GpuVendor, string>> = {
  nvidia: "nvidia.com/gpu",
  amd: "amd.com/gpu",
  intel: "intel.com/gpu"
}

/**
 * Where CDI specs live when podman does not say (podman 4 reads these two; it ignores
 * `cdi_spec_dirs` in containers.conf).
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * Gpu.DEFAULT_CDI_SPEC_DIRS // ["/etc/cdi", "/var/run/cdi"]
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CDI_SPEC_DIRS: ReadonlyArray<string> = ["/etc/cdi", "/var/run/cdi"]

/**
 * What {@link gpuRunArgs} accepts.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman"
 *
 * const selector: Gpu.GpuSelector = "nvidia:0,nvidia:1"
 * const args = Gpu.gpuRunArgs(selector)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type GpuSelector = boolean | "all" | GpuVendor | (string & {}) | undefined

const VALID_SELECTORS = "false, true, \"all\", \"nvidia\", \"amd\", \"intel\", or a list of single devices such as " +
  "\"nvidia:0,nvidia:1\" (vendor:index, comma-separated)"

/**
 * The `podman run` arguments for GPU passthrough through CDI:
 * - `false` / `undefined` → `[]`;
 * - `true`, `"all"`, `"nvidia"` → `--device nvidia.com/gpu=all -e NVIDIA_VISIBLE_DEVICES=all
 *   -e NVIDIA_DRIVER_CAPABILITIES=all`;
 * - `"amd"` / `"intel"` → `--device amd.com/gpu=all` / `--device intel.com/gpu=all`;
 * - `"nvidia:0,nvidia:1"` → one `--device` per listed device (NVIDIA's variables name them).
 *
 * Anything else is an `InvalidArgument` that lists the valid forms.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { Gpu } from "effect-podman"
 *
 * Gpu.gpuRunArgs(true)
 * // Either.right(["--device", "nvidia.com/gpu=all", "-e", "NVIDIA_VISIBLE_DEVICES=all", "-e", "NVIDIA_DRIVER_CAPABILITIES=all"])
 * Gpu.gpuRunArgs("nvidia:0,nvidia:1") // Either.right(["--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=1", …])
 * Either.isLeft(Gpu.gpuRunArgs("tpu")) // true
 * ```
 *
 * @since 0.1.0
 * @category GPU
 */
export const gpuRunArgs = (selector: GpuSelector): Either.Either<ReadonlyArray<string>, InvalidArgument> => {
  if (selector === false || selector === undefined) return Either.right([])
  const text = selector === true ? "all" : selector
  const nvidia = (devices: ReadonlyArray<string>) => [
    ...devices.flatMap((device) => ["--device", `${CDI_KINDS.nvidia}=${device}`]),
    "-e",
    `NVIDIA_VISIBLE_DEVICES=${devices.join(",")}`,
    "-e",
    "NVIDIA_DRIVER_CAPABILITIES=all"
  ]
  if (text === "all" || text === "nvidia") return Either.right(nvidia(["all"]))
  if (text === "amd" || text === "intel") return Either.right(["--device", `${CDI_KINDS[text as GpuVendor]}=all`])
  const parts = text.split(",").map((part) => /^(nvidia|amd|intel):(\d+)$/.exec(part.trim()))
  if (text.trim() === "" || parts.some((part) => part === null)) {
    return Either.left(new InvalidArgument({ argument: "GPU selector", value: text, reason: `valid forms: ${VALID_SELECTORS}` }))
  }
  const devices = parts.map((part) => ({ vendor: part![1] as GpuVendor, index: part![2]! }))
  const nvidiaIndexes = devices.filter((d) => d.vendor === "nvidia").map((d) => d.index)
  const others = devices.filter((d) => d.vendor !== "nvidia")
  return Either.right([
    ...(nvidiaIndexes.length > 0 ? nvidia(nvidiaIndexes) : []),
    ...others.flatMap((d) => ["--device", `${CDI_KINDS[d.vendor]}=${d.index}`])
  ])
}
