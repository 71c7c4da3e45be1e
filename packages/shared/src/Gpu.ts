/**
 * GPU passthrough through CDI, as data: the device kinds, the `podman run` arguments a selector
 * stands for, and whether podman's words are a CDI misconfiguration. Each edition wraps these in
 * its errors (`InvalidArgument`, `GpuConfigError`).
 *
 * @since 0.4.0
 */

import { constants } from "node:fs"
import { open, readdir } from "node:fs/promises"
import { join } from "node:path"

/**
 * Substrings of podman's stderr that mark a CDI / GPU misconfiguration.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.isCdiFailure("Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all") // true
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const CDI_ERROR_PATTERNS: ReadonlyArray<string> = [
  "cdi.k8s.io",
  "nvidia.com/gpu",
  "amd.com/gpu",
  "intel.com/gpu",
  "CDI"
]

/**
 * Whether podman's words say a launch failed on CDI devices.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.isCdiFailure("Error: no such container") // false
 * ```
 *
 * @since 0.4.0
 * @category GPU
 */
export const isCdiFailure = (text: string): boolean => CDI_ERROR_PATTERNS.some((pattern) => text.includes(pattern))

/**
 * What to do about a GPU launch that failed on CDI (the hint of `GpuConfigError`).
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * console.log(Gpu.CDI_HINT)
 * ```
 *
 * @since 0.4.0
 */
export const CDI_HINT = "GPU passthrough uses CDI (Container Device Interface). Install the NVIDIA Container " +
  "Toolkit and generate a CDI spec: `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`, then check " +
  "it with `nvidia-ctk cdi list`. For AMD or Intel GPUs, install the vendor's CDI spec generator. " +
  "Or run without GPU passthrough."

/**
 * The CDI devices GPU args ask for (the values of their `--device`s).
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.cdiDevices(["--device", "nvidia.com/gpu=all", "-e", "NVIDIA_VISIBLE_DEVICES=all"]) // ["nvidia.com/gpu=all"]
 * ```
 *
 * @since 0.4.0
 */
export const cdiDevices = (args: ReadonlyArray<string>): Array<string> =>
  args.filter((_, i) => args[i - 1] === "--device")

/**
 * GPU vendors with a CDI device kind.
 *
 * @example
 * ```ts
 * import type { Gpu } from "effect-podman-shared"
 *
 * const vendor: Gpu.GpuVendor = "nvidia"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type GpuVendor = "nvidia" | "amd" | "intel"

/**
 * The CDI device kind of each vendor.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.CDI_KINDS.nvidia // "nvidia.com/gpu"
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const CDI_KINDS: Readonly<Record<GpuVendor, string>> = {
  nvidia: "nvidia.com/gpu",
  amd: "amd.com/gpu",
  intel: "intel.com/gpu"
}

/**
 * Where podman looks for CDI specs when it does not say.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.DEFAULT_CDI_SPEC_DIRS // ["/etc/cdi", "/var/run/cdi"]
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const DEFAULT_CDI_SPEC_DIRS: ReadonlyArray<string> = ["/etc/cdi", "/var/run/cdi"]

/**
 * What a spec's `gpu` may say.
 *
 * @example
 * ```ts
 * import type { Gpu } from "effect-podman-shared"
 *
 * const two: Gpu.GpuSelector = "nvidia:0,nvidia:1"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type GpuSelector = boolean | "all" | GpuVendor | (string & {}) | undefined

/**
 * The forms a selector may take, as an error message names them.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * console.log(`valid forms: ${Gpu.VALID_SELECTORS}`)
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const VALID_SELECTORS =
  "false, true, \"all\", \"nvidia\", \"amd\", \"intel\", or a list of single devices such as " +
  "\"nvidia:0,nvidia:1\" (vendor:index, comma-separated)"

/**
 * AMD and Intel GPUs are reached through the `render` and `video` groups of the user who runs
 * podman: rootless, the container keeps them only with `--group-add keep-groups`.
 */
const KEEP_GROUPS: ReadonlyArray<string> = ["--group-add", "keep-groups"]

/**
 * The `podman run` arguments of a selector (`--device` per CDI device, NVIDIA's variables, and
 * `--group-add keep-groups` for AMD and Intel devices), or `invalid` when it is none of the valid
 * forms.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * Gpu.gpuArgs("amd") // { args: ["--device", "amd.com/gpu=all", "--group-add", "keep-groups"] }
 * Gpu.gpuArgs("tpu") // { invalid: "tpu" }
 * ```
 *
 * @since 0.4.0
 * @category GPU
 */
export const gpuArgs = (
  selector: GpuSelector
): { readonly args: ReadonlyArray<string> } | { readonly invalid: string } => {
  if (selector === false || selector === undefined) return { args: [] }
  const text = selector === true ? "all" : selector
  const nvidia = (devices: ReadonlyArray<string>) => [
    ...devices.flatMap((device) => ["--device", `${CDI_KINDS.nvidia}=${device}`]),
    "-e",
    `NVIDIA_VISIBLE_DEVICES=${devices.join(",")}`,
    "-e",
    "NVIDIA_DRIVER_CAPABILITIES=all"
  ]
  if (text === "all" || text === "nvidia") return { args: nvidia(["all"]) }
  if (text === "amd" || text === "intel") {
    return { args: ["--device", `${CDI_KINDS[text as GpuVendor]}=all`, ...KEEP_GROUPS] }
  }
  const parts = text.split(",").map((part) => /^(nvidia|amd|intel):(\d+)$/.exec(part.trim()))
  if (text.trim() === "" || parts.some((part) => part === null)) return { invalid: text }
  const devices = parts.map((part) => ({ vendor: part![1] as GpuVendor, index: part![2]! }))
  const nvidiaIndexes = devices.filter((d) => d.vendor === "nvidia").map((d) => d.index)
  const others = devices.filter((d) => d.vendor !== "nvidia")
  return {
    args: [
      ...(nvidiaIndexes.length > 0 ? nvidia(nvidiaIndexes) : []),
      ...others.flatMap((d) => ["--device", `${CDI_KINDS[d.vendor]}=${d.index}`]),
      ...(others.length > 0 ? KEEP_GROUPS : [])
    ]
  }
}

/** Whether a spec's `kind:` is exactly `kind` (YAML `kind: x` or JSON `"kind": "x"`). */
const declaresKind = (spec: string, kind: string): boolean =>
  new RegExp(`(^|[\\s{,])"?kind"?\\s*:\\s*"?${kind.replace(/[./]/g, "\\$&")}"?\\s*($|[,}\\n])`, "m").test(spec)

/** A host file's text when it is a regular file (opened without blocking: a FIFO is never waited on). */
const regularText = async (path: string): Promise<string | undefined> => {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined)
  if (handle === undefined) return undefined
  try {
    return (await handle.stat()).isFile() ? await handle.readFile({ encoding: "utf8" }) : undefined
  } catch {
    return undefined
  } finally {
    await handle.close()
  }
}

/**
 * Whether a CDI spec in `dirs` (podman's spec folders; the defaults when it reports none) declares
 * the vendor's device kind. Any failure is `false`: the authoritative check stays the launch.
 *
 * @example
 * ```ts
 * import { Gpu } from "effect-podman-shared"
 *
 * const offerGpu = await Gpu.cdiDeclares(Gpu.DEFAULT_CDI_SPEC_DIRS, "nvidia")
 * ```
 *
 * @since 0.4.0
 */
export const cdiDeclares = async (dirs: ReadonlyArray<string>, vendor: GpuVendor): Promise<boolean> => {
  for (const dir of dirs.length === 0 ? DEFAULT_CDI_SPEC_DIRS : dirs) {
    const files = await readdir(dir).catch((): Array<string> => [])
    for (const file of files.filter((name) => /\.(json|ya?ml)$/.test(name))) {
      const spec = await regularText(join(dir, file))
      if (spec !== undefined && declaresKind(spec, CDI_KINDS[vendor])) return true
    }
  }
  return false
}
