/**
 * What a podman child killed mid-way leaves on the host, and how to find exactly its own.
 *
 * podman 4.3 writes `podman cp -`'s archive to a file in its temporary folder and never removes
 * it; a `podman build` killed during a `RUN` step leaves buildah's working container (seen only by
 * `podman ps --external`), the step's process (reparented to init, still running) and its bundle
 * folder. Each such child gets a scratch folder of its own as `TMPDIR`, so whatever podman and
 * buildah put there is removed with the folder; a build also gets a marker build argument, which
 * buildah records in its working container's state, so a killed build's working container is told
 * apart from a concurrent build's. Folders and files are read asynchronously.
 *
 * @since 0.5.0
 */
import type { Dirent } from "node:fs"
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { join } from "node:path"

/**
 * The build argument naming a build (buildah records it in its working container's state).
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * Scratch.BUILD_MARKER // "EFFECT_PODMAN_BUILD"
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const BUILD_MARKER = "EFFECT_PODMAN_BUILD"

/**
 * The `--build-arg` pair that marks a build as this one.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * Scratch.markerArgs("3f2a") // ["--build-arg", "EFFECT_PODMAN_BUILD=3f2a"]
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const markerArgs = (id: string): Array<string> => ["--build-arg", `${BUILD_MARKER}=${id}`]

const UNCONSUMED = /^(\[Warning\] one or more build args were not consumed: \[)([^\]]*)(\])$/

/**
 * A build's output line without the marker: buildah warns that it was not consumed (the
 * Containerfile does not declare it); the warning keeps the caller's own arguments, and goes when
 * the marker was the only one.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * Scratch.withoutMarker("[Warning] one or more build args were not consumed: [EFFECT_PODMAN_BUILD]") // undefined
 * Scratch.withoutMarker("[Warning] one or more build args were not consumed: [A EFFECT_PODMAN_BUILD]")
 * // "[Warning] one or more build args were not consumed: [A]"
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const withoutMarker = (line: string): string | undefined => {
  const match = UNCONSUMED.exec(line)
  if (match === null) return line
  const rest = match[2]!.split(" ").filter((name) => name !== "" && name !== BUILD_MARKER)
  return rest.length === 0 ? undefined : `${match[1]}${rest.join(" ")}${match[3]}`
}

/**
 * A new private folder for one podman child's temporary files: under `TMPDIR` when it is set,
 * else `/var/tmp` (where podman puts them: image data can be larger than a memory-backed `/tmp`).
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * const folder = await Scratch.make() // "/var/tmp/effect-podman-Xq3…"
 * await Scratch.remove(folder)
 * ```
 *
 * @since 0.5.0
 * @category folders
 */
export const make = (): Promise<string> => mkdtemp(join(process.env["TMPDIR"] || "/var/tmp", "effect-podman-"))

const entries = (folder: string): Promise<Array<Dirent>> => readdir(folder, { withFileTypes: true }).catch(() => [])

/**
 * Removes a scratch folder and all it holds. buildah leaves folders without the owner's write
 * permission (a bundle's `mnt`); they are opened to their owner first. Never fails.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * await Scratch.remove("/var/tmp/effect-podman-Xq3")
 * ```
 *
 * @since 0.5.0
 * @category folders
 */
export const remove = async (folder: string): Promise<void> => {
  const open = async (path: string): Promise<void> => {
    await chmod(path, 0o700).catch(() => undefined)
    for (const entry of await entries(path)) if (entry.isDirectory()) await open(join(path, entry.name))
  }
  if (await rm(folder, { recursive: true, force: true }).then(() => true, () => false)) return
  await open(folder)
  await rm(folder, { recursive: true, force: true }).catch(() => undefined)
}

/**
 * The processes of the `RUN` steps a killed build left running: the pids buildah wrote into the
 * bundles in the build's scratch folder.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * for (const pid of await Scratch.stepProcesses("/var/tmp/effect-podman-Xq3")) process.kill(pid, "SIGKILL")
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const stepProcesses = async (folder: string): Promise<Array<number>> => {
  const pids: Array<number> = []
  for (const entry of await entries(folder)) {
    if (!entry.isDirectory() || !entry.name.startsWith("buildah")) continue
    const pid = Number((await readFile(join(folder, entry.name, "pid"), "utf8").catch(() => "")).trim())
    if (Number.isSafeInteger(pid) && pid > 1) pids.push(pid)
  }
  return pids
}

/**
 * The argv that lists external containers (buildah's working containers among them) with their
 * state; `candidatesOf` reads its output.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * Scratch.LIST_EXTERNAL[0] // "ps"
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const LIST_EXTERNAL: ReadonlyArray<string> = [
  "ps",
  "--all",
  "--external",
  "--no-trunc",
  "--format",
  "{{.ID}}\t{{.State}}"
]

/**
 * The ids `LIST_EXTERNAL` printed that are containers of storage only (podman's own are created,
 * running, exited…): the candidates for a build's working container. Rootless podman 4.3 prints
 * the state capitalised (`Storage`).
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * Scratch.candidatesOf("8de3f0\tstorage\n41aa07\trunning\n") // ["8de3f0"]
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const candidatesOf = (listed: string): Array<string> =>
  listed.split("\n").filter((line) => /\tstorage$/i.test(line)).map((line) => line.split("\t")[0]!)

/**
 * The processes of the `RUN` steps running in the given working containers, wherever the build
 * runs (a podman service runs its builds' steps itself): buildah names a step's host after its
 * working container (`HOSTNAME=` the id's first 12 characters), which every process of the step
 * inherits. Reads `/proc` asynchronously; processes it may not read are skipped.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * await Scratch.stepsOf(["21f651d82b7faf9d67f409b77f48e4aefaba0e6a812b4585da6dcbd6a1d27d6b"]) // [7411, 7420]
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const stepsOf = async (working: ReadonlyArray<string>): Promise<Array<number>> => {
  if (working.length === 0) return []
  const names = new Set(working.map((id) => `HOSTNAME=${id.slice(0, 12)}`))
  const pids: Array<number> = []
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "")
    if (environ.split("\0").some((variable) => names.has(variable))) pids.push(Number(entry))
  }
  return pids
}

/**
 * Ends what a build that did not finish left running: the step processes whose pids are in the
 * bundles of its scratch folder (when it ran with one) and those of its working containers. The
 * bundles a podman service made for those containers in its temporary folder (`TMPDIR`, else
 * `/var/tmp`) are removed. Returns the pids signalled.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * await Scratch.endSteps("/var/tmp/effect-podman-Xq3", ["21f651d82b7f…"]) // [7411]
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const endSteps = async (folder: string | undefined, working: ReadonlyArray<string>): Promise<Array<number>> => {
  const pids = [...new Set([...(folder === undefined ? [] : await stepProcesses(folder)), ...(await stepsOf(working))])]
  const killed = pids.filter((pid) => {
    try {
      process.kill(pid, "SIGKILL")
      return true
    } catch {
      return false
    }
  })
  const names = new Set(working.map((id) => id.slice(0, 12)))
  const base = process.env["TMPDIR"] || "/var/tmp"
  for (const entry of names.size === 0 ? [] : await entries(base)) {
    if (!entry.isDirectory() || !/^buildah\d+$/.test(entry.name)) continue
    const hostname = (await readFile(join(base, entry.name, "hostname"), "utf8").catch(() => "")).trim()
    if (names.has(hostname)) await remove(join(base, entry.name))
  }
  return killed
}

/**
 * The `podman info` format that says where a working container's state is.
 *
 * @since 0.5.0
 * @category build
 */
export const STORE_FORMAT = "{{.Store.GraphRoot}}\t{{.Store.GraphDriverName}}"

/**
 * Of the external containers `podman ps --external` lists, the working containers of the build
 * marked `id`: those whose buildah state (`<graph root>/<driver>-containers/<id>/userdata/buildah.json`)
 * holds the marker with that value. `store` is `podman info --format STORE_FORMAT`'s output.
 *
 * @example
 * ```ts
 * import { Scratch } from "effect-podman-shared"
 *
 * await Scratch.workingContainers("/var/lib/containers/storage\toverlay", ["8de3f0…"], "3f2a") // ["8de3f0…"]
 * ```
 *
 * @since 0.5.0
 * @category build
 */
export const workingContainers = async (
  store: string,
  candidates: ReadonlyArray<string>,
  id: string
): Promise<Array<string>> => {
  const [graphRoot, driver] = store.trim().split("\t")
  if (graphRoot === undefined || driver === undefined || !/^[\w-]+$/.test(driver)) return []
  const ours: Array<string> = []
  for (const candidate of candidates) {
    if (!/^[0-9a-f]{12,64}$/.test(candidate)) continue
    const state = await readFile(join(graphRoot, `${driver}-containers`, candidate, "userdata", "buildah.json"), "utf8")
      .catch(() => "")
    try {
      const args: unknown = (JSON.parse(state) as { Args?: unknown }).Args
      if (typeof args === "object" && args !== null && (args as Record<string, unknown>)[BUILD_MARKER] === id) {
        ours.push(candidate)
      }
    } catch {
      // not buildah's, or gone
    }
  }
  return ours
}
