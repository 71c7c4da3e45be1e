/**
 * A child's output as streams of lines, ended by its exit status.
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import type { NonZeroExit } from "../../PodmanError.js"
import { nonZeroExit } from "./runner.js"
import type { Started } from "./runner.js"

/** A child's output as lines: UTF-8 (invalid bytes replaced), without line endings. @internal */
export const lines = (bytes: Stream.Stream<Uint8Array, unknown>): Stream.Stream<string> =>
  bytes.pipe(Stream.orDie, Stream.decodeText(), Stream.splitLines)

/** Keeps the last lines of a stream, for error messages. @internal */
export const tailKeeper = (size: number) => {
  const kept: Array<string> = []
  return {
    keep: (line: string) => Effect.sync(() => void (kept.push(line) > size && kept.shift())),
    text: () => kept.join("\n")
  }
}

/** Ends a child's output stream: fails with `NonZeroExit` when the child did not exit 0. @internal */
export const checkExit = (child: Started, stderr: () => string): Stream.Stream<never, NonZeroExit> =>
  Stream.flatMap(Stream.fromEffect(child.exit), ({ exitCode, signal }) =>
    exitCode === 0
      ? Stream.empty
      : Stream.fail(
        nonZeroExit({ operation: child.operation, argv: child.argv, exitCode, signal, stdout: "", stderr: stderr() })
      ))
