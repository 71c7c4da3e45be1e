/**
 * The files of the models' containers (both editions): a container's own files with the volumes
 * (and tmpfs mounts) mounted at their targets, and the named volumes podman fills from the image
 * on their first use. No Effect.
 *
 * @since 0.4.0
 */
import type { Refusal } from "./PodmanAnswers.js"
import { copyOntoFolder, copyUnderFile } from "./PodmanAnswers.js"
import { isFolder } from "./Shell.js"
import type { PublishedPort } from "./Spec.js"

/**
 * A volume (or tmpfs) mounted at `target`.
 *
 * @since 0.4.0
 */
export interface MountedVolume {
  readonly target: string
  readonly files: Map<string, string>
  readonly readOnly?: boolean | undefined
}

/** Where podman mounts a tmpfs on a read-only root (`--read-only-tmpfs`, its default). */
const READ_ONLY_TMPFS = ["/tmp", "/var/tmp", "/run", "/dev/shm"]

/**
 * A container's files: its own, with the volumes mounted at their targets (a path under a target
 * is read from and written to the volume).
 *
 * @since 0.4.0
 */
export class MountedFiles extends Map<string, string> {
  private readonly volumes: ReadonlyArray<MountedVolume>
  constructor(own: Iterable<readonly [string, string]>, volumes: ReadonlyArray<MountedVolume>) {
    // Map's constructor would call the overridden `set` before `volumes` exists
    super()
    this.volumes = volumes
    for (const [path, content] of own) super.set(path, content)
  }
  private volumeOf(path: string): MountedVolume | undefined {
    return this.volumes.find(({ target }) => path.startsWith(`${target.replace(/\/+$/, "")}/`))
  }
  private route(path: string): readonly [Map<string, string>, string] | undefined {
    const volume = this.volumeOf(path)
    return volume === undefined ? undefined : [volume.files, path.slice(volume.target.replace(/\/+$/, "").length)]
  }
  /** The folders a process sees when its image declares its own: those, with the mounts' targets. */
  foldersWith(declared: Iterable<string> | undefined): ReadonlySet<string> | undefined {
    return declared === undefined
      ? undefined
      : new Set([...declared, ...this.volumes.map((volume) => volume.target.replace(/(.)\/+$/, "$1"))])
  }
  /**
   * Whether a write to `path` succeeds: on a mount unless it is read-only; elsewhere unless the root
   * is — but a read-only root keeps the tmpfs podman mounts on `/tmp`, `/var/tmp`, `/run` and
   * `/dev/shm` (`--read-only-tmpfs`, its default).
   */
  writable(path: string, readOnlyRoot: boolean): boolean {
    const volume = this.volumeOf(path)
    if (volume !== undefined) return volume.readOnly !== true
    return !readOnlyRoot || READ_ONLY_TMPFS.some((folder) => path.startsWith(`${folder}/`))
  }
  override get(path: string) {
    const routed = this.route(path)
    return routed === undefined ? super.get(path) : routed[0].get(routed[1])
  }
  override has(path: string) {
    const routed = this.route(path)
    return routed === undefined ? super.has(path) : routed[0].has(routed[1])
  }
  override set(path: string, content: string) {
    const routed = this.route(path)
    if (routed === undefined) super.set(path, content)
    else routed[0].set(routed[1], content)
    return this
  }
  override delete(path: string) {
    const routed = this.route(path)
    return routed === undefined ? super.delete(path) : routed[0].delete(routed[1])
  }
  override *entries(): MapIterator<[string, string]> {
    for (const entry of super.entries()) if (this.route(entry[0]) === undefined) yield entry
    for (const { files, target } of this.volumes) {
      for (const [relative, content] of files) yield [`${target.replace(/\/+$/, "")}${relative}`, content]
    }
  }
  override *keys(): MapIterator<string> {
    for (const [path] of this.entries()) yield path
  }
  override [Symbol.iterator]() {
    return this.entries()
  }
}

/**
 * A named volume as a model holds it: its files (paths relative to its root, `/`-led), and whether
 * a container has mounted it yet.
 *
 * @since 0.4.0
 */
export interface Volume {
  readonly files: Map<string, string>
  used: boolean
}

/**
 * A network, volume or pod as a model holds it (a volume's files, a pod's ports).
 *
 * @since 0.4.0
 */
export interface Resource extends Volume {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly internal: boolean
  /** A pod's published ports. */
  readonly ports: ReadonlyArray<PublishedPort>
}

/**
 * A new network, volume or pod (a volume made by a mount has no labels).
 *
 * @since 0.4.0
 */
export const makeResource = (
  name: string,
  settings: {
    readonly labels: Readonly<Record<string, string>>
    readonly internal: boolean
    readonly ports: ReadonlyArray<PublishedPort>
  } = {
    labels: {},
    internal: false,
    ports: []
  }
): Resource => ({ name, ...settings, files: new Map(), used: false })

/**
 * The volume of a mount: made by `make` if absent, filled from the image's files under `target`
 * on its first use (as podman copies them up).
 *
 * @since 0.4.0
 */
export const attachVolume = <V extends Volume>(
  volumes: Map<string, V>,
  imageFiles: Iterable<readonly [string, string]>,
  source: string,
  target: string,
  make: (name: string) => V
): { readonly target: string; readonly files: Map<string, string> } => {
  let volume = volumes.get(source)
  if (volume === undefined) {
    volume = make(source)
    volumes.set(source, volume)
  }
  if (!volume.used && volume.files.size === 0) {
    const base = target.replace(/\/+$/, "")
    for (const [path, content] of imageFiles) {
      if (path.startsWith(`${base}/`)) volume.files.set(path.slice(base.length), content)
    }
  }
  volume.used = true
  return { target, files: volume.files }
}

/**
 * Where host files go in a container's file map, as `podman cp` puts them: a directory's contents
 * into `dest`; a file to `dest`, or into it when it is a directory (ends with `/`, or holds files).
 *
 * @since 0.4.0
 */
export const copyPaths = (
  entries: ReadonlyArray<readonly [relative: string, content: string]>,
  isDirectory: boolean,
  sourceName: string,
  dest: string,
  existing: ReadonlyMap<string, string>
): Array<readonly [string, string]> => {
  const base = dest.replace(/\/+$/, "")
  if (isDirectory) return entries.map(([relative, content]) => [`${base}/${relative}`, content] as const)
  const destIsDirectory = dest.endsWith("/") || [...existing.keys()].some((path) => path.startsWith(`${base}/`))
  return entries.map(([, content]) => [destIsDirectory ? `${base}/${sourceName}` : base, content] as const)
}

/**
 * podman's refusal of a file copied from an archive to `path` in `files`: onto a folder, or under
 * a file; `undefined` when it can be written.
 *
 * @since 0.4.0
 */
export const copyRefusal = (files: ReadonlyMap<string, string>, path: string): Refusal | undefined => {
  if (isFolder(files, path)) return copyOntoFolder(path)
  const parts = path.split("/")
  for (let i = parts.length - 1; i > 1; i--) if (files.has(parts.slice(0, i).join("/"))) return copyUnderFile(path)
  return undefined
}
