/**
 * Files in and out of the Effect 4 model's containers: a host path copied in as `podman cp` puts
 * it (the host tree read asynchronously, nothing under it followed), files from memory, a path as
 * a tar archive. The model holds text files: bytes that are not UTF-8, a link, a FIFO or a device
 * die saying so.
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import * as Archive from "effect-podman-shared/Archive"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import { lstat, readdir, readFile, stat } from "node:fs/promises"
import { basename, join } from "node:path"
import type { PodmanError } from "../../PodmanError.js"
import type { Driver } from "../core/driver.js"
import type { Container } from "./core.js"
import { cannot, refused } from "./core.js"

/** @internal */
export const encoder = new TextEncoder()
const strict = new TextDecoder("utf-8", { fatal: true })

/** A file's bytes as text, or `undefined` when they are not UTF-8 (the model holds text files). @internal */
export const utf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return strict.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * A host path's regular files (relative path → bytes), read asynchronously, nothing under it
 * followed; `undefined` when nothing is there; what the model cannot hold, named.
 *
 * @internal
 */
export const readHostTree = async (
  src: string
): Promise<
  { readonly isDirectory: boolean; readonly files: Array<readonly [string, Uint8Array]> } | string | undefined
> => {
  const top = await stat(src).catch(() => undefined)
  if (top === undefined) return undefined
  if (top.isFile()) return { isDirectory: false, files: [[basename(src), new Uint8Array(await readFile(src))]] }
  if (!top.isDirectory()) return `${src}, which is not a regular file or a folder`
  const files: Array<readonly [string, Uint8Array]> = []
  const pending = [""]
  while (pending.length > 0) {
    const relative = pending.pop()!
    for (const name of (await readdir(join(src, relative))).sort()) {
      const path = relative === "" ? name : `${relative}/${name}`
      const info = await lstat(join(src, path))
      if (info.isDirectory()) pending.push(path)
      else if (info.isFile()) files.push([path, new Uint8Array(await readFile(join(src, path)))])
      else return `${join(src, path)}, which is not a regular file or a folder`
    }
  }
  return { isDirectory: true, files }
}

/** @internal */
export const make = (
  withContainer: <A, E, R>(
    argv: ReadonlyArray<string>,
    name: string,
    f: (c: Container) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | PodmanError, R>
): Pick<Driver, "copyIn" | "copyFilesIn" | "archiveOut"> => ({
  // the host tree read without following a link under it, its text files put where podman cp
  // puts them; what the model cannot hold (a link, a FIFO, a device, bytes that are not
  // UTF-8) dies saying so
  copyIn: (name, src, dest) => {
    const argv = ["cp", src, `${name}:${dest}`]
    return withContainer(argv, name, (c) =>
      Effect.gen(function*() {
        const tree = yield* Effect.promise(() => readHostTree(src))
        if (tree === undefined) return yield* refused(argv, Answers.noSuchHostPath(src))
        if (typeof tree === "string") return yield* cannot(`copy in ${tree} (it holds text files only)`)
        const texts: Array<readonly [string, string]> = []
        for (const [relative, bytes] of tree.files) {
          const text = utf8(bytes)
          if (text === undefined) {
            return yield* cannot(`hold ${join(src, relative)}: it holds text files only, and these bytes are not UTF-8`)
          }
          texts.push([relative, text])
        }
        for (const [path, content] of ModelFiles.copyPaths(texts, tree.isDirectory, basename(src), dest, c.files)) {
          c.files.set(path, content)
          c.rwSize += Buffer.byteLength(content)
        }
      }))
  },
  copyFilesIn: (name, files) =>
    withContainer(["cp", "-", `${name}:/`], name, (c) =>
      Effect.suspend(() => {
        for (const file of files) {
          // a folder is not overwritten by a file, nor a file made a folder: podman's extraction stops there
          const refusal = ModelFiles.copyRefusal(c.files, file.path)
          if (refusal !== undefined) return Effect.fail(refused(["cp", "-", `${name}:/`], refusal))
          const text = utf8(file.bytes)
          if (text === undefined) {
            return cannot(`hold ${file.path}: it holds text files only, and these bytes are not UTF-8`)
          }
          c.files.set(file.path, text)
          c.rwSize += file.bytes.length
        }
        return Effect.void
      })),
  archiveOut: (name, path) =>
    Stream.unwrap(withContainer(["cp", `${name}:${path}`, "-"], name, (c) => {
      const base = path.replace(/\/+$/, "")
      const under = [...c.files.keys()].filter((p) => p.startsWith(`${base}/`))
      if (!c.files.has(base) && under.length === 0) {
        return Effect.fail(refused(["cp", `${name}:${path}`, "-"], Answers.noSuchPath(name, path)))
      }
      // as podman makes it: the path's base name first
      const top = base.slice(base.lastIndexOf("/") + 1)
      const archive = c.files.has(base)
        ? Archive.pack([{ path: `/${top}`, bytes: encoder.encode(c.files.get(base)!) }])
        : Archive.pack(
          under.map((p) => ({ path: `/${top}${p.slice(base.length)}`, bytes: encoder.encode(c.files.get(p)!) })),
          [top]
        )
      return Effect.succeed(Stream.orDie(Stream.fromAsyncIterable(archive, (error) => error)))
    }))
})
