/**
 * GPU passthrough through CDI: whether this host can serve a vendor's GPUs (the launch itself is
 * the authoritative check: `ContainerError.GpuConfigError`).
 *
 * @since 0.4.0
 */
import { Effect, Option, Result } from "effect"
import * as Shared from "effect-podman-shared/Gpu"
import { CDI_HINT, GpuConfigError } from "./ContainerError.js"
import { ContainerRuntime } from "./ContainerRuntime.js"
import { InvalidArgument } from "./PodmanError.js"

/**
 * Whether a CDI spec declares the vendor's device kind — the question to ask before offering GPU
 * passthrough. The spec folders come from podman (`runtime.host.cdiSpecDirs`) when it reports them,
 * else the default ones (`/etc/cdi`, `/var/run/cdi`). Any failure is `false`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Gpu } from "effect-podman-4"
 *
 * const image = Effect.map(Gpu.checkGpuAvailable("nvidia"), (yes) => (yes ? "GPU image" : "CPU image"))
 * ```
 *
 * @since 0.4.0
 * @category GPU
 */
export const checkGpuAvailable: (vendor?: GpuVendor) => Effect.Effect<boolean, never, ContainerRuntime> = Effect.fn(
  "effect-podman.checkGpuAvailable"
)(function*(vendor: GpuVendor = "nvidia") {
  yield* Effect.annotateCurrentSpan("vendor", vendor)
  const runtime = yield* ContainerRuntime
  return yield* runtime.host.cdiSpecDirs.pipe(
    Effect.flatMap((dirs) => Effect.promise(() => Shared.cdiDeclares(Option.getOrElse(dirs, () => []), vendor))),
    Effect.orElseSucceed(() => false)
  )
})

/**
 * Substrings of podman's stderr that mark a CDI / GPU misconfiguration.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-4"
 *
 * const looksLikeCdi = (stderr: string) => Gpu.CDI_ERROR_PATTERNS.some((pattern) => stderr.includes(pattern))
 * ```
 *
 * @since 0.4.0
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
 * import { Gpu } from "effect-podman-4"
 *
 * Gpu.classifyGpuError("Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all")
 * // Option.some(GpuConfigError { ... })
 * Gpu.classifyGpuError("Error: no such container") // Option.none()
 * ```
 *
 * @since 0.4.0
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
 * import { Gpu } from "effect-podman-4"
 *
 * const vendor: Gpu.GpuVendor = "amd"
 * const kind = Gpu.CDI_KINDS[vendor] // "amd.com/gpu"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type GpuVendor = Shared.GpuVendor

/**
 * The CDI device kind of each vendor.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-4"
 *
 * Gpu.CDI_KINDS.nvidia // "nvidia.com/gpu"
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const CDI_KINDS: Readonly<Record<GpuVendor, string>> = Shared.CDI_KINDS

/**
 * Where CDI specs live when podman does not say (podman 4 reads these two; it ignores
 * `cdi_spec_dirs` in containers.conf).
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-4"
 *
 * Gpu.DEFAULT_CDI_SPEC_DIRS // ["/etc/cdi", "/var/run/cdi"]
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const DEFAULT_CDI_SPEC_DIRS: ReadonlyArray<string> = Shared.DEFAULT_CDI_SPEC_DIRS

/**
 * What {@link gpuRunArgs} accepts.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-4"
 *
 * const selector: Gpu.GpuSelector = "nvidia:0,nvidia:1"
 * const args = Gpu.gpuRunArgs(selector)
 * ```
 *
 * @since 0.4.0
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
 * Anything else is a failed `Result` holding an `InvalidArgument` that lists the valid forms.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { Gpu } from "effect-podman-4"
 *
 * Gpu.gpuRunArgs(true)
 * // Result.succeed(["--device", "nvidia.com/gpu=all", "-e", "NVIDIA_VISIBLE_DEVICES=all", "-e", "NVIDIA_DRIVER_CAPABILITIES=all"])
 * Gpu.gpuRunArgs("nvidia:0,nvidia:1") // Result.succeed(["--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=1", …])
 * Result.isFailure(Gpu.gpuRunArgs("tpu")) // true
 * ```
 *
 * @since 0.4.0
 * @category GPU
 */
export const gpuRunArgs = (selector: GpuSelector): Result.Result<ReadonlyArray<string>, InvalidArgument> => {
  const args = Shared.gpuArgs(selector)
  return "args" in args
    ? Result.succeed(args.args)
    : Result.fail(
      new InvalidArgument({
        argument: "GPU selector",
        value: args.invalid,
        reason: `valid forms: ${Shared.VALID_SELECTORS}`
      })
    )
}
