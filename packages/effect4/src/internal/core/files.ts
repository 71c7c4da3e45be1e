/**
 * Files in and out of a container, on any backend of the Effect 4 edition: a host path (`copyIn`),
 * files from memory (`copyFiles`), a container path as a tar stream (`archive`), and that archive extracted onto the
 * host without trusting it (`copyOut`: `effect-podman-shared/Archive`, as in the Effect 3 edition).
 * Paths are checked before anything runs.
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import * as Archive from "effect-podman-shared/Archive"
import * as Limits from "effect-podman-shared/Limits"
import { shorten } from "effect-podman-shared/Messages"
import { posix, resolve } from "node:path"
import type { Container } from "../../ContainerRuntime.js"
import { InvalidArgument, NonZeroExit } from "../../PodmanError.js"
import type { Driver } from "./driver.js"

/** A path in the container: absolute, without `..`. */
const containerPath = (argument: string, path: string): Effect.Effect<string, InvalidArgument> => {
  const reason = Archive.containerPathProblem(path)
  return reason === undefined
    ? Effect.succeed(path)
    : Effect.fail(new InvalidArgument({ argument, value: shorten(path), reason }))
}

/** Extracts an archive stream to `hostPath`; its own failures stay typed, an interrupted one is abandoned. */
const extract = <E>(
  archive: Stream.Stream<Uint8Array, E>,
  hostPath: string
): Effect.Effect<void, E | Archive.ExtractError> =>
  Effect.acquireUseRelease(
    Effect.sync(() => Archive.extract(hostPath)),
    (extraction) =>
      Effect.andThen(
        Stream.runForEach(archive, (chunk) =>
          Effect.tryPromise({
            try: () => extraction.write(chunk),
            catch: (error) => error as Archive.ExtractError
          })),
        Effect.tryPromise({ try: () => extraction.end(), catch: (error) => error as Archive.ExtractError })
      ),
    (extraction, exit) => exit._tag === "Success" ? Effect.void : Effect.sync(() => extraction.abort())
  )

/** The file operations of the container `name` (`named` checks its name first). @internal */
export const make = (
  driver: Driver,
  name: string,
  named: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E | InvalidArgument>
): Pick<Container, "copyIn" | "copyFiles" | "archive" | "copyOut"> => {
  const archive: Container["archive"] = (path) =>
    Stream.unwrap(named(Effect.as(containerPath("container path", path), driver.archiveOut(name, path))))
  return {
    copyIn: (src, dest) => {
      const problem = Limits.argumentProblem("source path", src, { operand: true }) ??
        Limits.argumentProblem("destination path", dest, { operand: true })
      if (problem !== undefined) return Effect.fail(new InvalidArgument({ ...problem, value: shorten(problem.value) }))
      return named(driver.copyIn(name, resolve(src), dest))
    },
    copyFiles: (files) =>
      named(Effect.andThen(
        Effect.forEach(Object.keys(files), (path) => containerPath("file path", path), { discard: true }),
        driver.copyFilesIn(
          name,
          Object.entries(files).map(([path, content]) => ({
            path: posix.normalize(path),
            bytes: typeof content === "string" ? new TextEncoder().encode(content) : content
          }))
        )
      )),
    archive,
    copyOut: (path, hostPath) => {
      const problem = Limits.argumentProblem("host path", hostPath, { operand: true })
      if (problem !== undefined) return Effect.fail(new InvalidArgument({ ...problem, value: shorten(problem.value) }))
      return extract(archive(path), hostPath).pipe(
        Effect.catchTag(
          "ExtractError",
          (error) =>
            Effect.fail(
              new NonZeroExit({
                reason: { _tag: "HostFile" },
                operation: "container.copyOut",
                argv: [],
                stderr: `${error.path}: ${error.reason}`,
                cause: error.cause ?? error
              })
            )
        )
      )
    }
  }
}
