/**
 * Tar archives in and out of containers (`effect-podman-shared/Archive`, one copy for both
 * editions) as Effect 3 streams: files from memory packed for `copyFiles`, and an archive a
 * container gives extracted onto the host without trusting it. The archive's own failures stay
 * typed; an extraction that is interrupted is abandoned.
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import * as Archive from "effect-podman-shared/Archive"

/** @internal */
export type MemoryFile = Archive.MemoryFile

/** @internal */
export const ExtractError = Archive.ExtractError

/** @internal */
export type ExtractError = Archive.ExtractError

/**
 * The tar archive of in-memory files, rooted at `/`; `directories` are written first.
 *
 * @internal
 */
export const pack = (
  files: ReadonlyArray<MemoryFile>,
  directories: ReadonlyArray<string> = []
): Stream.Stream<Uint8Array> =>
  Stream.orDie(Stream.fromAsyncIterable(Archive.pack(files, directories), (error) => error))

/**
 * Extracts a container's archive of one path to `hostPath` (`Archive.extract`: a directory's
 * contents into it, a file to it; links as links, nothing written through one).
 *
 * @internal
 */
export const extract = <E>(
  archive: Stream.Stream<Uint8Array, E>,
  hostPath: string
): Effect.Effect<void, E | ExtractError> =>
  Effect.acquireUseRelease(
    Effect.sync(() => Archive.extract(hostPath)),
    (extraction) =>
      Effect.zipRight(
        Stream.runForEach(
          archive,
          (chunk) => Effect.tryPromise({ try: () => extraction.write(chunk), catch: (error) => error as ExtractError })
        ),
        Effect.tryPromise({ try: () => extraction.end(), catch: (error) => error as ExtractError })
      ),
    (extraction, exit) => exit._tag === "Success" ? Effect.void : Effect.sync(() => extraction.abort())
  )
