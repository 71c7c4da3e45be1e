/**
 * Tar archives in and out of containers, by tar-stream, for both editions: files from memory packed
 * for `copyFiles`, and an archive a container gives (`podman cp NAME:PATH -`, the API's archive
 * endpoint) extracted onto the host without trusting it — no absolute or `..` names, nothing
 * written through a link, no device nodes. No Effect: each edition feeds an `Extraction` from its
 * own stream (so the archive's own failures stay typed there) and reads `pack` as one.
 *
 * @since 0.4.0
 */
import { constants } from "node:fs"
import * as fs from "node:fs/promises"
import { dirname, join, posix, relative, resolve } from "node:path"
import * as tar from "tar-stream"

/**
 * A file to put into a container.
 *
 * @since 0.4.0
 */
export interface MemoryFile {
  /** Absolute, normalized. */
  readonly path: string
  readonly bytes: Uint8Array
}

/**
 * Why a container path is refused (not absolute, or holding `..` or a NUL), or `undefined`.
 *
 * @example
 * ```ts
 * import { Archive } from "effect-podman-shared"
 *
 * Archive.containerPathProblem("../etc/passwd") // "is an absolute path in the container, without '..'"
 * ```
 *
 * @since 0.4.0
 */
export const containerPathProblem = (path: string): string | undefined =>
  path.includes("\0")
    ? "holds a NUL byte"
    : posix.isAbsolute(path) && !path.split("/").includes("..")
    ? undefined
    : "is an absolute path in the container, without '..'"

/**
 * The tar archive of in-memory files, rooted at `/` (parents are created as the archive is
 * extracted); `directories` are written first, as entries of their own.
 *
 * @example
 * ```ts
 * import { Archive } from "effect-podman-shared"
 *
 * const archive = Archive.pack([{ path: "/etc/app.conf", bytes: new TextEncoder().encode("debug=1\n") }])
 * ```
 *
 * @since 0.4.0
 */
export const pack = (
  files: ReadonlyArray<MemoryFile>,
  directories: ReadonlyArray<string> = []
): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    const archive = tar.pack()
    for (const directory of directories) {
      archive.entry({ name: directory.replace(/^\/+/, ""), type: "directory", mode: 0o755 })
    }
    for (const file of files) {
      archive.entry(
        { name: file.path.replace(/^\/+/, ""), mode: 0o644, size: file.bytes.length },
        Buffer.from(file.bytes)
      )
    }
    archive.finalize()
    for await (const chunk of archive as AsyncIterable<Buffer>) {
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    }
  }
})

/**
 * Why an archive could not be extracted: the entry (or host path) and the reason; `cause` is this
 * host's own error (`EEXIST`, `EACCES`, …) when one was the reason.
 *
 * @since 0.4.0
 */
export class ExtractError extends Error {
  readonly _tag = "ExtractError"
  constructor(readonly path: string, readonly reason: string, options?: { readonly cause?: unknown }) {
    super(`${path}: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause })
  }
}

/** An entry's name as a safe relative path, or why not. */
const safeName = (name: string): string | ExtractError => {
  const normalized = posix.normalize(name).replace(/\/+$/, "")
  return name.includes("\0") || posix.isAbsolute(name) || normalized === ".." || normalized.startsWith("../")
    ? new ExtractError(name, "an archive entry named outside the destination")
    : normalized
}

/** The real path of `path`: its nearest existing folder resolved, the rest as given. */
const realBase = async (path: string): Promise<string> => {
  try {
    return await fs.realpath(path)
  } catch {
    const parent = dirname(path)
    return parent === path ? path : join(await realBase(parent), posix.basename(path))
  }
}

/**
 * An extraction under way: the archive's bytes go in with `write` (which waits while the
 * extractor is busy), `end` says the archive is complete and resolves once everything is written;
 * `abort` abandons it (what is written stays). `write` and `end` reject with the `ExtractError`
 * that stopped it.
 *
 * @since 0.4.0
 */
export interface Extraction {
  readonly write: (chunk: Uint8Array) => Promise<void>
  readonly end: () => Promise<void>
  readonly abort: () => void
}

/**
 * Extracts a container's archive of one path to `hostPath`: a directory's contents into `hostPath`
 * (created if absent), a file to `hostPath` (into it, when it is a directory). Regular files,
 * directories and symbolic links are written (a link as a link: nothing is written through one);
 * device nodes and FIFOs are skipped.
 *
 * @example
 * ```ts
 * import { Archive } from "effect-podman-shared"
 *
 * const copy = async (archive: AsyncIterable<Uint8Array>) => {
 *   const extraction = Archive.extract("/tmp/out")
 *   for await (const chunk of archive) await extraction.write(chunk)
 *   await extraction.end()
 * }
 * ```
 *
 * @since 0.4.0
 */
export const extract = (hostPath: string): Extraction => {
  const target = resolve(hostPath)
  const extractor = tar.extract()
  const attempt = async <A>(path: string, f: () => Promise<A>): Promise<A> => {
    try {
      return await f()
    } catch (error) {
      throw new ExtractError(path, (error as Error).message, { cause: error })
    }
  }
  // the destination's real path, fixed before anything is written: what an entry makes (a link
  // where the destination was, say) never moves it
  const base = realBase(target)
  base.catch(() => {}) // observed through the entries
  let root: string | undefined // the archive's top directory, when it is one
  let single = true
  const inside = (real: string, path: string) => {
    const rel = relative(real, path)
    return rel === "" || (!rel.startsWith("..") && !posix.isAbsolute(rel))
  }
  /**
   * Makes `dir` (inside the destination) a folder, one level at a time: a level that is a link is
   * refused before anything is made below it, so nothing is created outside the destination.
   */
  const folders = async (name: string, real: string, dir: string) => {
    await attempt(real, () => fs.mkdir(dirname(real), { recursive: true }))
    let current = real
    for (const part of ["", ...relative(real, dir).split("/").filter((p) => p !== "")]) {
      current = part === "" ? real : join(current, part)
      const stat = await fs.lstat(current).catch(() => undefined)
      if (stat === undefined) {
        await attempt(current, () =>
          fs.mkdir(current).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== "EEXIST") throw error
          }))
      } else if (stat.isSymbolicLink()) throw new ExtractError(name, "an archive entry written through a link")
      else if (!stat.isDirectory()) throw new ExtractError(name, "an archive entry under a file")
    }
  }
  /** Where an entry goes; its folders are made, and none of them may be a link. */
  const destination = async (name: string) => {
    const real = await base
    const rel = root !== undefined && (name === root || name.startsWith(`${root}/`))
      ? name.slice(root.length + 1)
      : name
    const path = rel === "" ? real : join(real, rel)
    if (!inside(real, path)) throw new ExtractError(name, "outside the destination")
    await folders(name, real, rel === "" ? real : dirname(path))
    return path
  }
  const entry = async (header: tar.Header, body: AsyncIterable<Uint8Array>) => {
    const name = safeName(header.name)
    if (typeof name !== "string") throw name
    const first = root === undefined && single
    single = false
    const real = await base
    if (first && header.type === "directory") {
      root = name
      await folders(name, real, real)
      return
    }
    const isDirectoryTarget = first &&
      (await attempt(real, () => fs.stat(real).then((s) => s.isDirectory(), () => false)))
    const path = first ? (isDirectoryTarget ? join(real, posix.basename(name)) : real) : await destination(name)
    switch (header.type) {
      case "directory": {
        const existing = await fs.lstat(path).catch(() => undefined)
        if (existing?.isSymbolicLink() === true) throw new ExtractError(name, "an archive entry written through a link")
        if (existing === undefined) await attempt(path, () => fs.mkdir(path, { mode: (header.mode ?? 0o755) & 0o777 }))
        return
      }
      case "symlink":
        await attempt(path, () => fs.rm(path, { force: true }).then(() => fs.symlink(header.linkname ?? "", path)))
        return
      case "file": {
        if (first) await attempt(path, () => fs.mkdir(dirname(path), { recursive: true }))
        // O_NOFOLLOW: a link already at the path is not written through
        const handle = await attempt(
          path,
          () =>
            fs.open(
              path,
              constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
              (header.mode ?? 0o644) & 0o777
            )
        )
        try {
          await attempt(path, () => fs.writeFile(handle, body))
        } finally {
          await handle.close()
        }
        return
      }
      default: // hard links, devices, FIFOs: not made on the host
        return
    }
  }
  // the entries, written one after another as the archive arrives
  let failure: ExtractError | undefined
  const written = (async () => {
    try {
      for await (const body of extractor) {
        try {
          await entry(body.header, body as unknown as AsyncIterable<Uint8Array>)
        } finally {
          body.resume() // whatever was not read of it
        }
      }
    } catch (error) {
      failure = error instanceof ExtractError
        ? error
        : new ExtractError(hostPath, (error as Error).message, { cause: error })
      extractor.destroy()
      throw failure
    }
  })()
  written.catch(() => {}) // observed through write and end
  return {
    write: async (chunk) => {
      if (failure !== undefined) throw failure
      if (extractor.destroyed) throw new ExtractError(hostPath, "the extraction was abandoned")
      if (!extractor.write(Buffer.from(chunk))) {
        // until the extractor takes more, or stops
        await new Promise<void>((resolve) => {
          const done = () => {
            extractor.off("drain", done)
            extractor.off("close", done)
            resolve()
          }
          extractor.once("drain", done)
          extractor.once("close", done)
        })
      }
      if (failure !== undefined) throw failure
    },
    end: () => {
      if (!extractor.destroyed) extractor.end(undefined as never)
      return written
    },
    abort: () => extractor.destroy()
  }
}
