/**
 * GPU passthrough through CDI: launch-failure classification, availability, `podman run` args.
 *
 * @since 0.1.0
 */
import { Effect, Either, Option } from "effect"
import { readdir } from "node:fs/promises"
import { join } from "node:path"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as HostTree from "./internal/hostTree.js"
import { CDI_HINT, GpuConfigError, InvalidArgument } from "./PodmanError.js"

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
