/**
 * The podman runner for Effect 4: one `podman` child per call through `effect/process`, in a scope
 * of its own — its output collected, its exit code read, and, when the call is interrupted or its
 * bound passes, the child killed (SIGTERM, then SIGKILL after `killGrace`: the spawner's
 * `forceKillAfter`, which Effect 4 leaves unset by default). What the kernel would refuse is refused
 * first; every argv in an error, log or span is redacted (`effect-podman-shared`).
 *
 * @internal
 */
import { Duration, Effect, Fiber, Stream } from "effect"
import { cliOperation, reasonOf } from "effect-podman-shared/Failures"
import { spawnProblem } from "effect-podman-shared/Limits"
import type { LogEntry } from "effect-podman-shared/LogFile"
import { shorten } from "effect-podman-shared/Messages"
import { redactEnvArgs, redactText } from "effect-podman-shared/Redact"
import * as Scratch from "effect-podman-shared/Scratch"
import type { PlatformError } from "effect/PlatformError"
import { ChildProcess, ChildProcessSpawner } from "effect/process"
import { InvalidArgument, NonZeroExit, PodmanMissing, Timeout } from "../../PodmanError.js"

/** @internal */
export interface RunnerConfig {
  readonly binary: string
  readonly globalArgs: ReadonlyArray<string>
  readonly timeout: Duration.Duration
  readonly killGrace: Duration.Duration
}

/** What a finished podman call gave. @internal */
export interface Output {
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Options of one call: secret environment values, a bound (the caller's own, or one of the layer's
 * options — `layerBound` — such as `startTimeout`), what to write to its stdin.
 *
 * @internal
 */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly timeout?: Duration.Input | undefined
  /** The bound is the layer's (a `LayerBound` Timeout: podman did not answer), not the caller's. */
  readonly layerBound?: boolean | undefined
  readonly stdin?: Stream.Stream<Uint8Array> | undefined
}

const text = (stream: Stream.Stream<Uint8Array, PlatformError>) =>
  stream.pipe(Stream.decodeText(), Stream.runFold(() => "", (all, chunk: string) => all + chunk))

/**
 * A scratch folder for one podman child's temporary files, passed as its `TMPDIR` and removed
 * with the scope (podman 4.3 leaves `podman cp -`'s archive in its temporary folder; a killed
 * build leaves bundles there). Where no folder can be made the child runs without one.
 *
 * @internal
 */
export const scratch = Effect.map(
  Effect.acquireRelease(
    Effect.promise(() => Scratch.make().catch(() => undefined)),
    (folder) => folder === undefined ? Effect.void : Effect.promise(() => Scratch.remove(folder))
  ),
  (folder) => ({ folder, env: folder === undefined ? {} : { TMPDIR: folder } })
)

/** @internal */
export const make = Effect.gen(function*() {
  const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
  return (config: RunnerConfig) => {
    const spawnFailure = (argv: ReadonlyArray<string>) => (error: PlatformError) =>
      new PodmanMissing({
        binary: config.binary,
        argv: redactEnvArgs(argv),
        reason: {
          _tag: error.reason._tag === "NotFound"
            ? "NotFound"
            : error.reason._tag === "PermissionDenied"
            ? "NotExecutable"
            : "SpawnFailed"
        },
        detail: error.reason._tag
      })

    /**
     * A podman child in the caller's scope, with this process's environment extended by `env`
     * (podman needs its PATH and CONTAINERS_CONF: Effect 4 replaces the environment unless told
     * to extend it); what the kernel would refuse is refused first.
     */
    const spawn = (
      args: ReadonlyArray<string>,
      options: {
        readonly env?: Readonly<Record<string, string>> | undefined
        readonly stdin: "pipe" | "ignore" | Stream.Stream<Uint8Array>
      }
    ) => {
      const full = [config.binary, ...config.globalArgs, ...args]
      const env = options.env ?? {}
      return Effect.gen(function*() {
        const problem = spawnProblem(full, env, process.env)
        if (problem !== undefined) return yield* new InvalidArgument({ ...problem, value: shorten(problem.value) })
        return yield* ChildProcess.make(config.binary, [...config.globalArgs, ...args], {
          env,
          extendEnv: true,
          forceKillAfter: config.killGrace,
          stdin: options.stdin
        }).pipe(
          Effect.mapError(spawnFailure(full)),
          Effect.provideService(ChildProcessSpawner.ChildProcessSpawner, spawner)
        )
      })
    }

    /** Runs podman to its end: its output whatever the exit code. */
    const exec = (args: ReadonlyArray<string>, options: RunOptions = {}) => {
      const full = [config.binary, ...config.globalArgs, ...args]
      const redacted = redactEnvArgs(full)
      const operation = cliOperation(args)
      const callerBound = options.timeout !== undefined && options.layerBound !== true
      const bound = options.timeout === undefined ? config.timeout : Duration.fromInputUnsafe(options.timeout)
      return Effect.gen(function*() {
        const handle = yield* spawn(args, { env: options.env, stdin: options.stdin ?? "ignore" })
        const [stdout, stderr, exitCode] = yield* Effect.all([
          text(handle.stdout),
          text(handle.stderr),
          handle.exitCode
        ], {
          concurrency: "unbounded"
        })
        return {
          operation,
          argv: full,
          exitCode: Number(exitCode),
          stdout,
          stderr: redactText(stderr, full)
        } satisfies Output
      }).pipe(
        Effect.mapError((error) => error._tag === "PlatformError" ? spawnFailure(full)(error) : error),
        Effect.scoped,
        Effect.provideService(ChildProcessSpawner.ChildProcessSpawner, spawner),
        Duration.isFinite(bound)
          ? Effect.timeoutOrElse({
            duration: bound,
            orElse: () =>
              Effect.fail(
                new Timeout({
                  argv: redacted,
                  timeoutMillis: Duration.toMillis(bound),
                  reason: { _tag: callerBound ? "CallerBound" : "LayerBound" },
                  operation
                })
              )
          })
          : (effect) => effect,
        Effect.withSpan(`podman ${operation}`, { attributes: { "podman.argv": redacted.join(" ") } })
      )
    }

    /** Runs podman and fails with `NonZeroExit` (its reason from podman's words) unless it exits 0. */
    const run = (args: ReadonlyArray<string>, options: RunOptions = {}) =>
      Effect.flatMap(
        exec(args, options),
        (output) => output.exitCode === 0 ? Effect.succeed(output) : Effect.fail(nonZeroExit(output))
      )

    /**
     * podman's stdout as it comes, while it runs (`logs --follow`, `cp NAME:PATH -`): the child
     * lives as long as the stream; an exit other than 0 fails the stream with `NonZeroExit`
     * (stderr kept for it).
     */
    const bytes = (
      args: ReadonlyArray<string>
    ): Stream.Stream<Uint8Array, PodmanMissing | InvalidArgument | NonZeroExit> => {
      const full = [config.binary, ...config.globalArgs, ...args]
      return Stream.unwrap(Effect.gen(function*() {
        const handle = yield* spawn(args, { stdin: "ignore" })
        const stderr = yield* Effect.forkScoped(text(handle.stderr).pipe(Effect.orElseSucceed(() => "")))
        const end = Effect.gen(function*() {
          const exitCode = Number(yield* Effect.orElseSucceed(handle.exitCode, () => -1))
          if (exitCode === 0) return
          const words = yield* Fiber.join(stderr)
          return yield* nonZeroExit({
            operation: cliOperation(args),
            argv: full,
            exitCode,
            stdout: "",
            stderr: redactText(words, full)
          })
        })
        return handle.stdout.pipe(Stream.mapError(spawnFailure(full)), Stream.concat(Stream.fromEffectDrain(end)))
      }))
    }

    /**
     * A podman child in the caller's scope, its stdin piped (`exec --interactive`): the caller
     * reads its streams and exit code; closing the scope kills it (TERM, then KILL after the grace).
     */
    const start = (
      args: ReadonlyArray<string>,
      options: { readonly env?: Readonly<Record<string, string>> | undefined } = {}
    ) => {
      const full = [config.binary, ...config.globalArgs, ...args]
      return Effect.gen(function*() {
        const handle = yield* spawn(args, { env: options.env, stdin: "pipe" })
        return {
          handle,
          operation: cliOperation(args),
          argv: redactEnvArgs(full),
          redact: (text: string) => redactText(text, full)
        }
      })
    }

    /**
     * `podman logs`' output as entries while it runs: its stdout lines are the container's stdout,
     * its stderr lines the container's stderr (podman writes each to its own). An exit other than
     * 0 fails the stream with `NonZeroExit`, the last stderr lines its words. `env` extends the
     * child's environment.
     */
    const entries = (
      args: ReadonlyArray<string>,
      env: Readonly<Record<string, string>> = {}
    ): Stream.Stream<LogEntry, PodmanMissing | InvalidArgument | NonZeroExit> => {
      const full = [config.binary, ...config.globalArgs, ...args]
      return Stream.unwrap(Effect.gen(function*() {
        const handle = yield* spawn(args, { env, stdin: "ignore" })
        // a stderr line that may be podman's own last words ("Error: …") is held until the exit
        // says whose it was
        const held: Array<string> = []
        const tagged = (stream: Stream.Stream<Uint8Array, PlatformError>, name: "stdout" | "stderr") =>
          stream.pipe(
            Stream.mapError(spawnFailure(full)),
            Stream.decodeText(),
            Stream.splitLines,
            Stream.flatMap((line) => {
              if (name === "stderr" && (line.startsWith("Error: ") || held.length > 0)) {
                held.push(line)
                return Stream.empty
              }
              const entry: LogEntry = { stream: name, line }
              return Stream.make(entry)
            })
          )
        const end = Stream.unwrap(Effect.gen(function*() {
          const exitCode = Number(yield* Effect.orElseSucceed(handle.exitCode, () => -1))
          if (exitCode === 0) return Stream.fromIterable(held.map((line): LogEntry => ({ stream: "stderr", line })))
          return yield* nonZeroExit({
            operation: cliOperation(args),
            argv: full,
            exitCode,
            stdout: "",
            stderr: redactText(held.join("\n"), full)
          })
        }))
        return Stream.merge(tagged(handle.stdout, "stdout"), tagged(handle.stderr, "stderr")).pipe(Stream.concat(end))
      }))
    }

    /** podman's stdout as lines while it runs (`bytes`, decoded and split). */
    const lines = (args: ReadonlyArray<string>): Stream.Stream<string, PodmanMissing | InvalidArgument | NonZeroExit> =>
      bytes(args).pipe(Stream.decodeText(), Stream.splitLines)

    return { config, exec, run, bytes, lines, entries, start }
  }
})

/** The `NonZeroExit` of a finished call. @internal */
export const nonZeroExit = (output: Output): NonZeroExit =>
  new NonZeroExit({
    reason: { _tag: reasonOf(output.stderr) },
    operation: output.operation,
    argv: redactEnvArgs(output.argv),
    exitCode: output.exitCode,
    stderr: output.stderr.trim().split("\n").slice(-20).join("\n")
  })

/** @internal */
export type Runner = ReturnType<Effect.Success<typeof make>>
