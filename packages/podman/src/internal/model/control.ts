/**
 * `TestRuntimeControl` (re-exported by `TestRuntime`) over the model's state: fixtures and fault
 * injection.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type * as ModelFixtures from "effect-podman-shared/ModelFixtures"
import type { ExecResult } from "../../Container.js"
import type { PodmanError } from "../../PodmanError.js"
import type { ResourceKind } from "../../Resource.js"
import * as Model from "./model.js"
import * as Resources from "./resources.js"
import * as State from "./state.js"

/**
 * An image to add to the model.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const image: TestRuntime.ImageFixture = {
 *   name: "api",
 *   labels: { version: "1.2.0" },
 *   command: ["sh", "-c", "echo listening; sleep 3600"],
 *   files: { "/etc/api.conf": "port=8080\n" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ImageFixture {
  /** Its name (`app` becomes `localhost/app:latest`, as podman names local images); none: dangling. */
  readonly name?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The `CreatedBy` of each step, newest first. */
  readonly history?: ReadonlyArray<string> | undefined
  readonly size?: number | undefined
  /** Files in the image (path → content), visible to `cat` in its containers. */
  readonly files?: Readonly<Record<string, string>> | undefined
  /** The image's CMD (default `/bin/sh`, which exits at once without a terminal). */
  readonly command?: ReadonlyArray<string> | undefined
  /**
   * The programs in the image (names or absolute paths). When given, a command that is none of
   * them is missing, and the model answers as podman does (start fails, or exit 1 under `init`;
   * exec exits 127; `sh` says "not found"). When absent, the model cannot tell missing from
   * unmodelled, and dies on a command it does not run.
   */
  readonly executables?: ReadonlyArray<string> | undefined
  /**
   * Its folders: a `cd`, or an exec's working directory, elsewhere fails as on podman. When absent,
   * a folder is what holds files, and any working directory is taken.
   */
  readonly folders?: ReadonlyArray<string> | undefined
  /** Its `HEALTHCHECK` command (as a docker-format image holds it), which containers inherit. */
  readonly healthcheck?: ReadonlyArray<string> | undefined
  /** Its `ENV`: its containers' environment, under their own. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** Its `WORKDIR`: its containers' working directory unless they set one (default `/`). */
  readonly workdir?: string | undefined
}

/**
 * A container to create in the model.
 *
 * The model runs a few busybox commands itself, both as the main command (its output becomes
 * the log) and in `exec`: `true`, `false`, `echo …`, `cat FILE…`, `sleep N` (on Effect time),
 * `env`, `id -u`/`id -g`, and `sh -c` scripts of those with `;`, `&&`, `||`, quotes, `$VAR`,
 * `$?`, `cd`, `pwd`, `exit N`, `>&2`, `2>&1` and `>/dev/null`; `httpd` and `sleep infinity` run
 * until stopped. `env`, `user` and `workdir` apply as on podman. It dies, saying so, on anything
 * else (a pipe, a glob, a program it does not run): script those with `scriptProcess`,
 * `scriptExec` or `scriptStdio`.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const worker: TestRuntime.ContainerFixture = { name: "jobs-1", image: "api", command: ["sh", "-c", "exit 2"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ContainerFixture = ModelFixtures.ContainerFixture

/**
 * Which calls a fault hits: an operation (the names `NonZeroExit.operation` uses:
 * `container.start`, `container.exec`, `image.list`, …), a container or image, or both; and how
 * many times before the operation recovers.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const twoFailedStarts: TestRuntime.FaultTarget = { operation: "container.start", target: "job-1", times: 2 }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface FaultTarget {
  readonly operation?: string | undefined
  readonly target?: string | undefined
  /** Default 1. */
  readonly times?: number | undefined
}

/**
 * What a scripted main process is told: its container, command, which start this is, and how to
 * write to its log.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import type { TestRuntime } from "effect-podman"
 *
 * // fails twice, then succeeds
 * const flaky = (process: TestRuntime.ProcessContext) =>
 *   Option.some(process.start < 3 ? Effect.as(process.log("boom", "stderr"), 1) : Effect.succeed(0))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type ProcessContext = State.ProcessContext

/**
 * Seeds the model and injects faults.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { PodmanError, TestRuntime } from "effect-podman"
 *
 * const scene = Effect.gen(function*() {
 *   const control = yield* TestRuntime.TestRuntimeControl
 *   yield* control.addImage({ name: "db" })
 *   yield* control.create({ name: "db-1", image: "db", command: ["sleep", "3600"] })
 *   yield* control.scriptExec((_, argv) =>
 *     argv[0] === "pg_isready" ? Option.some({ exitCode: 0, stdout: "accepting connections\n", stderr: "" }) : Option.none()
 *   )
 *   yield* control.failNext(new PodmanError.Timeout({ argv: ["podman", "start", "db-1"], timeoutMillis: 100 }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** Adds an image; returns its id. */
  readonly addImage: (fixture: ImageFixture) => Effect.Effect<string>
  /** Adds a name to an image (`podman tag`). */
  readonly tagImage: (ref: string, name: string) => Effect.Effect<void, PodmanError>
  /** Creates a container (`podman create`): a missing image or a taken name fails as on podman. */
  readonly create: (fixture: ContainerFixture) => Effect.Effect<void, PodmanError>
  /**
   * Declares a registry at `host` (`registry.test:5000`, say), reachable over HTTP: `push` and
   * `pull` with `tlsVerify: false` use it. Any other registry is unreachable, as on a machine
   * without a network.
   */
  readonly addRegistry: (host: string) => Effect.Effect<void>
  /** Adds a network, volume or pod (as `podman network|volume|pod create` would); a taken name fails as on podman. */
  readonly addResource: (
    kind: ResourceKind,
    fixture: { readonly name: string; readonly labels?: Readonly<Record<string, string>> | undefined }
  ) => Effect.Effect<void, PodmanError>
  /** Makes a running container's main process exit with `exitCode`. */
  readonly exit: (name: string, exitCode: number) => Effect.Effect<void, PodmanError>
  /** The next operation of the runtime fails with `error` (`forceRemove` reports it per container). */
  readonly failNext: (error: PodmanError) => Effect.Effect<void>
  /**
   * The calls `target` names fail with `error`, `times` times (default once), then the operation
   * recovers. Faults are taken in the order they were added.
   */
  readonly fail: (error: PodmanError, target?: FaultTarget) => Effect.Effect<void>
  /**
   * Runs main processes: for a start it knows, `Option.some(effect)` is the process — its result
   * the exit code, its time Effect time (the TestClock under `it.effect`), interrupted when the
   * container is stopped. `Option.none()` leaves the command to the model. Scripts add up: the
   * first given that answers `Some` runs the process.
   */
  readonly scriptProcess: (
    script: (process: ProcessContext) => Option.Option<Effect.Effect<number>>
  ) => Effect.Effect<void>
  /** The CDI devices that resolve (as if a CDI spec declared them). */
  readonly setCdiDevices: (devices: ReadonlyArray<string>) => Effect.Effect<void>
  /**
   * What the model's `podman info` reports: CDI spec directories and the rootless network command
   * (podman 5 reports both; the default, like podman 4, reports neither).
   */
  readonly setHostInfo: (info: ModelFixtures.HostFacts) => Effect.Effect<void>
  /** Answers `exec` calls: `Option.some(result)` overrides the built-in commands (the first script that answers). */
  readonly scriptExec: (
    script: (container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>
  ) => Effect.Effect<void>
  /**
   * Answers `execStdio` conversations line by line: for a command it knows, `Option.some(answer)`
   * maps each stdin line to the stdout lines it produces. (`cat` echoes stdin without a script.)
   */
  readonly scriptStdio: (
    script: (
      container: string,
      argv: ReadonlyArray<string>
    ) => Option.Option<(line: string) => ReadonlyArray<string>>
  ) => Effect.Effect<void>
  /** Writes a line to a container's log, as its main process would. */
  readonly log: (name: string, line: string, stream?: "stdout" | "stderr") => Effect.Effect<void, PodmanError>
}

/** @internal */
export const make = (state: State.State): Control => ({
  addImage: (fixture) =>
    Effect.sync(() => {
      const id = Model.randomId()
      state.images.unshift({
        id,
        names: fixture.name === undefined ? [] : [Model.normalizeImageName(fixture.name)],
        labels: fixture.labels ?? {},
        history: fixture.history ?? [],
        size: fixture.size ?? 0,
        created: new Date(),
        files: new Map(Object.entries(fixture.files ?? {})),
        command: fixture.command ?? ["/bin/sh"],
        executables: fixture.executables === undefined ? undefined : new Set(fixture.executables),
        digest: undefined,
        folders: fixture.folders,
        healthcheck: fixture.healthcheck,
        env: fixture.env ?? {},
        workdir: fixture.workdir
      })
      return id
    }),
  tagImage: (ref, name) =>
    State.onImage(state, ["tag", ref, name], ref, (image) => {
      image.names.push(Model.normalizeImageName(name))
    }),
  create: (fixture) => State.create(state, fixture),
  addRegistry: (host) => Effect.sync(() => void (state.registries.has(host) || state.registries.set(host, new Map()))),
  addResource: (kind, fixture) =>
    Resources.make(state).create(kind, fixture.name, { labels: fixture.labels ?? {}, internal: false, ports: [] }),
  exit: (name, exitCode) => State.onContainer(state, ["kill", name], name, (c) => State.stop(state, c, exitCode)),
  log: (name, line, stream = "stdout") =>
    State.onContainer(state, ["logs", name], name, (c) => Model.appendLog(c, stream, `${line}\n`)),
  failNext: (error) =>
    Effect.sync(() => void state.faults.push({ error, operation: undefined, target: undefined, remaining: 1 })),
  fail: (error, target = {}) =>
    Effect.sync(() =>
      void state.faults.push({
        error,
        operation: target.operation,
        target: target.target,
        remaining: target.times ?? 1
      })
    ),
  scriptProcess: (script) => Effect.sync(() => void (state.processScript = State.firstOf(state.processScript, script))),
  setCdiDevices: (devices) => Effect.sync(() => void (state.cdiDevices = devices)),
  setHostInfo: (info) =>
    Effect.sync(() =>
      void (state.hostInfo = {
        cdiSpecDirs: Option.fromNullable(info.cdiSpecDirs),
        rootlessNetworkCmd: Option.fromNullable(info.rootlessNetworkCmd),
        mode: { rootless: info.rootless, cgroupVersion: info.cgroupVersion }
      })
    ),
  scriptExec: (script) => Effect.sync(() => void (state.execScript = State.firstOf(state.execScript, script))),
  scriptStdio: (script) => Effect.sync(() => void (state.stdioScript = State.firstOf(state.stdioScript, script)))
})
