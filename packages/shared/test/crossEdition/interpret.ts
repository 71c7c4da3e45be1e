/**
 * How a runner of either edition turns the scenarios (`./scenarios.ts`) into calls — specs, waits,
 * operations — and their results into outcomes both editions print alike; and what the scenarios
 * expect of those outcomes.
 */
import { rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { IMAGE, scenarios } from "./scenarios.js"
import type { ExecData, Scenario, Step, WaitData } from "./scenarios.js"

/** An exec's options as the editions take them. */
const execOptions = ({ timeoutMillis, ...rest }: ExecData) => ({
  ...rest,
  ...(timeoutMillis === undefined ? {} : { timeout: `${timeoutMillis} millis` as const })
})

const matches = (actual: unknown, expected: unknown, volume: string | undefined): boolean =>
  expected === "<volume>"
    ? actual === volume
    : Array.isArray(expected)
    ? Array.isArray(actual) && actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e, volume))
    : typeof expected === "object" && expected !== null
    ? typeof actual === "object" && actual !== null &&
      Object.entries(expected).every(([k, e]) => matches((actual as Record<string, unknown>)[k], e, volume))
    : actual === expected

/**
 * The scenarios' expectations (`expect`) that `results` (one layer's, for `scenariosFor(suffix)`)
 * does not meet, each with what it got.
 */
export const unmet = (
  results: ReadonlyArray<{ readonly id: string; readonly outcomes: ReadonlyArray<unknown> }>,
  suffix: string
): Array<{ readonly id: string; readonly at: number; readonly expected: unknown; readonly got: unknown }> =>
  scenariosFor(suffix).flatMap((sc, i) =>
    (sc.expect ?? []).flatMap(({ at, is }) => {
      const got = results[i]?.outcomes[at]
      return matches(got, is, sc.run?.volume) ? [] : [{ id: sc.id, at, expected: is, got }]
    })
  )

/** One step's outcome, as both runners print it. */
export type Outcome =
  | { readonly step: string; readonly value: unknown }
  | {
    readonly step: string
    readonly error: {
      readonly _tag: string
      readonly reason?: unknown
      readonly operation?: unknown
      readonly exitCode?: unknown
      readonly logTail?: unknown
      readonly message: string
    }
  }

/** An error as an outcome: what both editions must agree on. */
const reasonName = (reason: unknown): unknown =>
  typeof reason === "object" && reason !== null && "_tag" in reason ? reason._tag : reason

export const errorOutcome = (step: string, error: {
  readonly _tag: string
  readonly message: string
  readonly reason?: unknown
  readonly operation?: unknown
  readonly exitCode?: unknown
  readonly logTail?: unknown
}): Outcome => ({
  step,
  // container ids differ from run to run: podman's words name one when a name is taken
  // Effect 4's reasons are tagged ({ _tag }), Effect 3's are names: compared by name
  error: {
    _tag: error._tag,
    reason: reasonName(error.reason),
    operation: error.operation,
    exitCode: error.exitCode,
    logTail: Array.isArray(error.logTail) ? error.logTail.map(withoutPid) : error.logTail,
    message: withoutPid(error.message.replace(/\b[0-9a-f]{64}\b/g, "<id>"))
  }
})

/** The spec of a scenario's run, secrets wrapped by the edition's `Redacted.make`. */
export const specOf = <Secret>(run: NonNullable<Scenario["run"]>, secret: (value: string) => Secret) => ({
  image: IMAGE,
  name: run.name,
  command: run.command,
  init: true,
  ...(run.volume === undefined ? {} : { mounts: [{ type: "volume" as const, source: run.volume, target: "/data" }] }),
  ...(run.env === undefined ? {} : { env: run.env }),
  ...(run.secretEnv === undefined
    ? {}
    : { secretEnv: Object.fromEntries(Object.entries(run.secretEnv).map(([k, v]) => [k, secret(v)])) })
})

/**
 * What podman's service sometimes appends to an exec's stderr when the process could not start —
 * its own attach connection closing first (`Error: read unixpacket @->/proc/self/fd/N/attach: read:
 * connection reset by peer`): podman's race, not the command's output, so outcomes leave it out.
 */
export const withoutAttachRace = <A>(results: A): A =>
  JSON.parse(
    JSON.stringify(results).replace(
      /Error: read unixpacket @->\/proc\/self\/fd\/\d+\/attach: read: connection reset by peer\\n/g,
      ""
    )
  ) as A

/** catatonit's words name its pid, which differs from run to run. */
const withoutPid = (text: string): string => text.replace(/\(catatonit:\d+\)/g, "(catatonit:<pid>)")

/** A log as an outcome: its lines sorted (stdout and stderr interleave as they may), catatonit's pid hidden (its words name it). */
export const logOutcome = (lines: Iterable<string>): Array<string> => [...lines].map(withoutPid).sort()

/** The spec of a scenario's attempt (removed after the scenario, whatever its outcome). */
export const attemptSpec = (attempt: NonNullable<Scenario["attempt"]>) => ({
  image: IMAGE,
  name: attempt.name,
  ...(attempt.init === undefined ? {} : { init: attempt.init }),
  ...(attempt.ports === undefined ? {} : { ports: attempt.ports.map((container) => ({ container })) }),
  ...(attempt.env === undefined ? {} : { env: attempt.env }),
  ...(attempt.command === undefined ? {} : { command: attempt.command }),
  ...(attempt.gpu === undefined ? {} : { gpu: attempt.gpu })
})

/**
 * The scenarios with their container names made unique to one run (`suffix`, the same on both
 * sides: messages name the containers), so two runs at once do not meet. Names podman would read
 * as a flag stay as they are: they are what the scenario is about.
 */
export const scenariosFor = (suffix: string): ReadonlyArray<Scenario> => {
  const rename = (name: string) => (name.startsWith("-") ? name : `${name}-${suffix}`)
  return scenarios.map((sc) => ({
    ...sc,
    target: rename(sc.target),
    ...(sc.run === undefined ? {} : {
      run: {
        ...sc.run,
        name: rename(sc.run.name),
        ...(sc.run.volume === undefined ? {} : { volume: rename(sc.run.volume) })
      }
    }),
    ...(sc.attempt === undefined ? {} : { attempt: { ...sc.attempt, name: rename(sc.attempt.name) } })
  }))
}

/**
 * The host file a `copyOutUnderFile` step copies under (its destination is `<file>/out`): each
 * runner makes it before the scenarios and removes it after. The same path on both sides (messages
 * name it).
 */
export const blockingFile = (suffix: string): string => join(tmpdir(), `ep-cross-${suffix}-file`)

/** Makes the `blockingFile`; returns its removal. */
export const makeBlockingFile = (suffix: string): () => void => {
  const path = blockingFile(suffix)
  writeFileSync(path, "a file, not a folder\n")
  return () => rmSync(path, { force: true })
}

/** What `run` waits for in a scenario's run or attempt. */
export const waitData = (
  of: { readonly ready?: string; readonly wait?: WaitData } | undefined
): WaitData | undefined => of?.wait ?? (of?.ready === undefined ? undefined : { log: `^${of.ready}$` })

/** A wait strategy as data, built with an edition's `Wait` module (`W`, its strategy type). */
export const waitOf = <W>(
  Wait: {
    readonly forLog: (pattern: RegExp, options?: { readonly times?: number }) => W
    readonly forPort: (port?: number) => W
    readonly forHttp: (path: string, options: { readonly port: number }) => W
    readonly forExec: (argv: readonly [string, ...Array<string>]) => W
    readonly forSuccessfulExit: () => W
    readonly all: (...strategies: ReadonlyArray<W>) => W
    readonly any: (...strategies: ReadonlyArray<W>) => W
  },
  data: WaitData
): W =>
  "log" in data
    ? Wait.forLog(new RegExp(data.log), data.times === undefined ? undefined : { times: data.times })
    : "http" in data
    ? Wait.forHttp(data.http, { port: data.port })
    : "port" in data
    ? Wait.forPort(data.port)
    : "exec" in data
    ? Wait.forExec(data.exec)
    : "successfulExit" in data
    ? Wait.forSuccessfulExit()
    : "all" in data
    ? Wait.all(...data.all.map((d) => waitOf(Wait, d)))
    : Wait.any(...data.any.map((d) => waitOf(Wait, d)))

/** `run`'s options for a scenario's run or attempt, with the edition's `Wait` module. */
export const runOptions = <W>(
  Wait: Parameters<typeof waitOf<W>>[0],
  of: { readonly ready?: string; readonly wait?: WaitData; readonly deadline?: number }
): { readonly wait?: W; readonly deadline?: number } | undefined => {
  const data = waitData(of)
  return data === undefined && of.deadline === undefined ? undefined : {
    ...(data === undefined ? {} : { wait: waitOf(Wait, data) }),
    ...(of.deadline === undefined ? {} : { deadline: of.deadline })
  }
}

/**
 * The edition's operation for a step, on a handle of either edition (the handles have the same
 * names and options; `X` is the edition's `Effect`). An `option` (state, mounts) and the logs come
 * back as the edition's Option and Stream: each runner turns them into plain values.
 */
export const operation = <X, O, L>(
  container: {
    readonly state: O
    readonly mounts: O
    readonly start: X
    readonly pause: X
    readonly unpause: X
    readonly stop: (options: { readonly timeout: `${number} seconds` }) => X
    readonly restart: (options: { readonly timeout: `${number} seconds` }) => X
    readonly wait: (options?: { readonly timeout: `${number} millis` }) => X
    readonly kill: (signal: string) => X
    readonly exec: (
      argv: readonly [string, ...Array<string>],
      options?: Omit<ExecData, "timeoutMillis"> & { readonly timeout?: `${number} millis` }
    ) => X
    readonly copyOut: (path: string, hostPath: string) => X
    readonly logs: () => L
  },
  s: Step,
  suffix: string
): { readonly _tag: "effect"; readonly effect: X } | { readonly _tag: "option"; readonly option: O } | {
  readonly _tag: "logs"
  readonly logs: L
} =>
  s.op === "state"
    ? { _tag: "option", option: container.state }
    : s.op === "mounts"
    ? { _tag: "option", option: container.mounts }
    : s.op === "logs"
    ? { _tag: "logs", logs: container.logs() }
    : {
      _tag: "effect",
      effect: s.op === "start"
        ? container.start
        : s.op === "pause"
        ? container.pause
        : s.op === "unpause"
        ? container.unpause
        : s.op === "stop"
        ? container.stop({ timeout: `${s.seconds} seconds` })
        : s.op === "restart"
        ? container.restart({ timeout: `${s.seconds} seconds` })
        : s.op === "wait"
        ? container.wait(s.timeoutMillis === undefined ? undefined : { timeout: `${s.timeoutMillis} millis` })
        : s.op === "kill"
        ? container.kill(s.signal)
        : s.op === "copyOutUnderFile"
        ? container.copyOut(s.path, join(blockingFile(suffix), "out"))
        : container.exec(s.argv, s.options === undefined ? undefined : execOptions(s.options))
    }
