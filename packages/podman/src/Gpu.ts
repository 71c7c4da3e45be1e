/**
 * GPU passthrough through CDI: launch-failure classification, availability, `podman run` args.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { readdir } from "node:fs/promises"
import { join } from "node:path"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as HostTree from "./internal/core/hostTree.js"
import { CDI_KINDS, DEFAULT_CDI_SPEC_DIRS } from "./internal/pure/gpu.js"
import type { GpuVendor } from "./internal/pure/gpu.js"

export * from "./internal/pure/gpu.js"



/** The spec files of a folder; a missing or unreadable folder declares nothing. */
const specFiles = (dir: string): Effect.Effect<ReadonlyArray<string>> =>
  Effect.promise(() =>
    readdir(dir).then(
      (files) => files.filter((file) => /\.(json|ya?ml)$/.test(file)).map((file) => join(dir, file)),
      () => []
    )
  )

/** Whether a spec's `kind:` is exactly `kind` (YAML `kind: x` or JSON `"kind": "x"`). */
const declaresKind = (spec: string, kind: string): boolean =>
  new RegExp(`(^|[\\s{,])"?kind"?\\s*:\\s*"?${kind.replace(/[./]/g, "\\$&")}"?\\s*($|[,}\\n])`, "m").test(spec)

/**
 * Whether a CDI spec declares the vendor's device kind — the question a wizard asks before
 * offering GPU passthrough. The spec folders come from podman (`podman info` `.Host.CDISpecs`)
 * when it reports them, else {@link DEFAULT_CDI_SPEC_DIRS}. Any failure (no podman, an unreadable
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
    Effect.map(Option.filter((dirs) => dirs.length > 0)),
    Effect.map(Option.getOrElse(() => DEFAULT_CDI_SPEC_DIRS)),
    Effect.flatMap((dirs) => Effect.map(Effect.forEach(dirs, specFiles), (files) => files.flat())),
    Effect.flatMap((files) =>
      Effect.exists(files, (file) =>
        Effect.map(HostTree.readRegularText(file), Option.exists((spec) => declaresKind(spec, CDI_KINDS[vendor]))))
    ),
    Effect.orElseSucceed(() => false),
    Effect.withSpan("effect-podman.checkGpuAvailable", { attributes: { vendor } })
  )

