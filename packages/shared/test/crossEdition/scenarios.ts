/**
 * Scenarios both editions run against real podman, as plain data: the Effect 4 edition's
 * crossEdition test runs each on its own runtime and on the Effect 3 edition's (in a child process:
 * packages/podman/test/crossEdition/run.ts), and requires the same outcome — values, error tags,
 * reasons, operations, exit codes and messages.
 */
export const IMAGE = "localhost/effect-podman-test:latest"

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
    /** Run the same spec again once it is up (its name is taken then). */
    readonly again?: boolean
    /** Create it only (`create`, not `run`): it is not started. */
    readonly createOnly?: boolean
  }
  /** A spec whose run is recorded, success or failure (environment values as given). */
  readonly attempt?: {
    readonly name: string
    readonly env?: Readonly<Record<string, string>>
    readonly command?: ReadonlyArray<string>
    /** Default: with an init process, as `run` defaults. */
    readonly init?: boolean
    readonly gpu?: boolean
  }
  /** Steps on the container named `target`. */
  readonly target: string
  readonly steps: ReadonlyArray<Step>
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
  }
]

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
}): Outcome => ({
  step,
  // container ids differ from run to run: podman's words name one when a name is taken
  // Effect 4's reasons are tagged ({ _tag }), Effect 3's are names: compared by name
  error: {
    _tag: error._tag,
    reason: reasonName(error.reason),
    operation: error.operation,
    exitCode: error.exitCode,
    message: error.message.replace(/\b[0-9a-f]{64}\b/g, "<id>")
  }
})

/** The spec of a scenario's run, secrets wrapped by the edition's `Redacted.make`. */
export const specOf = <Secret>(run: NonNullable<Scenario["run"]>, secret: (value: string) => Secret) => ({
  image: IMAGE,
  name: run.name,
  command: run.command,
  init: true,
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
  init: attempt.init ?? true,
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
    ...(sc.run === undefined ? {} : { run: { ...sc.run, name: rename(sc.run.name) } }),
    ...(sc.attempt === undefined ? {} : { attempt: { ...sc.attempt, name: rename(sc.attempt.name) } })
  }))
}

/**
 * The edition's operation for a step, on a handle of either edition (the handles have the same
 * names and options; `X` is the edition's `Effect`). State and logs come back as the edition's
 * Option and Stream: each runner turns them into plain values.
 */
export const operation = <X, S, L>(
  container: {
    readonly state: S
    readonly start: X
    readonly pause: X
    readonly unpause: X
    readonly stop: (options: { readonly timeout: `${number} seconds` }) => X
    readonly restart: (options: { readonly timeout: `${number} seconds` }) => X
    readonly wait: () => X
    readonly kill: (signal: string) => X
    readonly exec: (argv: readonly [string, ...Array<string>]) => X
    readonly logs: () => L
  },
  s: Step
): { readonly _tag: "effect"; readonly effect: X } | { readonly _tag: "state"; readonly state: S } | {
  readonly _tag: "logs"
  readonly logs: L
} =>
  s.op === "state"
    ? { _tag: "state", state: container.state }
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
        : container.exec(s.argv)
    }
