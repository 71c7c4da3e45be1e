/**
 * Scenarios both editions run against real podman, as plain data: the Effect 4 edition's
 * crossEdition test runs each on its own runtime and on the Effect 3 edition's (in a child process:
 * packages/podman/test/crossEdition/run.ts), and requires the same outcome — values, error tags,
 * reasons, operations, exit codes and messages.
 */
import { rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const IMAGE = "localhost/effect-podman-test:latest"

/** A wait strategy as data: each runner builds it with its edition's `Wait` (`waitOf`). */
export type WaitData =
  | { readonly log: string; readonly times?: number }
  | { readonly port: number }
  | { readonly http: string; readonly port: number }
  | { readonly exec: readonly [string, ...Array<string>] }
  | { readonly successfulExit: true }
  | { readonly all: ReadonlyArray<WaitData> }
  | { readonly any: ReadonlyArray<WaitData> }

export type Step =
  | { readonly op: "state" }
  | { readonly op: "start" }
  | { readonly op: "wait" }
  | { readonly op: "pause" }
  | { readonly op: "unpause" }
  | { readonly op: "kill"; readonly signal: string }
  | { readonly op: "restart"; readonly seconds: number }
  | { readonly op: "exec"; readonly argv: readonly [string, ...Array<string>] }
  | { readonly op: "logs" }
  | { readonly op: "stop"; readonly seconds: number }
  | { readonly op: "mounts" }
  /** Copies `path` out to a host destination under a file (`blockingFile`): a failure on this host. */
  | { readonly op: "copyOutUnderFile"; readonly path: string }

export interface Scenario {
  readonly id: string
  /** A container to run first (removed after the scenario), waited for by a log line. */
  readonly run?: {
    readonly name: string
    readonly command: ReadonlyArray<string>
    readonly env?: Readonly<Record<string, string>>
    /** Passed as `Redacted` values. */
    readonly secretEnv?: Readonly<Record<string, string>>
    readonly ready?: string
    /** What `run` waits for (`ready` is short for a log line matching it whole). */
    readonly wait?: WaitData
    /** Run the same spec again once it is up (its name is taken then). */
    readonly again?: boolean
    /** Create it only (`create`, not `run`): it is not started. */
    readonly createOnly?: boolean
    /** A volume of this name, made first (`runtime.volume`, scoped) and mounted at /data. */
    readonly volume?: string
  }
  /** A spec whose run is recorded, success or failure (environment values as given). */
  readonly attempt?: {
    readonly name: string
    readonly env?: Readonly<Record<string, string>>
    readonly command?: ReadonlyArray<string>
    /** Not given: `run`'s default (an init process where this host has podman's). */
    readonly init?: boolean
    readonly gpu?: boolean
    /** Container ports to publish (each on a free host port). */
    readonly ports?: ReadonlyArray<number>
    readonly wait?: WaitData
    /** `run`'s deadline, in milliseconds. */
    readonly deadline?: number
  }
  /** Steps on the container named `target`. */
  readonly target: string
  readonly steps: ReadonlyArray<Step>
  /**
   * What the outcomes must be, beyond every layer agreeing: the outcome at `at` (in the order they
   * are recorded: run again, attempt, then the steps) matches `is` — every key `is` names, deeply;
   * `"<volume>"` stands for the run's volume.
   */
  readonly expect?: ReadonlyArray<{ readonly at: number; readonly is: unknown }>
}

export const scenarios: ReadonlyArray<Scenario> = [
  {
    id: "an absent container",
    target: "ep-cross-absent",
    steps: [{ op: "state" }, { op: "start" }, { op: "stop", seconds: 1 }, { op: "wait" }, {
      op: "exec",
      argv: ["true"]
    }, { op: "logs" }]
  },
  {
    id: "a running container: exec, logs, a secret, stop, wait",
    run: {
      name: "ep-cross-run",
      command: ["sh", "-c", "echo starting; echo ready; echo warn >&2; sleep 3600"],
      env: { GREETING: "hi" },
      secretEnv: { API_TOKEN: "cross-s3cr3t" },
      ready: "ready"
    },
    target: "ep-cross-run",
    steps: [
      { op: "state" },
      { op: "exec", argv: ["sh", "-c", "echo $GREETING $API_TOKEN; echo oops >&2; exit 3"] },
      // 255 from the command is the command's (podman's own 255 says "container state improper")
      { op: "exec", argv: ["sh", "-c", "exit 255"] },
      { op: "logs" },
      { op: "stop", seconds: 5 },
      { op: "wait" },
      { op: "state" },
      { op: "exec", argv: ["true"] }
    ]
  },
  {
    id: "a created container, then started",
    run: { name: "ep-cross-created", command: ["sh", "-c", "echo up; sleep 3600"], createOnly: true },
    target: "ep-cross-created",
    steps: [{ op: "state" }, { op: "exec", argv: ["true"] }, { op: "logs" }, { op: "start" }, { op: "state" }, {
      op: "stop",
      seconds: 1
    }, { op: "wait" }]
  },
  {
    id: "signals, a pause and a restart",
    run: { name: "ep-cross-control", command: ["sleep", "3600"] },
    target: "ep-cross-control",
    steps: [
      { op: "pause" },
      { op: "state" },
      { op: "exec", argv: ["true"] },
      { op: "unpause" },
      { op: "restart", seconds: 1 },
      { op: "state" },
      { op: "kill", signal: "--all" },
      { op: "kill", signal: "SIGKILL" },
      { op: "wait" },
      { op: "kill", signal: "SIGTERM" }
    ]
  },
  {
    id: "a name podman would read as a flag is refused before anything runs",
    target: "-x",
    steps: [{ op: "state" }, { op: "start" }, { op: "exec", argv: ["true"] }, { op: "logs" }, {
      op: "kill",
      signal: "SIGTERM"
    }]
  },
  {
    id: "a container that has exited",
    run: { name: "ep-cross-exited", command: ["sh", "-c", "echo bye; echo err >&2; exit 3"] },
    target: "ep-cross-exited",
    steps: [{ op: "wait" }, { op: "state" }, { op: "logs" }, { op: "exec", argv: ["true"] }, { op: "stop", seconds: 1 }]
  },
  {
    id: "what the kernel would refuse is refused before podman runs",
    attempt: { name: "ep-cross-never", env: { BIG: "x".repeat(200 * 1024) } },
    target: "ep-cross-never",
    steps: [{ op: "state" }]
  },
  {
    id: "a program the image lacks: run refuses it without init; under init catatonit says so and exits 1",
    attempt: { name: "ep-cross-missing", command: ["no-such-program"], init: false },
    run: { name: "ep-cross-missing-init", command: ["no-such-program"] },
    target: "ep-cross-missing-init",
    steps: [{ op: "wait" }, { op: "state" }, { op: "logs" }]
  },
  {
    id: "a GPU the host cannot serve (no CDI spec): run fails with GpuConfigError",
    attempt: { name: "ep-cross-gpu", gpu: true, command: ["true"] },
    target: "ep-cross-gpu",
    steps: [{ op: "state" }]
  },
  {
    id: "exec of a program the image lacks exits 127, as sh's command does",
    run: { name: "ep-cross-lacking", command: ["sh", "-c", "echo up; sleep 3600"], ready: "up" },
    target: "ep-cross-lacking",
    steps: [{ op: "exec", argv: ["no-such-program"] }, { op: "exec", argv: ["/bin/no-such-program"] }, {
      op: "exec",
      argv: ["sh", "-c", "no-such-program"]
    }]
  },
  {
    id: "a name that is taken",
    run: {
      name: "ep-cross-taken",
      command: ["sleep", "3600"],
      secretEnv: { API_TOKEN: "cross-taken-s3cr3t" },
      again: true
    },
    target: "ep-cross-taken",
    steps: [{ op: "state" }]
  },
  {
    id: "run's deadline passes while it waits: WaitFailed with the log's tail, and the container is gone",
    attempt: {
      name: "ep-cross-slow",
      command: ["sh", "-c", "echo booting; echo still booting; sleep 3600"],
      wait: { log: "^never$" },
      deadline: 2_000
    },
    target: "ep-cross-slow",
    steps: [{ op: "state" }],
    expect: [
      {
        at: 0,
        is: {
          error: {
            _tag: "WaitFailed",
            reason: "the deadline of 2s passed waiting for a log line matching /^never$/",
            logTail: ["booting", "still booting"]
          }
        }
      },
      { at: 1, is: { value: null } }
    ]
  },
  {
    id: "a container that exits before it is ready: WaitFailed with its exit code, long before the deadline",
    attempt: {
      name: "ep-cross-crash",
      command: ["sh", "-c", "echo cannot start >&2; exit 3"],
      ports: [80],
      // over HTTP: rootless podman's port forwarder accepts a connection while the container lives
      wait: { http: "/", port: 80 },
      deadline: 60_000
    },
    target: "ep-cross-crash",
    steps: [{ op: "state" }],
    expect: [
      {
        at: 0,
        is: {
          error: {
            _tag: "WaitFailed",
            reason: "the container exited with code 3 before it was ready",
            logTail: ["cannot start"]
          }
        }
      },
      { at: 1, is: { value: null } }
    ]
  },
  {
    id: "a wait that cannot succeed says why at once: a port the spec does not publish",
    attempt: {
      name: "ep-cross-unpublished",
      command: ["sh", "-c", "echo up; sleep 3600"],
      wait: { all: [{ log: "^up$" }, { port: 5432 }] },
      deadline: 60_000
    },
    target: "ep-cross-unpublished",
    steps: [{ op: "state" }],
    expect: [
      {
        at: 0,
        is: { error: { _tag: "WaitFailed", reason: "port 5432 is not published: add it to the spec's ports" } }
      },
      { at: 1, is: { value: null } }
    ]
  },
  {
    id: "a wait that cannot succeed says why at once: a log line wanted 0 times",
    attempt: { name: "ep-cross-times", command: ["sleep", "3600"], wait: { log: "^up$", times: 0 }, deadline: 60_000 },
    target: "ep-cross-times",
    steps: [{ op: "state" }],
    expect: [{ at: 0, is: { error: { _tag: "WaitFailed", reason: "times must be a whole number ≥ 1 (got 0)" } } }]
  },
  {
    id: "a one-shot job: ready when it exits 0, WaitFailed with its code when it does not",
    attempt: {
      name: "ep-cross-job",
      command: ["sh", "-c", "echo working; exit 3"],
      wait: { any: [{ successfulExit: true }] },
      deadline: 60_000
    },
    run: { name: "ep-cross-job-ok", command: ["sh", "-c", "echo done"], wait: { successfulExit: true } },
    target: "ep-cross-job-ok",
    steps: [{ op: "state" }, { op: "wait" }, { op: "logs" }],
    expect: [
      {
        at: 0,
        is: { error: { _tag: "WaitFailed", reason: "the container exited with code 3", logTail: ["working"] } }
      },
      { at: 1, is: { value: "exited" } },
      { at: 2, is: { value: 0 } },
      { at: 3, is: { value: ["done"] } }
    ]
  },
  {
    id: "run's default init: on where this host has podman's (a program the image lacks is catatonit's to report)",
    attempt: { name: "ep-cross-default-init", command: ["no-such-program"] },
    target: "ep-cross-default-init",
    steps: [{ op: "state" }],
    // this host has podman's init (catatonit): run starts it, and the program's absence is the
    // container's to report, not run's
    expect: [{ at: 0, is: { value: "ran" } }]
  },
  {
    id: "a volume mount's source is the volume's name; a copy out to a path under a file fails on this host",
    run: {
      name: "ep-cross-volume",
      command: ["sh", "-c", "echo up; sleep 3600"],
      ready: "up",
      volume: "ep-cross-vol"
    },
    target: "ep-cross-volume",
    steps: [{ op: "mounts" }, { op: "copyOutUnderFile", path: "/www/index.html" }, {
      op: "copyOutUnderFile",
      path: "/no-such-file"
    }],
    expect: [
      { at: 0, is: { value: [{ type: "volume", source: "<volume>", destination: "/data" }] } },
      { at: 1, is: { error: { _tag: "NonZeroExit", reason: "HostFile", operation: "container.copyOut" } } },
      // podman runs first: what it cannot find is said before anything is written here
      { at: 2, is: { error: { _tag: "NonZeroExit", reason: "Other", operation: "container.copyOut" } } }
    ]
  }
]

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
    logTail: error.logTail,
    message: error.message.replace(/\b[0-9a-f]{64}\b/g, "<id>")
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

/** A log as an outcome: its lines sorted (stdout and stderr interleave as they may), catatonit's pid hidden (its words name it). */
export const logOutcome = (lines: Iterable<string>): Array<string> =>
  [...lines].map((line) => line.replace(/^ERROR \(catatonit:\d+\)/, "ERROR (catatonit:<pid>)")).sort()

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
    readonly wait: () => X
    readonly kill: (signal: string) => X
    readonly exec: (argv: readonly [string, ...Array<string>]) => X
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
        ? container.wait()
        : s.op === "kill"
        ? container.kill(s.signal)
        : s.op === "copyOutUnderFile"
        ? container.copyOut(s.path, join(blockingFile(suffix), "out"))
        : container.exec(s.argv)
    }
