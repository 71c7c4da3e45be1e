/**
 * GPU passthrough through CDI, the pure part: which device kinds exist, the `podman run`
 * arguments a selector stands for, and whether a failed launch was a CDI misconfiguration.
 * Re-exported by the public `Gpu` module; a leaf that imports nothing of the package but its errors.
 *
 * @internal
 */
import { Either, Option } from "effect"
import * as Shared from "effect-podman-shared/Gpu"
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
export const CDI_ERROR_PATTERNS: ReadonlyArray<string> = Shared.CDI_ERROR_PATTERNS

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
  return Shared.isCdiFailure(text)
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
export type GpuVendor = Shared.GpuVendor

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
export const CDI_KINDS: Readonly<Record<GpuVendor, string>> = Shared.CDI_KINDS

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
export const DEFAULT_CDI_SPEC_DIRS: ReadonlyArray<string> = Shared.DEFAULT_CDI_SPEC_DIRS

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
export type GpuSelector = Shared.GpuSelector

/**
 * The `podman run` arguments for GPU passthrough through CDI:
 * - `false` / `undefined` → `[]`;
 * - `true`, `"all"`, `"nvidia"` → `--device nvidia.com/gpu=all -e NVIDIA_VISIBLE_DEVICES=all
 *   -e NVIDIA_DRIVER_CAPABILITIES=all`;
 * - `"amd"` / `"intel"` → `--device amd.com/gpu=all` / `--device intel.com/gpu=all`, with
 *   `--group-add keep-groups` (rootless, the container keeps the user's `render` and `video`
 *   groups, which these GPUs are reached through);
 * - `"nvidia:0,nvidia:1"` → one `--device` per listed device (NVIDIA's variables name them;
 *   `--group-add keep-groups` once when an AMD or Intel device is listed).
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
  const args = Shared.gpuArgs(selector)
  return "args" in args
    ? Either.right(args.args)
    : Either.left(
      new InvalidArgument({
        argument: "GPU selector",
        value: args.invalid,
        reason: `valid forms: ${Shared.VALID_SELECTORS}`
      })
    )
}
