/**
 * `execStdio` in the Effect 4 model: a conversation a test scripts (each stdin line answered with
 * its lines), `cat` echoing its stdin as it comes, or another command that reads all of its stdin
 * first and then runs in the model's shell.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import * as Shell from "effect-podman-shared/Shell"
import type { ExecResult } from "../../ContainerRuntime.js"
import type { NonZeroExit, PodmanError } from "../../PodmanError.js"
import type { Driver, ExecSettings } from "../core/driver.js"
import type * as Control from "./control.js"
import type { Container } from "./core.js"
import { refused, within } from "./core.js"
import * as Files from "./files.js"

/** @internal */
export const make = (model: {
  readonly withContainer: <A, E, R>(
    argv: ReadonlyArray<string>,
    name: string,
    f: (c: Container) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | PodmanError, R>
  readonly exec: (
    c: Container,
    argv: ReadonlyArray<string>,
    podman: ReadonlyArray<string>,
    settings: ExecSettings
  ) => Effect.Effect<ExecResult, NonZeroExit>
  readonly io: (c: Container) => Shell.Io
  readonly scripts: Control.Scripts
}): Driver["execStdio"] =>
(name, argv, options) => {
  const command = Argv.execArgs(name, argv, { ...options, interactive: true }).args
  const run = model.withContainer(command, name, (c) => {
    if (c.state !== "running") return Effect.fail(refused(command, Answers.execNotRunning))
    // a conversation the test scripts: each stdin line answered with its lines
    for (const script of model.scripts.stdio) {
      const answer = script(c.name, argv)
      if (Option.isSome(answer)) {
        return options.stdin.pipe(
          Stream.decodeText,
          Stream.splitLines,
          Stream.map((line) => answer.value(line).map((out) => Files.encoder.encode(`${out}\n`))),
          Stream.flattenIterable,
          Stream.run(options.stdout),
          Effect.as(0)
        )
      }
    }
    if (argv.length === 1 && (argv[0] === "cat" || argv[0] === "/bin/cat") && !Shell.isMissing(argv[0], model.io(c))) {
      return Effect.as(Stream.run(options.stdin, options.stdout), 0)
    }
    return Effect.gen(function*() {
      const input = yield* Stream.runCollect(options.stdin)
      const stdin = new Uint8Array(input.reduce((size, chunk) => size + chunk.length, 0))
      input.reduce((offset, chunk) => (stdin.set(chunk, offset), offset + chunk.length), 0)
      const { exitCode, ...out } = yield* model.exec(c, argv, command, { ...options, stdin })
      yield* Stream.run(Stream.make(Files.encoder.encode(out.stdout)), options.stdout)
      if (options.stderr !== undefined) yield* Stream.run(Stream.make(Files.encoder.encode(out.stderr)), options.stderr)
      return exitCode
    })
  })
  return within(options.timeout, command)(run)
}
