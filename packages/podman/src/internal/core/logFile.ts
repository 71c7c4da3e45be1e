/**
 * A container's `k8s-file` log as a `Stream`: the reader of `effect-podman-shared/LogFile` (the
 * file parsed in place, followed until the container's conmon is gone), wrapped for Effect 3.
 *
 * @internal
 */
import { Chunk, Effect, Option, Stream } from "effect"
import * as LogFile from "effect-podman-shared/LogFile"
import type { LogEntry } from "../../Logs.js"
import { NonZeroExit } from "../../PodmanError.js"
import type { ContainerInfo } from "./driver.js"

/** Options of {@link read}. @internal */
export interface ReadOptions {
  readonly since?: Date | undefined
  readonly tail?: number | undefined
  /** Bytes read at a time (one buffer, reused: memory stays flat however long the log). */
  readonly chunkSize?: number | undefined
  /** Follow the file until the writer is gone (then read what it wrote last, and end). */
  readonly follow?: LogFile.Follow | undefined
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
    Effect.tryPromise({
      try: () => LogFile.open(path, { since, chunkSize: options.chunkSize, follow: options.follow }),
      catch: asError
    }),
    (reader) => Effect.promise(() => reader.close())
  ).pipe(
    Stream.flatMap((reader) =>
      Stream.repeatEffectChunkOption(
        Effect.tryPromise({ try: () => reader.next(), catch: (error) => Option.some(asError(error)) }).pipe(
          Effect.flatMap((batch) =>
            batch === undefined ? Effect.fail(Option.none()) : Effect.succeed(Chunk.unsafeFromArray(batch))
          )
        )
      )
    )
  )
  const tail = options.tail
  if (tail === undefined) return lines
  // the last `tail` lines, in a ring: a long log costs its reading, not its length in memory
  return Stream.unwrap(Effect.map(
    Stream.runFold(lines, new LogFile.Last<LogEntry>(tail), (kept, entry) => kept.push(entry)),
    (kept) => Stream.fromIterable(kept.values())
  ))
}

const asError = (error: unknown): Error => error instanceof Error ? error : new Error(String(error))

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
  options: {
    readonly since?: Date | undefined
    readonly tail?: number | undefined
    readonly follow?: boolean | undefined
  }
): Effect.Effect<Option.Option<Stream.Stream<LogEntry, NonZeroExit>>> => {
  const source = LogFile.source(
    {
      logPath: Option.getOrUndefined(info.logFile),
      conmonPid: Option.getOrElse(info.conmonPid, () => 0),
      running: info.state === "running"
    },
    { follow: options.follow === true, tail: options.tail }
  )
  if (source === undefined) return Effect.succeed(Option.none())
  const { follow, path } = source
  return Effect.map(Effect.promise(() => LogFile.readable(path)), (ok) =>
    ok
      ? Option.some(Stream.mapError(read(path, { ...options, follow }), (error) =>
        new NonZeroExit({
          reason: "HostFile",
          operation: "container.logs",
          argv: [],
          stderr: `${path}: ${error.message}`,
          cause: error
        })))
      : Option.none())
}
