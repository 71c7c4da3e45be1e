/**
 * Input checks made before any process starts (live layer) or any state changes (test layer).
 *
 * @internal
 */
import { Duration, Effect, Option, ParseResult } from "effect"
import * as Limits from "effect-podman-shared/Limits"
import { shorten } from "effect-podman-shared/Messages"
import { SpecError } from "../../ContainerError.js"
import { InvalidArgument } from "../../PodmanError.js"

/** Schema's "Expected X, actual Y" without Y. */
const withoutActual = (message: string): string => {
  const at = message.indexOf(", actual ")
  return at < 0 ? message : message.slice(0, at)
}

/**
 * A `SpecError` of every issue, by path: never the rejected value (it may be a secret — a plain
 * string given as `secretEnv`, say). @internal
 */
export const specError = (subject: string) => (error: ParseResult.ParseError): SpecError =>
  new SpecError({
    subject,
    issues: ParseResult.ArrayFormatter.formatErrorSync(error)
      // an optional field's "or undefined" branch says nothing useful
      .filter((issue) => !issue.message.startsWith("Expected undefined"))
      .map((issue) => `- ${issue.path.length === 0 ? "spec" : issue.path.join(".")}: ${withoutActual(issue.message)}`)
      .join("\n")
  })

/** A `SpecError` of issues already written. @internal */
export const specErrorOf = (subject: string, issues: string): SpecError => new SpecError({ subject, issues })

/** @internal */
export const invalid = (argument: string, value: string, reason: string) =>
  Effect.fail(new InvalidArgument({ argument, value: shorten(value), reason }))

const check = <A>(problem: Limits.Problem | undefined, value: A): Effect.Effect<A, InvalidArgument> =>
  problem === undefined ? Effect.succeed(value) : invalid(problem.argument, problem.value, problem.reason)

/** Any argument: no NUL bytes (they would truncate it in the kernel's argv). @internal */
export const text = (argument: string, value: string): Effect.Effect<string, InvalidArgument> =>
  check(Limits.argumentProblem(argument, value, { operand: false }), value)

/** An operand podman must not read as a flag: non-empty, no leading `-`, no NUL. @internal */
export const operand = (argument: string, value: string): Effect.Effect<string, InvalidArgument> =>
  check(Limits.argumentProblem(argument, value, { operand: true }), value)

/** A command to run: at least one element, no NUL bytes. @internal */
export const argv = (
  argument: string,
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<string>, InvalidArgument> => check(Limits.commandProblem(argument, values), values)

/** A signal's name or number. @internal */
export const signal = (value: string): Effect.Effect<string, InvalidArgument> =>
  check(Limits.signalProblem(value), value)

/** Linux's limits on one argument and on an argument list (`effect-podman-shared/Limits`). @internal */
export { MAX_ARG_BYTES, MAX_SPAWN_BYTES } from "effect-podman-shared/Limits"

/**
 * What the kernel would refuse with `E2BIG`, refused first (`Limits.spawnProblem`): the error
 * shows a redacted, shortened argument and never an environment value (those are secrets).
 *
 * @internal
 */
export const spawnable = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  inherited: Readonly<Record<string, string | undefined>> = process.env
): Effect.Effect<void, InvalidArgument> =>
  Effect.suspend(() => {
    const problem = Limits.spawnProblem(argv, env, inherited)
    return problem === undefined ? Effect.void : invalid(problem.argument, problem.value, problem.reason)
  })

/**
 * An environment for a command: names without `=`, values without NUL. A refused value is never
 * shown (environment values are where secrets live).
 *
 * @internal
 */
export const environment = (env: Readonly<Record<string, string>>): Effect.Effect<void, InvalidArgument> =>
  Effect.forEach(Object.entries(env), ([key, value]) =>
    key === "" || key.includes("=")
      ? invalid("environment variable name", key, "must be non-empty and hold no '='")
      : key.includes("\0")
      ? invalid("environment variable name", key, "holds a NUL byte")
      : typeof value !== "string"
      ? invalid("environment variable", key, "its value must be a string")
      : value.includes("\0")
      ? invalid("environment variable", key, "its value holds a NUL byte (the value is not shown)")
      : Effect.void, { discard: true })

/** A working directory a caller passed (an exec's): an absolute path. @internal */
export const workdir = (argument: string, value: string | undefined): Effect.Effect<void, InvalidArgument> =>
  Effect.asVoid(check(Limits.workdirProblem(argument, value), value))

/** A count a caller passed (a log's `tail`): a whole number ≥ 0. @internal */
export const count = (argument: string, value: number | undefined): Effect.Effect<void, InvalidArgument> =>
  Effect.asVoid(check(Limits.countProblem(argument, value), value))

/** A `Date` a caller passed (`since`): a real one, not `new Date(NaN)`. @internal */
export const date = (argument: string, value: Date | undefined): Effect.Effect<void, InvalidArgument> =>
  Effect.asVoid(check(Limits.dateProblem(argument, value), value))

/** A bound or interval a caller passed: a finite duration ≥ 0 (> 0 when `positive`), decoded. @internal */
export const duration = (
  argument: string,
  value: Duration.DurationInput | undefined,
  options: { readonly positive?: boolean } = {}
): Effect.Effect<Option.Option<Duration.Duration>, InvalidArgument> => {
  if (value === undefined) return Effect.succeed(Option.none())
  const problem = Limits.durationProblem(argument, value, options)
  if (problem !== undefined) return check(problem, Option.none())
  return Option.match(
    Option.filter(
      Duration.decodeUnknown(value),
      (d) => Duration.isFinite(d) && (options.positive !== true || Duration.toMillis(d) > 0)
    ),
    {
      onNone: () =>
        invalid(
          argument,
          String(value),
          options.positive === true ? "must be a finite duration > 0" : "must be a finite duration ≥ 0"
        ),
      onSome: (d) => Effect.succeed(Option.some(d))
    }
  )
}
