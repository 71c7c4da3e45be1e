/**
 * Scenarios both editions run against real podman, as plain data: the Effect 4 edition's
 * crossEdition test runs each on its own runtime (through `./interpret.ts`) and on the Effect 3 edition's (in a child process:
 * packages/podman/test/crossEdition/run.ts), and requires the same outcome — values, error tags,
 * reasons, operations, exit codes and messages.
 */
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

/** An exec's options as data (`timeoutMillis`: its `timeout`). */
export interface ExecData {
  readonly user?: string
  readonly workdir?: string
  readonly env?: Readonly<Record<string, string>>
  readonly stdin?: string
  readonly timeoutMillis?: number
}

export type Step =
  | { readonly op: "state" }
  | { readonly op: "start" }
  | { readonly op: "wait"; readonly timeoutMillis?: number }
  | { readonly op: "pause" }
  | { readonly op: "unpause" }
  | { readonly op: "kill"; readonly signal: string }
  | { readonly op: "restart"; readonly seconds: number }
  | { readonly op: "exec"; readonly argv: readonly [string, ...Array<string>]; readonly options?: ExecData }
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
    id: "exec as another user, in another folder, with an environment and stdin; a secret never in an error",
    run: { name: "ep-cross-exec-as", command: ["sleep", "3600"] },
    target: "ep-cross-exec-as",
    steps: [
      {
        op: "exec",
        argv: ["sh", "-c", "echo $MODE $API_TOKEN; pwd; id -u; cat"],
        options: {
          user: "1000",
          workdir: "/tmp",
          env: { MODE: "check", API_TOKEN: "exec-s3cr3t" },
          stdin: "from stdin\n"
        }
      },
      { op: "exec", argv: ["true"], options: { workdir: "-w" } }
    ],
    expect: [
      { at: 0, is: { value: { exitCode: 0, stdout: "check exec-s3cr3t\n/tmp\n1000\nfrom stdin\n", stderr: "" } } },
      { at: 1, is: { error: { _tag: "InvalidArgument" } } }
    ]
  },
  {
    // (without stdin: the Effect 4 edition's REST layer sends an exec with stdin through podman-remote,
    // the Effect 3 edition's over the API — the same error, reached another way)
    id: "exec with a secret into an absent container: NoSuchContainer, the secret nowhere",
    target: "ep-cross-exec-absent",
    steps: [{ op: "exec", argv: ["true"], options: { env: { API_TOKEN: "absent-s3cr3t" } } }],
    expect: [{ at: 0, is: { error: { _tag: "NonZeroExit", reason: "NoSuchContainer" } } }]
  },
  {
    id: "bounds the caller gives: an exec and a wait that outlive them are Timeout CallerBound; the container runs on",
    run: { name: "ep-cross-bounds", command: ["sleep", "3600"] },
    target: "ep-cross-bounds",
    steps: [
      { op: "exec", argv: ["sleep", "30"], options: { timeoutMillis: 500, env: { API_TOKEN: "bound-s3cr3t" } } },
      { op: "wait", timeoutMillis: 300 },
      { op: "state" },
      { op: "stop", seconds: 1 },
      { op: "wait" }
    ],
    expect: [
      { at: 0, is: { error: { _tag: "Timeout", reason: "CallerBound" } } },
      { at: 1, is: { error: { _tag: "Timeout", reason: "CallerBound" } } },
      { at: 2, is: { value: "running" } },
      // catatonit (the init, run's default here) passes the stop's SIGTERM on
      { at: 4, is: { value: 143 } }
    ]
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
    attempt: {
      name: "ep-cross-default-init",
      command: ["no-such-program"],
      wait: { successfulExit: true },
      deadline: 60_000
    },
    target: "ep-cross-default-init",
    steps: [{ op: "state" }],
    // this host has podman's init (catatonit): run starts it, and the program's absence is the
    // container's to report (catatonit exits 1), not run's refusal
    expect: [{ at: 0, is: { error: { _tag: "WaitFailed", reason: "the container exited with code 1" } } }]
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
