/**
 * Tar archives in and out of containers, by tar-stream: files from memory packed for `copyFiles`,
 * and an archive a container gives (`podman cp NAME:PATH -`, the API's archive endpoint)
 * extracted onto the host without trusting it — no absolute or `..` names, nothing written through
 * a link, no device nodes.
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import { constants } from "node:fs"
import * as fs from "node:fs/promises"
import { dirname, join, posix, relative, resolve } from "node:path"
import * as tar from "tar-stream"

/** A file to put into a container. @internal */
export interface MemoryFile {
  /** Absolute, normalized. */
  readonly path: string
  readonly bytes: Uint8Array
}

/**
 * The tar archive of in-memory files, rooted at `/` (parents are created as the archive is
 * extracted); `directories` are written first, as entries of their own.
 *
 * @internal
 */
export const pack = (files: ReadonlyArray<MemoryFile>, directories: ReadonlyArray<string> = []): Stream.Stream<Uint8Array> =>
  Stream.suspend(() => {
    const archive = tar.pack()
    for (const directory of directories) archive.entry({ name: directory.replace(/^\/+/, ""), type: "directory", mode: 0o755 })
    for (const file of files) archive.entry({ name: file.path.replace(/^\/+/, ""), mode: 0o644, size: file.bytes.length }, Buffer.from(file.bytes))
    archive.finalize()
    return Stream.fromAsyncIterable(archive as AsyncIterable<Buffer>, (error) => error).pipe(
      Stream.orDie,
      Stream.map((chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    )
  })

/** Why an archive could not be extracted. @internal */
export class ExtractError {
  readonly _tag = "ExtractError"
  constructor(readonly path: string, readonly reason: string) {}
}

/** An entry's name as a safe relative path, or why not. */
const safeName = (name: string): string | ExtractError => {
  const normalized = posix.normalize(name).replace(/\/+$/, "")
  return name.includes("\0") || posix.isAbsolute(name) || normalized === ".." || normalized.startsWith("../")
    ? new ExtractError(name, "an archive entry named outside the destination")
    : normalized
}

/**
 * Extracts a container's archive of one path to `hostPath`: a directory's contents into `hostPath`
 * (created if absent), a file to `hostPath` (into it, when it is a directory). Regular files,
 * directories and symbolic links are written (a link as a link: nothing is written through one);
 * device nodes and FIFOs are skipped.
 *
 * @internal
 */
export const extract = <E>(
  archive: Stream.Stream<Uint8Array, E>,
  hostPath: string
): Effect.Effect<void, E | ExtractError> =>
  Effect.gen(function*() {
    const target = resolve(hostPath)
    const attempt = <A>(path: string, f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: (error) => new ExtractError(path, (error as Error).message) })
    const extractor = tar.extract()
    let root: string | undefined // the archive's top directory, when it is one
    let single = true
    const inside = (path: string) => {
      const rel = relative(target, path)
      return rel === "" || (!rel.startsWith("..") && !posix.isAbsolute(rel))
    }
    /** Where an entry goes; its parents are created and must resolve inside the target. */
    const destination = (name: string) =>
      Effect.gen(function*() {
        const rel = root !== undefined && (name === root || name.startsWith(`${root}/`)) ? name.slice(root.length + 1) : name
        if (rel === "") return target
        const path = join(target, rel)
        yield* attempt(path, () => fs.mkdir(dirname(path), { recursive: true }))
        const parent = yield* attempt(path, () => fs.realpath(dirname(path)))
        const real = yield* attempt(target, () => fs.realpath(target))
        if (relative(real, parent).startsWith("..")) return yield* Effect.fail(new ExtractError(name, "an archive entry written through a link"))
        return path
      })
    const entries = Stream.fromAsyncIterable(
      extractor,
      (error) => new ExtractError(hostPath, (error as Error).message)
    )
    // written with backpressure: a chunk the extractor cannot take yet waits for its drain
    const feeding = Stream.runForEach(archive, (chunk) =>
      extractor.write(Buffer.from(chunk))
        ? Effect.void
        : Effect.async<void>((resume) => void extractor.once("drain", () => resume(Effect.void)))
    ).pipe(Effect.ensuring(Effect.sync(() => extractor.end(undefined as never))))
    const writing = Stream.runForEach(entries, (entry) =>
      Effect.gen(function*() {
        const header = entry.header
        const name = safeName(header.name)
        const drain = Effect.sync(() => entry.resume())
        if (typeof name !== "string") return yield* Effect.zipRight(drain, Effect.fail(name))
        const first = root === undefined && single
        single = false
        if (first && header.type === "directory") {
          root = name
          yield* attempt(target, () => fs.mkdir(target, { recursive: true }))
          return yield* drain
        }
        const isDirectoryTarget = first && (yield* attempt(target, () => fs.stat(target).then((s) => s.isDirectory(), () => false)))
        const path = first ? (isDirectoryTarget ? join(target, posix.basename(name)) : target) : yield* destination(name)
        if (!inside(path) && !first) return yield* Effect.zipRight(drain, Effect.fail(new ExtractError(name, "outside the destination")))
        switch (header.type) {
          case "directory":
            yield* attempt(path, () => fs.mkdir(path, { recursive: true, mode: (header.mode ?? 0o755) & 0o777 }))
            return yield* drain
          case "symlink":
            yield* attempt(path, () => fs.rm(path, { force: true }).then(() => fs.symlink(header.linkname ?? "", path)))
            return yield* drain
          case "file": {
            if (first) yield* attempt(path, () => fs.mkdir(dirname(path), { recursive: true }))
            // O_NOFOLLOW: a link already at the path is not written through
            const handle = yield* attempt(path, () =>
              fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, (header.mode ?? 0o644) & 0o777))
            yield* attempt(path, () => fs.writeFile(handle, entry as AsyncIterable<Uint8Array>)).pipe(Effect.ensuring(Effect.promise(() => handle.close())))
            return
          }
          default: // hard links, devices, FIFOs: not made on the host
            return yield* drain
        }
      }))
    yield* Effect.all([feeding, writing], { concurrency: 2, discard: true })
  })
