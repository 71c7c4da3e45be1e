/**
 * A container's `k8s-file` log read as a file, where podman runs on this host and the file is
 * readable: what `podman logs` prints, at the speed of reading a file (`pnpm bench` measures it
 * against `podman logs`).
 *
 * One record per line: `TIME STREAM P|F TEXT` — `P` a partial line the next record of the same
 * stream continues, `F` its end. The text is bytes (decoded once a line is whole, so a character
 * split across records survives); a partial line at the end of the file is a line of its own, as
 * `podman logs` prints it.
 *
 * @internal
 */
import { Chunk, Effect, Option, Stream } from "effect"
import { constants, watch } from "node:fs"
import * as fs from "node:fs/promises"
import type { LogEntry } from "../../Logs.js"
import type { ContainerInfo } from "./driver.js"
import { NonZeroExit } from "../../PodmanError.js"

const NEWLINE = 0x0a
const SPACE = 0x20

/** Whether `path` is a regular file this process can read (not a FIFO, not a link out). @internal */
export const readable = (path: string): Effect.Effect<boolean> =>
  Effect.promise(() =>
    fs.lstat(path).then(
      (stat) => stat.isFile() && fs.access(path, constants.R_OK).then(() => true, () => false),
      () => false
    )
  )

/** A record's time (RFC 3339 with nanoseconds, which `Date.parse` does not take) in milliseconds. */
const millis = (time: string): number => Date.parse(time.replace(/(\.\d{3})\d+/, "$1"))

/** How a follower learns that the log may have grown, and that it has ended. */
interface Follow {
  /** Whether the writer (the container's conmon) is still there. */
  readonly alive: () => boolean
  /** Checked this often besides the file system's own change events. */
  readonly pollMillis: number
}

/** Options of {@link read}. @internal */
export interface ReadOptions {
  readonly since?: Date | undefined
  readonly tail?: number | undefined
  /** Bytes read at a time (one buffer, reused: memory stays flat however long the log). */
  readonly chunkSize?: number | undefined
  /** Follow the file until the writer is gone (then read what it wrote last, and end). */
  readonly follow?: Follow | undefined
}

/**
 * The log's lines, in the order their last record was written, each with its stream; `since`
 * keeps records written at or after it, `tail` the last lines; `follow` goes on as the file grows.
 *
 * @internal
 */
export const read = (path: string, options: ReadOptions): Stream.Stream<LogEntry, Error> => {
  const since = options.since === undefined ? undefined : options.since.getTime()
  const lines = Stream.acquireRelease(
    Effect.tryPromise({ try: () => open(path, since, options.chunkSize ?? (1 << 18), options.follow), catch: asError }),
    (reader) => Effect.promise(() => reader.close())
  ).pipe(
    Stream.flatMap((reader) =>
      Stream.repeatEffectChunkOption(
        Effect.tryPromise({ try: () => reader.next(), catch: (error) => Option.some(asError(error)) }).pipe(
          Effect.flatMap((batch) => batch === undefined ? Effect.fail(Option.none()) : Effect.succeed(Chunk.unsafeFromArray(batch)))
        )
      )
    )
  )
  const tail = options.tail
  if (tail === undefined) return lines
  // the last `tail` lines, in a ring: a long log costs its reading, not its length in memory
  return Stream.unwrap(Effect.map(
    Stream.runFold(lines, { ring: new Array<LogEntry>(tail), count: 0 }, (kept, entry) => {
      if (tail > 0) kept.ring[kept.count % tail] = entry
      kept.count++
      return kept
    }),
    ({ count, ring }) => {
      const n = Math.min(count, tail)
      return Stream.fromIterable(Array.from({ length: n }, (_, i) => ring[(count - n + i) % tail]!))
    }
  ))
}

const asError = (error: unknown): Error => error instanceof Error ? error : new Error(String(error))

/**
 * A reader of the file's lines, a batch per `next` (none at the end): records parsed in place in
 * one reused buffer (a record cut by the end of a read moves to its front), partial records copied
 * until their line ends. Following, `next` waits at the end of the file for a change event or the
 * poll, and ends once the writer is gone and the file is read to its end; `close` ends a wait at once.
 */
const open = async (path: string, since: number | undefined, chunkSize: number, follow: Follow | undefined) => {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  const pending: { stdout: Array<Buffer>; stderr: Array<Buffer> } = { stdout: [], stderr: [] }
  const joined = (stream: "stdout" | "stderr", last: Buffer): string => {
    const parts = pending[stream]
    pending[stream] = []
    return Buffer.concat([...parts, last]).toString("utf8")
  }
  let buffer = Buffer.allocUnsafe(chunkSize)
  let kept = 0 // bytes of an unfinished record at the front
  let position = 0
  let done = false
  let closed = false
  let lastLook = false // the writer is gone: one more pass to the end of the file
  // a change event (or the poll, or close) wakes a follower waiting at the end of the file
  let wake: (() => void) | undefined
  const watcher = follow === undefined ? undefined : watch(path, () => wake?.())
  watcher?.on("error", () => wake?.())
  const nap = (millis: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => (wake = undefined, resolve()), millis)
      wake = () => (clearTimeout(timer), wake = undefined, resolve())
    })

  const parse = (view: Buffer): Array<LogEntry> => {
    const out: Array<LogEntry> = []
    let start = 0
    for (let end = view.indexOf(NEWLINE); end >= 0; end = view.indexOf(NEWLINE, start)) {
      // `TIME stdout F TEXT`: the stream and tag sit at fixed offsets after the time
      const a = view.indexOf(SPACE, start)
      const recordStart = start
      start = end + 1
      if (a < 0 || a + 9 > end || view[a + 7] !== SPACE || (a + 9 < end && view[a + 9] !== SPACE)) continue // not a record
      if (since !== undefined && millis(view.toString("latin1", recordStart, a)) < since) continue
      const stream = view[a + 4] === 0x65 ? "stderr" : "stdout" // "std" then o or e
      const textStart = Math.min(a + 10, end)
      if (view[a + 8] === 0x46) { // F: the line ends here
        out.push({
          stream,
          line: pending[stream].length === 0 ? view.toString("utf8", textStart, end) : joined(stream, view.subarray(textStart, end))
        })
      } else {
        pending[stream].push(Buffer.from(view.subarray(textStart, end)))
      }
    }
    kept = view.length - start
    buffer.copyWithin(0, start, view.length)
    return out
  }

  const next = async (): Promise<Array<LogEntry> | undefined> => {
    while (!done && !closed) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]) // a record longer than a read
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, position)
      position += bytesRead
      if (bytesRead > 0) {
        const out = parse(buffer.subarray(0, kept + bytesRead))
        if (out.length > 0) return out
        continue
      }
      if (follow === undefined || lastLook) {
        done = true
      } else if (!follow.alive()) {
        lastLook = true
      } else {
        // conmon truncates a log that outgrows its size limit: read it again from the start
        if ((await handle.stat()).size < position) position = kept = 0
        else await nap(follow.pollMillis)
      }
    }
    if (closed) return undefined
    // a partial line at the end is a line of its own, as `podman logs` prints it
    const rest = (["stdout", "stderr"] as const).flatMap((stream) =>
      pending[stream].length === 0 ? [] : [{ stream, line: joined(stream, Buffer.alloc(0)) }]
    )
    pending.stdout = []
    pending.stderr = []
    return rest.length > 0 ? rest : undefined
  }

  const close = async () => {
    closed = true
    wake?.()
    watcher?.close()
    await handle.close()
  }
  return { next, close }
}

/**
 * Whether the process `pid` is there (signal 0 probes without signalling). Someone else's process
 * (`EPERM`) is there too.
 */
const exists = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * The container's log from its own file, when it has one this process can read (a local podman's
 * `k8s-file`): a dump, or — `follow`, for a running container without `tail` — the file followed
 * until its conmon is gone. None otherwise: the caller asks podman. A read that fails midway is a
 * `NonZeroExit` of `container.logs`.
 *
 * @internal
 */
export const fromFile = (
  info: Pick<ContainerInfo, "logFile" | "conmonPid" | "state">,
  options: { readonly since?: Date | undefined; readonly tail?: number | undefined; readonly follow?: boolean | undefined }
): Effect.Effect<Option.Option<Stream.Stream<LogEntry, NonZeroExit>>> => {
  const follow = options.follow === true
    ? Option.filter(info.conmonPid, () => info.state === "running" && options.tail === undefined).pipe(
      Option.map((pid): Follow => ({ alive: () => exists(pid), pollMillis: 250 }))
    )
    : Option.some(undefined)
  return Option.match(Option.all([info.logFile, follow]), {
    onNone: () => Effect.succeed(Option.none()),
    onSome: ([path, follow]) =>
      Effect.map(readable(path), (ok) =>
        ok
          ? Option.some(Stream.mapError(read(path, { ...options, follow }), (error) =>
            new NonZeroExit({ operation: "container.logs", argv: ["read", path], stderr: `Error: ${error.message}` })))
          : Option.none())
  })
}
