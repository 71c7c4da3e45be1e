/**
 * What the kernel would refuse with `E2BIG`, found before anything runs: an argument or an
 * environment entry of 128 KiB or more (`MAX_ARG_STRLEN`), or more than ~2 MiB in all (`ARG_MAX`).
 *
 * @since 0.4.0
 */
import { redactEnvArgs } from "./Redact.js"

/**
 * The longest argument or environment entry Linux takes, in bytes (`MAX_ARG_STRLEN`, less its NUL).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.MAX_ARG_BYTES // 131071
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const MAX_ARG_BYTES = 128 * 1024 - 1

/**
 * The most an argv and environment may take in all here (`ARG_MAX`, 2 MiB, less a margin).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.MAX_SPAWN_BYTES // 2031616
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const MAX_SPAWN_BYTES = 2 * 1024 * 1024 - 64 * 1024

const LARGE = "pass large values through a file instead (copyIn, a mount, or execStdio's stdin)"

/**
 * What is wrong with an argument list, as an edition's `InvalidArgument` says it.
 *
 * @example
 * ```ts
 * import type { Limits } from "effect-podman-shared"
 *
 * const problem: Limits.Problem = { argument: "argument 3", value: "…", reason: "is too long" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Problem {
  readonly argument: string
  /** Redacted (an argument) or a name (an environment variable): never a secret value. */
  readonly value: string
  readonly reason: string
}

/**
 * The first thing the kernel would refuse in `argv` with `env` over `inherited` — a NUL byte, a
 * variable named with `=`, an argument or a whole that is too large (E2BIG) —, or `undefined`.
 * The problem shows a redacted argument and never an environment value (those are secrets).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.spawnProblem(["podman", "run", "x".repeat(200_000)], {}, {})?.argument // "argument 2"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const spawnProblem = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  inherited: Readonly<Record<string, string | undefined>>
): Problem | undefined => {
  const redacted = redactEnvArgs(argv)
  let total = 0
  for (const [i, arg] of argv.entries()) {
    const bytes = Buffer.byteLength(arg) + 1
    total += bytes + 8
    if (bytes > MAX_ARG_BYTES) {
      return {
        argument: `argument ${i}`,
        value: redacted[i]!,
        reason: `is ${bytes - 1} bytes; podman can take at most ${MAX_ARG_BYTES} per argument: ${LARGE}`
      }
    }
  }
  for (const [i, arg] of argv.entries()) {
    if (!arg.includes("\0")) continue
    // an environment pair (`--env K=V`, `-e K=V`, `--env=K=V`) is named, its value never shown
    const pair = argv[i - 1] === "--env" || argv[i - 1] === "-e"
      ? arg
      : arg.startsWith("--env=")
      ? arg.slice("--env=".length)
      : undefined
    return pair !== undefined
      ? {
        argument: "environment variable",
        value: pair.split("=")[0]!.replaceAll("\0", "\\0"),
        reason: "holds a NUL byte, which the kernel cannot pass"
      }
      : {
        argument: `argument ${i}`,
        value: redacted[i]!.replaceAll("\0", "\\0"),
        reason: "holds a NUL byte, which the kernel cannot pass"
      }
  }
  for (const [key, value] of Object.entries(env)) {
    // the variable is named, its value never shown
    if (key.includes("\0") || key.includes("=") || value.includes("\0")) {
      return {
        argument: "environment variable",
        value: key.replaceAll("\0", "\\0"),
        reason: "holds a NUL byte or a name with '=', which the kernel cannot pass"
      }
    }
  }
  for (const [key, value] of Object.entries({ ...inherited, ...env })) {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value ?? "") + 2
    total += bytes + 8
    if (bytes > MAX_ARG_BYTES) {
      return {
        argument: "environment variable",
        value: key,
        reason: `its value is ${bytes - key.length - 2} bytes; at most ${MAX_ARG_BYTES - key.length - 1} fit: ${LARGE}`
      }
    }
  }
  return total > MAX_SPAWN_BYTES
    ? {
      argument: "argument list",
      value: `${total} bytes`,
      reason: `podman's arguments and environment may take at most ${MAX_SPAWN_BYTES} bytes: ${LARGE}`
    }
    : undefined
}

/**
 * What is wrong with one argument: a NUL byte (it would truncate it in the kernel's argv), or —
 * for an operand (`operand: true`: a name, a reference) — being empty or starting with `-`, which
 * podman would read as a flag. `undefined` when nothing is.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.argumentProblem("container name", "-x", { operand: true })?.reason // "starts with '-', so podman would read it as a flag"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const argumentProblem = (
  argument: string,
  value: string,
  options: { readonly operand: boolean }
): Problem | undefined =>
  options.operand && value === ""
    ? { argument, value, reason: "must not be empty" }
    : options.operand && value.startsWith("-")
    ? { argument, value, reason: "starts with '-', so podman would read it as a flag" }
    : value.includes("\0")
    ? { argument, value, reason: "holds a NUL byte" }
    : undefined

/**
 * What is wrong with a command to run: none at all, or an argument holding a NUL byte.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.commandProblem("exec argv", [])?.reason // "must not be empty"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const commandProblem = (argument: string, values: ReadonlyArray<string>): Problem | undefined =>
  values.length === 0
    ? { argument, value: "", reason: "must not be empty" }
    : values.map((value) => argumentProblem(argument, value, { operand: false })).find((problem) =>
      problem !== undefined
    )

/** Linux's signals by name (and the real-time ones, `RTMIN`…`RTMAX`, 34 to 64). */
const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31
}

/**
 * A signal's number, as podman reads it: a name (`SIGTERM`, `term`, `RTMIN+3`) or a number from
 * 1 to 64; `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.signalNumber("SIGTERM") // 15
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const signalNumber = (signal: string): number | undefined => {
  if (/^\d{1,2}$/.test(signal)) return Number(signal) >= 1 && Number(signal) <= 64 ? Number(signal) : undefined
  const name = signal.toUpperCase().replace(/^SIG/, "")
  const realTime = /^RT(MIN|MAX)(?:([+-])(\d{1,2}))?$/.exec(name)
  if (realTime === null) return SIGNALS[name]
  const n = (realTime[1] === "MIN" ? 34 : 64) + (realTime[2] === "-" ? -1 : 1) * Number(realTime[3] ?? 0)
  return n >= 34 && n <= 64 ? n : undefined
}

/**
 * What is wrong with a signal: one podman cannot send (an unknown name, `0`, a number past 64,
 * anything it would read as a flag) is refused before it runs.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.signalProblem("--all") // { argument: "signal", value: "--all", reason: … }
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const signalProblem = (signal: string): Problem | undefined =>
  signalNumber(signal) === undefined
    ? {
      argument: "signal",
      value: signal,
      reason: "is a signal podman can send: a name (SIGTERM, TERM, RTMIN+3) or a number from 1 to 64"
    }
    : undefined

/**
 * A `Date` podman could not be given (an invalid one: `new Date("x")`), as a problem; `undefined`
 * when absent or valid.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.dateProblem("log since", new Date("yesterday"))?.reason // "must be a valid Date"
 * ```
 *
 * @since 0.4.0
 */
export const dateProblem = (argument: string, value: Date | undefined): Problem | undefined =>
  value === undefined || (value instanceof Date && Number.isFinite(value.getTime()))
    ? undefined
    : { argument, value: String(value), reason: "must be a valid Date" }

/**
 * A count that is not a whole number ≥ 0 (a log's `tail`), as a problem; `undefined` when absent
 * or valid.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.countProblem("log tail", -1)?.reason // "must be a whole number ≥ 0"
 * ```
 *
 * @since 0.4.0
 */
export const countProblem = (argument: string, value: number | undefined): Problem | undefined =>
  value === undefined || (Number.isInteger(value) && value >= 0)
    ? undefined
    : { argument, value: String(value), reason: "must be a whole number ≥ 0" }

/**
 * Why a size (`memory`, `shmSize`: bytes, or binary k, m, g) cannot be said to podman exactly:
 * above 2^53 − 1 bytes the number podman receives is not the one asked (and past 2^63 the CLI
 * wraps it to no limit at all). `undefined` when it can.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.sizeProblem("18446744073709551616b") // "a size is at most 9007199254740991 bytes"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const sizeProblem = (size: string): string | undefined =>
  sizeBytes(size) <= BigInt(Number.MAX_SAFE_INTEGER) ? undefined : `a size is at most ${Number.MAX_SAFE_INTEGER} bytes`

/**
 * A size as podman reads `--memory 64m`: bytes, or binary k, m, g — exactly (0 for what is not a
 * size).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.sizeBytes("64m") // 67108864n
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const sizeBytes = (size: string): bigint => {
  const [, digits = "0", unit = ""] = /^(\d+)([bkmg]?)$/i.exec(size) ?? []
  return BigInt(digits) * 1024n ** BigInt("bkmg".indexOf(unit.toLowerCase() || "b"))
}

/**
 * Why a CPU count cannot be a limit: not finite, or beyond any host (`Infinity`, `1e308` would
 * create a container with no CPU limit through the API); at most a million. `undefined` when it can.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.cpusProblem(Infinity) // "cpus is a finite number of CPUs, at most 1000000"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const cpusProblem = (cpus: number): string | undefined =>
  Number.isFinite(cpus) && cpus <= 1_000_000 ? undefined : "cpus is a finite number of CPUs, at most 1000000"

/**
 * A bound or interval a caller passes that is not a finite duration ≥ 0 (> 0 when `positive`):
 * a negative or non-finite number of milliseconds, a string such as `"-5 seconds"` or
 * `"NaN millis"` (which Effect would read as 0 or refuse later, after podman ran). Duration values
 * and tuples are the editions' to decode. `undefined` when absent or valid.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.durationProblem("stop timeout", "-5 seconds")?.reason // "must be a finite duration ≥ 0"
 * Limits.durationProblem("stats interval", 0, { positive: true })?.reason // "must be a finite duration > 0"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const durationProblem = (
  argument: string,
  value: unknown,
  options: { readonly positive?: boolean } = {}
): Problem | undefined => {
  const reason = options.positive === true ? "must be a finite duration > 0" : "must be a finite duration ≥ 0"
  const size = typeof value === "number"
    ? value
    : typeof value === "bigint"
    ? Number(value)
    : typeof value === "string"
    ? (/^\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(?:nanos?|micros?|millis?|seconds?|minutes?|hours?|days?|weeks?)\s*$/i
      .exec(value)?.[1] ?? NaN)
    : undefined
  if (size === undefined) return undefined
  const amount = Number(size)
  return Number.isFinite(amount) && (options.positive === true ? amount > 0 : amount >= 0)
    ? undefined
    : { argument, value: String(value), reason }
}

/**
 * What is wrong with an environment a caller passes (to `exec`, `execStdio`): a name that is not
 * one (empty, with `=` or NUL), a value holding a NUL byte. The variable is named; its value is
 * never shown (it may be a secret). `undefined` when nothing is.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.envProblem({ TOKEN: "a\u0000b" })?.value // "TOKEN"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
/**
 * What a volume's labels would make podman read otherwise: `podman volume create --label` splits
 * a value at its commas (`payments,owner=attacker` would be two labels) — the issue of the label's
 * value, or `undefined`.
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.volumeLabelsProblem({ team: "payments,owner=attacker" }) // "team: podman's volume create splits a label's value at ','"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const volumeLabelsProblem = (labels: Readonly<Record<string, string>> | undefined): string | undefined => {
  const split = Object.entries(labels ?? {}).find(([, value]) => value.includes(","))
  return split === undefined ? undefined : `${split[0]}: podman's volume create splits a label's value at ','`
}

/**
 * What a build's arguments and labels would make podman read otherwise: an empty key, or one
 * holding `=` or NUL (`{ "A=B": "c" }` would reach podman as `A` = `B=c`), or a value holding NUL
 * — a problem naming the key (never a build argument's value, which may be a secret).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.buildProblem({ buildArgs: { "A=B": "c" } })?.reason // "a key is non-empty and holds no '=' or NUL (podman would read another key)"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const buildProblem = (options: {
  readonly buildArgs?: Readonly<Record<string, string>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
}): Problem | undefined => {
  for (const [argument, record] of [["build argument", options.buildArgs], ["build label", options.labels]] as const) {
    for (const [key, value] of Object.entries(record ?? {})) {
      // podman reads `KEY=VALUE` at the first '=': a key holding one would move it into the value
      if (key === "" || key.includes("=") || key.includes("\0")) {
        return {
          argument,
          value: key.replaceAll("\0", "\\0"),
          reason: "a key is non-empty and holds no '=' or NUL (podman would read another key)"
        }
      }
      if (typeof value !== "string" || value.includes("\0")) {
        return { argument, value: key, reason: "its value is text without a NUL byte (the value is not shown)" }
      }
    }
  }
  return undefined
}

export const envProblem = (env: Readonly<Record<string, string>> | undefined): Problem | undefined => {
  for (const [key, value] of Object.entries(env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      return {
        argument: "environment variable",
        value: key.replaceAll("\0", "\\0"),
        reason: "a name is letters, digits and '_' (it cannot hold '=')"
      }
    }
    if (typeof value !== "string" || value.includes("\0")) {
      return {
        argument: "environment variable",
        value: key,
        reason: "its value is text without a NUL byte (the value is not shown)"
      }
    }
  }
  return undefined
}

/**
 * What is wrong with a working directory a caller passes (a spec's, an exec's): podman wants an
 * absolute path (a relative one fails only when the process starts).
 *
 * @example
 * ```ts
 * import { Limits } from "effect-podman-shared"
 *
 * Limits.workdirProblem("exec workdir", "srv")?.reason // "is an absolute path in the container"
 * ```
 *
 * @since 0.4.0
 * @category checks
 */
export const workdirProblem = (argument: string, value: string | undefined): Problem | undefined =>
  value === undefined || (value.startsWith("/") && !value.includes("\0"))
    ? undefined
    : { argument, value: value.replaceAll("\0", "\\0"), reason: "is an absolute path in the container" }
