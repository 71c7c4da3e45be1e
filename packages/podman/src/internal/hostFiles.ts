/**
 * Reading a host path for `copyIn`: a file, or a directory's tree (its contents, relative).
 *
 * @internal
 */
import { Option } from "effect"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { basename, join, relative } from "node:path"

/** @internal */
export interface HostEntry {
  /** Path relative to the copied directory; for a single file, its base name. */
  readonly path: string
  /** `undefined` for a directory. */
  readonly content: Uint8Array | undefined
}

/** @internal */
export interface HostTree {
  readonly isDirectory: boolean
  readonly entries: ReadonlyArray<HostEntry>
}

/** The tree under `src` (directories first, then their contents), or none when `src` is absent. @internal */
export const read = (src: string): Option.Option<HostTree> => {
  const stat = statSync(src, { throwIfNoEntry: false })
  if (stat === undefined) return Option.none()
  if (!stat.isDirectory()) return Option.some({ isDirectory: false, entries: [{ path: basename(src), content: readFileSync(src) }] })
  const entries: Array<HostEntry> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        entries.push({ path: relative(src, path), content: undefined })
        walk(path)
      } else {
        entries.push({ path: relative(src, path), content: readFileSync(path) })
      }
    }
  }
  walk(src)
  return Option.some({ isDirectory: true, entries })
}
