/**
 * GPU passthrough through CDI: launch-failure classification, availability, `podman run` args.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import * as Shared from "effect-podman-shared/Gpu"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type { GpuVendor } from "./internal/core/gpu.js"

export * from "./internal/core/gpu.js"

/**
 * Whether a CDI spec declares the vendor's device kind — the question a wizard asks before
 * offering GPU passthrough. The spec folders come from podman (`podman info` `.Host.CDISpecs`)
 * when it reports them, else the default folders (`DEFAULT_CDI_SPEC_DIRS`). Any failure (no podman, an unreadable
 * spec) is `false`: the authoritative check stays the launch itself (`GpuConfigError`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Gpu } from "effect-podman"
 *
 * const offerGpu = Gpu.checkGpuAvailable("nvidia") // Effect<boolean, never, ContainerRuntime>
 * const program = Effect.map(offerGpu, (yes) => (yes ? "GPU image" : "CPU image"))
 * ```
 *
 * @since 0.1.0
 * @category GPU
 */
export const checkGpuAvailable = (vendor: GpuVendor = "nvidia"): Effect.Effect<boolean, never, ContainerRuntime> =>
  Effect.flatMap(ContainerRuntime, (runtime) => runtime.host.cdiSpecDirs).pipe(
    // podman 4 has no such field, and podman 5 may report null or []: the defaults apply then
    Effect.flatMap((dirs) => Effect.promise(() => Shared.cdiDeclares(Option.getOrElse(dirs, () => []), vendor))),
    Effect.orElseSucceed(() => false),
    Effect.withSpan("effect-podman.checkGpuAvailable", { attributes: { vendor } })
  )
