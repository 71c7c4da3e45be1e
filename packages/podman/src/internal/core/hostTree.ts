/**
 * The host side of `copyIn`, shared by every backend: a host tree read the way `podman cp` reads
 * it, and its tar archive as a stream.
 *
 * - Nothing inside the tree is followed: a symlink is archived as a symlink (its target as
 *   written), never as the content of what it points to; a file is opened with `O_NOFOLLOW` and
 *   checked to be the very regular file that was listed, so a link swapped in meanwhile is refused.
 * - Nothing blocks the event loop: every call is asynchronous, and a file is opened with
 *   `O_NONBLOCK`, so a FIFO is archived as a FIFO (as `podman cp` does) and never read.
 * - Sockets are skipped, as `podman cp` skips them ("copier: skipping socket"); character and
 *   block devices are archived as device entries.
 * - The archive is written by `tar-stream` (the library dockerode's `tar-fs` is built on): PAX
 *   headers carry names longer than ustar's 100 + 155 bytes and non-ASCII names; modes are kept.
 *
 * `node:fs/promises` rather than the platform's `FileSystem`: the latter has neither `lstat` nor
 * `O_NOFOLLOW`, and without both a link could be followed out of the tree.
 *
 * @internal
 */
import { Data, Effect, Fiber, Option, Stream } from "effect"
import { constants } from "node:fs"
import type { Stats } from "node:fs"
import * as fs from "node:fs/promises"
import { basename, join } from "node:path"
import * as tar from "tar-stream"

/** @internal */
export type EntryType = "file" | "directory" | "symlink" | "fifo" | "character-device" | "block-device"

/** @internal */
export interface HostEntry {
  /** The path inside the archive: relative, `/`-separated. */
  readonly path: string
  /** Where it is on the host. */
  readonly source: string
  readonly type: EntryType
  /** Permission bits (`0o7777`). */
  readonly mode: number
  readonly mtime: Date
  /** The inode `lstat` reported, checked again when a file is opened. */
  readonly ino: number
  /** A symlink's target, as written. */
  readonly linkname?: string | undefined
  readonly devmajor?: number | undefined
  readonly devminor?: number | undefined
}

/** @internal */
export interface HostTree {
  readonly isDirectory: boolean
  /** `src` itself (for a directory, path `""`). */
  readonly root: HostEntry
  /** Directories before what they hold; names sorted. */
  readonly entries: ReadonlyArray<HostEntry>
  /** Host paths left out because tar cannot hold them (sockets). */
  readonly skipped: ReadonlyArray<string>
}

/** A host path that could not be read: its path and the system's error code. @internal */
export class HostPathError extends Data.TaggedError("HostPathError")<{
  readonly path: string
  readonly code: string
  readonly detail: string
}> {
  override get message() {
    return `cannot read ${JSON.stringify(this.path)} on the host: ${this.detail}`
  }
}

const failure = (path: string) => (error: unknown): HostPathError => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "EIO"
  const detail = error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error)
  return new HostPathError({ path, code, detail })
}

const attempt = <A>(path: string, f: (signal: AbortSignal) => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: failure(path) })

const typeOf = (stat: Stats): EntryType | "socket" | undefined =>
  stat.isFile()
    ? "file"
    : stat.isDirectory()
    ? "directory"
    : stat.isSymbolicLink()
    ? "symlink"
    : stat.isFIFO()
    ? "fifo"
    : stat.isCharacterDevice()
    ? "character-device"
    : stat.isBlockDevice()
    ? "block-device"
    : stat.isSocket()
    ? "socket"
    : undefined

/** Linux's `dev_t` split into major and minor numbers. */
const deviceNumbers = (rdev: number) => ({
  devmajor: (Math.floor(rdev / 0x100) & 0xfff) | (Math.floor(rdev / 0x100000000) & ~0xfff),
  devminor: (rdev & 0xff) | (Math.floor(rdev / 0x1000) & ~0xff)
})

const entryOf = (path: string, source: string, stat: Stats, type: EntryType) =>
  Effect.map(
    type === "symlink" ? attempt(source, () => fs.readlink(source)) : Effect.succeed(undefined),
    (linkname): HostEntry => ({
      path,
      source,
      type,
      mode: stat.mode & 0o7777,
      mtime: stat.mtime,
      ino: stat.ino,
      linkname,
      ...(type === "character-device" || type === "block-device" ? deviceNumbers(stat.rdev) : {})
    })
  )

/**
 * The tree at `src`, or none when nothing is there. `src` itself is followed if it is a link (the
 * caller named it); nothing under it is.
 *
 * @internal
 */
export const read = (src: string): Effect.Effect<Option.Option<HostTree>, HostPathError> =>
  Effect.gen(function*() {
    const top = yield* attempt(src, () => fs.stat(src)).pipe(
      Effect.map(Option.some),
      Effect.catchIf((error) => error.code === "ENOENT" || error.code === "ENOTDIR", () =>
        Effect.succeed(Option.none<Stats>()))
    )
    if (Option.isNone(top)) {
      return Option.none()
    }
    const entries: Array<HostEntry> = []
    const skipped: Array<string> = []
    const add = (path: string, source: string, stat: Stats) => {
      const type = typeOf(stat)
      if (type === undefined || type === "socket") {
        skipped.push(source)
        return Effect.void
      }
      return Effect.map(entryOf(path, source, stat, type), (entry) =>
        void entries.push(entry))
    }
    if (!top.value.isDirectory()) {
      yield* add(basename(src), src, top.value)
      const root = entries[0]
      // a socket named as the source: nothing to copy, as `podman cp` copies nothing
      return root === undefined ? Option.none() : Option.some({ isDirectory: false, root, entries, skipped })
    }
    const root = yield* entryOf("", src, top.value, "directory")
    // depth first, with an explicit stack: a deep tree cannot exhaust the call stack
    const pending: Array<string> = [""]
    while (pending.length > 0) {
      const relative = pending.pop()!
      const dir = relative === "" ? src : join(src, relative)
      const names = (yield* attempt(dir, () => fs.readdir(dir))).sort()
      const subdirectories: Array<string> = []
      for (const name of names) {
        const path = relative === "" ? name : `${relative}/${name}`
        const source = join(dir, name)
        const stat = yield* attempt(source, () => fs.lstat(source))
        yield* add(path, source, stat)
        if (stat.isDirectory()) subdirectories.push(path)
      }
      pending.push(...subdirectories.reverse())
    }
    return Option.some({ isDirectory: true, root, entries, skipped })
  })

/**
 * Opens a listed regular file for reading without following a link and without blocking on a
 * FIFO; refuses anything that is no longer the file that was listed.
 */
const openListed = (entry: HostEntry) =>
  Effect.acquireRelease(
    attempt(
      entry.source,
      () => fs.open(entry.source, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    ),
    (handle) => Effect.promise(() => handle.close())
  ).pipe(
    Effect.flatMap((handle) =>
      Effect.flatMap(attempt(entry.source, () => handle.stat()), (stat) =>
        stat.isFile() && stat.ino === entry.ino
          ? Effect.succeed({ handle, size: stat.size })
          : Effect.fail(
            new HostPathError({ path: entry.source, code: "ECHANGED", detail: "it changed while being copied" })
          ))
    )
  )

/**
 * A host file's text when it is a regular file (none for a FIFO, a device, a folder, or a file
 * that cannot be read): opened without blocking, so a FIFO is never waited on.
 *
 * @internal
 */
export const readRegularText = (path: string): Effect.Effect<Option.Option<string>> =>
  Effect.scoped(
    Effect.acquireRelease(
      attempt(path, () => fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK)),
      (handle) => Effect.promise(() => handle.close())
    ).pipe(
      Effect.flatMap((handle) =>
        Effect.flatMap(attempt(path, () => handle.stat()), (stat) =>
          stat.isFile()
            ? Effect.map(attempt(path, (signal) => handle.readFile({ encoding: "utf8", signal })), Option.some)
            : Effect.succeed(Option.none<string>()))
      ),
      Effect.orElseSucceed(() => Option.none<string>())
    )
  )

/** A listed regular file's bytes (for the in-memory model). @internal */
export const readFile = (entry: HostEntry): Effect.Effect<Uint8Array, HostPathError> =>
  Effect.scoped(
    Effect.flatMap(openListed(entry), ({ handle }) =>
      attempt(entry.source, (signal) =>
        handle.readFile({ signal }).then((buffer) => new Uint8Array(buffer))))
  )

const header = (entry: HostEntry, size: number): tar.Header => ({
  name: entry.path,
  type: entry.type,
  mode: entry.mode,
  mtime: entry.mtime,
  size,
  // the container's root owns what is copied in, as with `podman cp`
  uid: 0,
  gid: 0,
  uname: "",
  gname: "",
  linkname: entry.linkname ?? "",
  devmajor: entry.devmajor ?? 0,
  devminor: entry.devminor ?? 0
})

const CHUNK = 64 * 1024

/**
 * One entry of the archive; a file's bytes are read in chunks as the archive is consumed
 * (`tar-stream`'s entry sink applies backpressure).
 */
const writeEntry = (pack: tar.Pack, entry: HostEntry): Effect.Effect<void, HostPathError> =>
  Effect.scoped(Effect.gen(function*() {
    const file = entry.type === "file" ? Option.some(yield* openListed(entry)) : Option.none()
    const size = Option.match(file, { onNone: () => 0, onSome: (f) => f.size })
    yield* Effect.async<void, HostPathError>((resume, signal) => {
      let resumed = false
      const finish = (error?: unknown) => {
        if (resumed) return
        resumed = true
        resume(error ? Effect.fail(failure(entry.source)(error)) : Effect.void)
      }
      const sink = pack.entry(header(entry, size), (error) => finish(error))
      if (Option.isNone(file)) {
        sink.end(undefined)
        return
      }
      const { handle } = file.value
      const copy = async () => {
        for (let offset = 0; offset < size && !signal.aborted;) {
          const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - offset))
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
          if (bytesRead === 0) throw new Error("it shrank while being copied")
          offset += bytesRead
          if (!sink.write(buffer.subarray(0, bytesRead))) {
            await new Promise<void>((drained) => sink.once("drain", () => drained()))
          }
        }
        sink.end(undefined)
      }
      copy().catch((error) => {
        sink.destroy(error)
        finish(error)
      })
    })
  }))

/**
 * The tar archive of `entries`, streamed: files are read as the archive is consumed. A file that
 * cannot be read, or changes, fails the stream.
 *
 * @internal
 */
export const archive = (entries: ReadonlyArray<HostEntry>): Stream.Stream<Uint8Array, HostPathError> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const pack = yield* Effect.acquireRelease(
      Effect.sync(() => tar.pack()),
      (pack) => Effect.sync(() => pack.destroy())
    )
    const writer = yield* Effect.forkScoped(
      Effect.forEach(entries, (entry) => writeEntry(pack, entry), { discard: true }).pipe(
        Effect.zipRight(Effect.sync(() => pack.finalize())),
        Effect.tapError((error) => Effect.sync(() => pack.destroy(error)))
      )
    )
    const bytes = Stream.fromAsyncIterable(pack as AsyncIterable<Buffer>, failure("tar archive")).pipe(
      Stream.map((chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    )
    // the writer's own failure (which file, why) wins over the archive's "destroyed"
    return Stream.concat(
      Stream.catchAll(
        bytes,
        (error) => Stream.fromEffect(Effect.flatMap(Fiber.join(writer), () => Effect.fail(error)))
      ),
      Stream.drain(Stream.fromEffect(Fiber.join(writer)))
    )
  }))
