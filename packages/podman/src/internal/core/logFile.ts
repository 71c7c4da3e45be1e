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
import { constants } from "node:fs"
import * as fs from "node:fs/promises"
import type { LogEntry } from "../../Logs.js"
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

/**
 * The log's lines, in the order their last record was written, each with its stream; `since`
 * keeps records written at or after it, `tail` the last lines. `chunkSize`: bytes read at a time
 * (one buffer, reused: memory stays flat however long the log).
 *
 * @internal
 */
export const read = (
  path: string,
  options: { readonly since?: Date | undefined; readonly tail?: number | undefined; readonly chunkSize?: number | undefined }
): Stream.Stream<LogEntry, Error> => {
  const since = options.since === undefined ? undefined : options.since.getTime()
  const lines = Stream.fromAsyncIterable(
    entries(path, since, options.chunkSize ?? (1 << 18)),
    (error) => error instanceof Error ? error : new Error(String(error))
  ).pipe(Stream.mapConcatChunk(Chunk.unsafeFromArray))
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

/**
 * The file's lines, a batch per read: records parsed in place in one reused buffer (a record cut
 * by the end of a read moves to its front), partial records copied until their line ends.
 */
async function* entries(path: string, since: number | undefined, chunkSize: number): AsyncGenerator<Array<LogEntry>> {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  const pending: { stdout: Array<Buffer>; stderr: Array<Buffer> } = { stdout: [], stderr: [] }
  const joined = (stream: "stdout" | "stderr", last: Buffer): string => {
    const parts = pending[stream]
    pending[stream] = []
    return Buffer.concat([...parts, last]).toString("utf8")
  }
  try {
    let buffer = Buffer.allocUnsafe(chunkSize)
    let kept = 0 // bytes of an unfinished record at the front
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]) // a record longer than a read
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null)
      if (bytesRead === 0) break
      const view = buffer.subarray(0, kept + bytesRead)
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
      if (out.length > 0) yield out
    }
    // a partial line at the end is a line of its own, as `podman logs` prints it
    const rest = (["stdout", "stderr"] as const).flatMap((stream) =>
      pending[stream].length === 0 ? [] : [{ stream, line: joined(stream, Buffer.alloc(0)) }]
    )
    if (rest.length > 0) yield rest
  } finally {
    await handle.close()
  }
}

/**
 * A log dump from the container's own file, when it has one that this process can read (a local
 * podman's `k8s-file`); none otherwise — the caller asks podman. A read that fails midway is a
 * `NonZeroExit` of `container.logs`.
 *
 * @internal
 */
export const dump = (
  logFile: Option.Option<string>,
  options: { readonly since?: Date | undefined; readonly tail?: number | undefined }
): Effect.Effect<Option.Option<Stream.Stream<LogEntry, NonZeroExit>>> =>
  Option.match(logFile, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (path) =>
      Effect.map(readable(path), (ok) =>
        ok
          ? Option.some(Stream.mapError(read(path, options), (error) =>
            new NonZeroExit({ operation: "container.logs", argv: ["read", path], stderr: `Error: ${error.message}` })))
          : Option.none())
  })

