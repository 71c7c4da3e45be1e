/**
 * GPU passthrough through CDI: whether this host can serve a vendor's GPUs (the launch itself is
 * the authoritative check: `ContainerError.GpuConfigError`).
 *
 * @since 0.4.0
 */
import { Effect, Option } from "effect"
import * as Shared from "effect-podman-shared/Gpu"
import { ContainerRuntime } from "./ContainerRuntime.js"

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
export const checkGpuAvailable = (vendor: Shared.GpuVendor = "nvidia"): Effect.Effect<boolean, never, ContainerRuntime> =>
  Effect.flatMap(ContainerRuntime, (runtime) => runtime.host.cdiSpecDirs).pipe(
    Effect.flatMap((dirs) => Effect.promise(() => Shared.cdiDeclares(Option.getOrElse(dirs, () => []), vendor))),
    Effect.orElseSucceed(() => false),
    Effect.withSpan("effect-podman.checkGpuAvailable", { attributes: { vendor } })
  )
