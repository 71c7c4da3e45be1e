/**
 * A container's `k8s-file` log read as a file, where podman runs on this host: what `podman logs`
 * prints, at the speed of reading a file. One record per line: `TIME STREAM P|F TEXT` — `P` a
 * partial line the next record of the same stream continues, `F` its end. The text is bytes
 * (decoded once a line is whole, so a character split across records survives); a partial line at
 * the end of the file is a line of its own, as `podman logs` prints it. Each edition wraps the
 * reader in its `Stream`.
 *
 * @since 0.4.0
 */
import { constants, watch } from "node:fs"
import * as fs from "node:fs/promises"

const NEWLINE = 0x0a
const SPACE = 0x20

/**
 * A log line and the stream it came on.
 *
 * @example
 * ```ts
 * import type { LogFile } from "effect-podman-shared"
 *
 * const entry: LogFile.LogEntry = { stream: "stderr", line: "warning: low disk" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface LogEntry {
  readonly stream: "stdout" | "stderr"
  readonly line: string
}

/**
 * Whether `path` is a regular file this process can read (not a FIFO, not a link out).
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * const ok: Promise<boolean> = LogFile.readable("/var/lib/containers/storage/overlay-containers/ID/userdata/ctr.log")
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const readable = (path: string): Promise<boolean> =>
  fs.lstat(path).then(
    (stat) => stat.isFile() && fs.access(path, constants.R_OK).then(() => true, () => false),
    () => false
  )

/** A record's time (RFC 3339 with nanoseconds, which `Date.parse` does not take) in milliseconds. */
const millis = (time: string): number => Date.parse(time.replace(/(\.\d{3})\d+/, "$1"))

/**
 * How a follower learns that the log may have grown, and that it has ended.
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * const follow: LogFile.Follow = { alive: () => LogFile.processExists(4242), pollMillis: 250 }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Follow {
  /** Whether the writer (the container's conmon) is still there. */
  readonly alive: () => boolean
  /** Checked this often besides the file system's own change events. */
  readonly pollMillis: number
}

/**
 * A reader of a log file: `next` gives a batch of lines (`undefined` at the end), `close` ends it
 * (and a wait of `next`) at once.
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * const count = async (path: string) => {
 *   const reader = await LogFile.open(path, {})
 *   let lines = 0
 *   try {
 *     for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) lines += batch.length
 *   } finally {
 *     await reader.close()
 *   }
 *   return lines
 * }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Reader {
  readonly next: () => Promise<Array<LogEntry> | undefined>
  readonly close: () => Promise<void>
}

/**
 * Options of {@link open}: `since` keeps records written at or after it (ms since the epoch);
 * `chunkSize` is the bytes read at a time (default 256 KiB); `follow` goes on as the file grows.
 *
 * @example
 * ```ts
 * import type { LogFile } from "effect-podman-shared"
 *
 * const options: LogFile.OpenOptions = { since: Date.parse("2026-11-29T08:00:00Z") }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface OpenOptions {
  readonly since?: number | undefined
  readonly chunkSize?: number | undefined
  readonly follow?: Follow | undefined
}

/**
 * A reader of the file's lines, a batch per `next` (none at the end): records parsed in place in
 * one reused buffer (a record cut by the end of a read moves to its front), partial records copied
 * until their line ends. Following, `next` waits at the end of the file for a change event or the
 * poll, and ends once the writer is gone and the file is read to its end; `close` ends a wait at once.
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * const reader: Promise<LogFile.Reader> = LogFile.open("/path/to/ctr.log", { chunkSize: 1 << 16 })
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const open = async (path: string, options: OpenOptions): Promise<Reader> => {
  const { since, follow } = options
  const chunkSize = options.chunkSize ?? 1 << 18
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
          line: pending[stream].length === 0
            ? view.toString("utf8", textStart, end)
            : joined(stream, view.subarray(textStart, end))
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
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * LogFile.processExists(process.pid) // true
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const processExists = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Whether a container's log can be served from its file, and how: `undefined` when podman writes
 * none (another log driver) or when following it needs podman (a container that is not running,
 * or `tail` with `follow`); else its path, and — following — a follower that ends when the
 * container's conmon is gone. Whether this process can read the file is the caller's next check
 * ({@link readable}); a remote podman's paths are not this host's.
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * LogFile.source({ logPath: "/var/lib/containers/storage/overlay-containers/ID/userdata/ctr.log", conmonPid: 4242, running: true }, { follow: true })
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const source = (
  info: { readonly logPath: string | undefined; readonly conmonPid: number; readonly running: boolean },
  options: { readonly follow: boolean; readonly tail?: number | undefined }
): { readonly path: string; readonly follow: Follow | undefined } | undefined => {
  if (info.logPath === undefined || info.logPath === "") return undefined
  if (!options.follow) return { path: info.logPath, follow: undefined }
  if (!info.running || info.conmonPid <= 0 || options.tail !== undefined) return undefined
  const pid = info.conmonPid
  return { path: info.logPath, follow: { alive: () => processExists(pid), pollMillis: 250 } }
}

/**
 * The last `size` items of a sequence, kept in a ring as they come: a long log costs its reading,
 * not its length in memory (a log's `tail`).
 *
 * @example
 * ```ts
 * import { LogFile } from "effect-podman-shared"
 *
 * const last = new LogFile.Last<string>(2)
 * for (const line of ["a", "b", "c"]) last.push(line)
 * last.values() // ["b", "c"]
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export class Last<A> {
  private readonly ring: Array<A>
  private count = 0
  constructor(readonly size: number) {
    this.ring = new Array<A>(size)
  }
  /** Keeps `item`, dropping the oldest when full. */
  push(item: A): this {
    if (this.size > 0) this.ring[this.count % this.size] = item
    this.count++
    return this
  }
  /** What is kept, oldest first. */
  values(): Array<A> {
    const n = Math.min(this.count, this.size)
    return Array.from({ length: n }, (_, i) => this.ring[(this.count - n + i) % this.size]!)
  }
}
