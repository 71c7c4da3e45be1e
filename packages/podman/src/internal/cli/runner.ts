/**
 * The one argv runner: every podman invocation of the live layer goes through `Runner.exec`.
 *
 * @internal
 */
import { Command, CommandExecutor } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Cause, Duration, Effect, Option, Redacted, Stream } from "effect"
import type { Scope } from "effect"
import * as Scratch from "effect-podman-shared/Scratch"
import { constants } from "node:os"
import { NonZeroExit, PodmanMissing } from "../../PodmanError.js"
import { InvalidArgument as InvalidArgumentError } from "../../PodmanError.js"
import type { InvalidArgument, PodmanError, Timeout } from "../../PodmanError.js"
import { redactEnvArgs, redactText } from "../../Redact.js"
import * as Failures from "../core/failures.js"
import * as Validate from "../core/validate.js"

/** @internal */
export interface RunnerConfig {
  readonly binary: string
  readonly globalArgs: ReadonlyArray<string>
  readonly timeout: Duration.Duration
  readonly killGrace: Duration.Duration
}

/**
 * An operand supplied by the caller (a container name, an image ref, a path): validated before
 * spawning so that podman never reads it as a flag.
 *
 * @internal
 */
export class Operand {
  constructor(readonly argument: string, readonly value: string) {}
}

/** @internal */
export const operand = (argument: string, value: string): Operand => new Operand(argument, value)

/** @internal */
export type Arg = string | Operand

/** @internal */
export const resolveArgs = (args: ReadonlyArray<Arg>): Effect.Effect<Array<string>, InvalidArgument> =>
  Effect.suspend(() => {
    const values = args.map((arg) => (arg instanceof Operand ? arg.value : arg))
    // an error shows the redacted argument: a refused `-e API_KEY=…` must not quote the key's value
    const redacted = redactEnvArgs(values)
    return Effect.as(
      Effect.forEach(args, (arg, i) =>
        Effect.mapError(
          arg instanceof Operand ? Validate.operand(arg.argument, arg.value) : Validate.text("argument", arg),
          (error) => new InvalidArgumentError({ ...error, value: redacted[i]! })
        ), { discard: true }),
      values
    )
  })

/**
 * A scratch folder for one podman child's temporary files, passed as its `TMPDIR` and removed
 * with the scope (podman 4.3 leaves `podman cp -`'s archive in its temporary folder; a killed
 * build leaves bundles there). Where no folder can be made the child runs without one.
 *
 * @internal
 */
export const scratch: Effect.Effect<
  { readonly folder: string | undefined; readonly env: Record<string, string> },
  never,
  Scope.Scope
> = Effect.map(
  Effect.acquireRelease(
    Effect.promise(() => Scratch.make().catch(() => undefined)),
    (folder) => folder === undefined ? Effect.void : Effect.promise(() => Scratch.remove(folder))
  ),
  (folder) => ({ folder, env: folder === undefined ? {} : { TMPDIR: folder } })
)

/** What a finished podman process left behind. @internal */
export interface Output {
  /** The operation the command performs (`container.start`, …). */
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  readonly exitCode: number
  readonly signal: Option.Option<string>
  readonly stdout: string
  readonly stderr: string
}

/** @internal */
export interface ExecOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly stdin?: Stream.Stream<Uint8Array> | undefined
  /**
   * Extra environment of the podman process. Secrets go here (with `-e KEY` and no value in the
   * argv, podman reads the value from its own environment), so they never appear in an argv.
   */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** Whether `timeout` is the caller's own bound (`wait({ timeout })`) rather than the layer's. */
  readonly callerBound?: boolean | undefined
}

/** @internal */
export interface Runner {
  readonly config: RunnerConfig
  /** The full argv (binary and global options first) for podman arguments. */
  readonly argv: (args: ReadonlyArray<string>) => Array<string>
  /** Runs podman; any exit code is an `Output`. */
  readonly exec: (
    args: ReadonlyArray<Arg>,
    options?: ExecOptions
  ) => Effect.Effect<Output, PodmanMissing | Timeout | InvalidArgument>
  /** Runs podman; a non-zero exit is a `NonZeroExit`. */
  readonly run: (args: ReadonlyArray<Arg>, options?: ExecOptions) => Effect.Effect<Output, PodmanError>
  /**
   * Starts a long-lived podman child, reaped (TERM, bounded wait, KILL) when the scope closes.
   * Its stdin is closed at once unless `stdin: "pipe"` (then the caller writes `process.stdin`).
   */
  readonly start: (
    args: ReadonlyArray<Arg>,
    options?: { readonly stdin?: "pipe" | undefined; readonly env?: Readonly<Record<string, string>> | undefined }
  ) => Effect.Effect<Started, PodmanMissing | InvalidArgument, Scope.Scope>
}

/** A started child and how it ended. @internal */
export interface Started {
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  readonly process: CommandExecutor.Process
  /** Waits for the exit: the code, or 128 + n and the signal's name when a signal killed it. */
  readonly exit: Effect.Effect<{ readonly exitCode: number; readonly signal: Option.Option<string> }>
}

const STDERR_TAIL = 16 * 1024

/**
 * The CLI's classifier: the `NonZeroExit` for an output — what happened (from podman's words),
 * which operation, and how (argv, exit code, signal), redacted.
 *
 * @internal
 */
export const nonZeroExit = (output: Output): NonZeroExit =>
  new NonZeroExit({
    reason: Option.isSome(output.signal) ? "Other" : Failures.reasonOf(output.stderr),
    operation: output.operation,
    argv: redactEnvArgs(output.argv),
    exitCode: output.exitCode,
    stderr: redactText(output.stderr, output.argv),
    ...Option.match(output.signal, { onNone: () => ({}), onSome: (signal) => ({ signal }) })
  })

const signalOf = (error: PlatformError): Option.Option<string> =>
  Option.fromNullable(/signal: (SIG[A-Z0-9]+)/.exec(error.message)?.[1])

/** The exit of a child: a signal (which makes the platform's `exitCode` fail) becomes 128 + n. */
const exitOf = (process: CommandExecutor.Process) =>
  Effect.map(Effect.either(process.exitCode), (exit) => {
    if (exit._tag === "Right") return { exitCode: exit.right as number, signal: Option.none<string>() }
    const signal = signalOf(exit.left)
    const number = Option.match(signal, {
      onNone: () => 0,
      onSome: (name) => constants.signals[name as keyof typeof constants.signals] ?? 0
    })
    return { exitCode: 128 + number, signal }
  })

/** @internal */
export const make = (config: RunnerConfig): Effect.Effect<Runner, never, CommandExecutor.CommandExecutor> =>
  Effect.map(CommandExecutor.CommandExecutor, (executor) => {
    const argv = (args: ReadonlyArray<string>) => [config.binary, ...config.globalArgs, ...args]

    /**
     * SIGTERM to the child's process group, a bounded wait, then SIGKILL. Finalizers run
     * uninterruptibly, so the wait must be made interruptible or its bound could not cut it short
     * (the platform's own finalizer waits without bound).
     */
    const reap = (process: CommandExecutor.Process) =>
      Effect.gen(function*() {
        for (const signal of ["SIGTERM", "SIGKILL"] as const) {
          if (!(yield* process.isRunning)) return
          yield* process.kill(signal).pipe(Effect.interruptible, Effect.timeout(config.killGrace), Effect.ignore)
        }
      }).pipe(Effect.ignore)

    /** Every way a spawn can fail, typed: the platform's errors and what `spawn` throws (E2BIG, …). */
    const spawnFailure = (full: ReadonlyArray<string>, error: unknown): PodmanMissing => {
      const code = (error as { cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown })?.code
      const detail = typeof code === "string" ? code : undefined
      return new PodmanMissing({
        binary: config.binary,
        argv: redactEnvArgs(full),
        reason: detail === "ENOENT"
          ? "NotFound"
          : detail === "EACCES" || detail === "EPERM"
          ? "NotExecutable"
          : "SpawnFailed",
        ...(detail === undefined ? {} : { detail })
      })
    }

    const spawn = (
      operation: string,
      full: ReadonlyArray<string>,
      stdin: "pipe" | Stream.Stream<Uint8Array>,
      env: Readonly<Record<string, string>> = {}
    ) =>
      Validate.spawnable(full, env).pipe(
        Effect.zipRight(
          executor.start(Command.make(full[0]!, ...full.slice(1)).pipe(Command.stdin(stdin), Command.env(env))).pipe(
            // never the platform's message: it quotes the argv unredacted
            Effect.catchAllCause((cause) =>
              Cause.isInterruptedOnly(cause)
                ? Effect.interrupt
                : Effect.fail(spawnFailure(full, Cause.squash(cause)))
            )
          )
        ),
        Effect.tap((process) => Effect.addFinalizer(() => reap(process))),
        Effect.map((process): Started => ({ operation, argv: full, process, exit: exitOf(process) }))
      )

    const start: Runner["start"] = (args, options) =>
      Effect.flatMap(resolveArgs(args), (resolved) => {
        const full = argv(resolved)
        const operation = Failures.cliOperation(resolved)
        return spawn(operation, full, options?.stdin ?? Stream.empty, options?.env).pipe(
          Effect.tap(() => Effect.logDebug(`started ${redactEnvArgs(full).join(" ")}`)),
          // a span keeps its success value: hide the unredacted argv it holds
          Effect.map(Redacted.make),
          Effect.withSpan(`podman ${operation}`, { attributes: { "podman.argv": redactEnvArgs(full).join(" ") } }),
          Effect.map(Redacted.value)
        )
      })

    const exec: Runner["exec"] = (args, options) =>
      Effect.flatMap(resolveArgs(args), (resolved) => {
        const full = argv(resolved)
        const redacted = redactEnvArgs(full)
        const operation = Failures.cliOperation(resolved)
        const bound = Duration.decode(options?.timeout ?? config.timeout)
        return Effect.scoped(Effect.gen(function*() {
          const { exit, process } = yield* spawn(operation, full, options?.stdin ?? Stream.empty, options?.env)
          const [{ exitCode, signal }, stdout, stderr] = yield* Effect.all([
            exit,
            process.stdout.pipe(Stream.decodeText(), Stream.mkString, Effect.orElseSucceed(() => "")),
            process.stderr.pipe(
              Stream.decodeText(),
              Stream.runFold("", (tail, chunk) => (tail + chunk).slice(-STDERR_TAIL)),
              Effect.orElseSucceed(() => "")
            )
          ], { concurrency: "unbounded" })
          return { operation, argv: full, exitCode, signal, stdout, stderr } satisfies Output
        })).pipe(
          Failures.within(bound, full, options?.callerBound === true ? "CallerBound" : "LayerBound"),
          Effect.tap((output) => Effect.annotateCurrentSpan("podman.exit_code", output.exitCode)),
          // a span keeps its success value: hide the unredacted argv and output it holds
          Effect.map(Redacted.make),
          Effect.withSpan(`podman ${operation}`, { attributes: { "podman.argv": redacted.join(" ") } }),
          Effect.map(Redacted.value),
          Effect.tap((output) => Effect.logDebug(`${redacted.join(" ")} exited ${output.exitCode}`))
        )
      })

    const run: Runner["run"] = (args, options) =>
      Effect.filterOrFail(exec(args, options), (output) => output.exitCode === 0, nonZeroExit)

    return { config, argv, exec, run, start }
  })
