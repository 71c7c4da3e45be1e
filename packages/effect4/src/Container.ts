/**
 * The handles on containers and what their operations answer: `Container` (by name), the
 * `ManagedContainer` `run` and `create` give (with its published ports), listings, events, exec
 * results and options, logs, settings, mounts and stats. `ContainerRuntime` names them too.
 *
 * @since 0.4.0
 */
import type { Duration, Effect, Equal, Option, Sink, Stream } from "effect"
import type * as Events from "effect-podman-shared/Events"
import type * as LogFile from "effect-podman-shared/LogFile"
import type * as PodmanJson from "effect-podman-shared/PodmanJson"
import type * as Spec from "effect-podman-shared/Spec"
import type { GpuConfigError } from "./ContainerError.js"
import type { PodmanError } from "./PodmanError.js"

/**
 * A container's state, as podman names it.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const up = (state: Container.ContainerState) => state === "running"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerState = PodmanJson.ContainerState

/**
 * What a command run in a container gave: its exit code is a result, not a failure.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const ok = (result: Container.ExecResult) => result.exitCode === 0
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ExecResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * The limits and settings a container runs with, as podman reports them: what the spec set, and
 * podman's defaults for the rest.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import type { Container } from "effect-podman-4"
 *
 * const limited = (config: Container.ContainerConfig) => Option.isSome(config.memory)
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerConfig extends Omit<PodmanJson.ContainerSettings, "memory" | "cpus" | "pidsLimit"> {
  readonly memory: Option.Option<number>
  readonly cpus: Option.Option<number>
  readonly pidsLimit: Option.Option<number>
}

/**
 * A mount of a container: its type (`bind`, `volume`, …), source (a host path, or a volume's
 * name), destination, and whether it is writable. (podman does not list tmpfs mounts here.)
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const volumes = (mounts: ReadonlyArray<Container.ContainerMount>) => mounts.filter((m) => m.type === "volume")
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerMount {
  readonly type: string
  readonly source: string
  readonly destination: string
  readonly rw: boolean
}

/**
 * A log line with the stream it was written to.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const errors = (entries: ReadonlyArray<Container.LogEntry>) => entries.filter((e) => e.stream === "stderr").map((e) => e.line)
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type LogEntry = LogFile.LogEntry

/**
 * Options of `logs` and `logEntries`: keep streaming new lines until the container stops
 * (`follow`), only the last `tail` lines already written (a whole number ≥ 0), only lines written
 * at or after `since`. A bad `tail` or an invalid `Date` is an `InvalidArgument` before podman runs.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const lastHour: Container.LogsOptions = { since: new Date(Date.now() - 3_600_000), tail: 100 }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface LogsOptions {
  readonly follow?: boolean | undefined
  readonly tail?: number | undefined
  readonly since?: Date | undefined
}

/**
 * A sample of a container's resource use.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const headroom = (stats: Container.ContainerStats) => stats.memoryLimit - stats.memoryUsed
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerStats = PodmanJson.ContainerStats

/**
 * Options of `exec`: a bound, the user and working directory to run as, environment variables (a
 * sensitive key's value — `API_TOKEN`, `PASSWORD`, … — goes through podman's environment, never an
 * argv), and what the command reads on stdin (its end closes it).
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const options: Container.ExecOptions = { user: "1000", workdir: "/srv", env: { MODE: "check" }, stdin: "hello\n" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ExecOptions {
  readonly timeout?: Duration.Input | undefined
  readonly user?: string | undefined
  readonly workdir?: string | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  /** A string is UTF-8. */
  readonly stdin?: string | Uint8Array | undefined
}

/**
 * Options of `execStdio`: byte streams bridged to a command in a container — its stdin (whose end
 * closes the command's stdin), where its stdout and stderr go (stderr is discarded by default,
 * though its tail is kept for errors) — and `exec`'s user, directory, environment and bound.
 *
 * @example
 * ```ts
 * import { Sink, Stream } from "effect"
 * import type { Container } from "effect-podman-4"
 *
 * const options: Container.ExecStdioOptions = {
 *   stdin: Stream.make(new TextEncoder().encode("ping\n")),
 *   stdout: Sink.drain
 * }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ExecStdioOptions<E = never, R = never> {
  readonly stdin: Stream.Stream<Uint8Array, E, R>
  readonly stdout: Sink.Sink<unknown, Uint8Array, never, E, R>
  readonly stderr?: Sink.Sink<unknown, Uint8Array, never, E, R> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly user?: string | undefined
  readonly workdir?: string | undefined
  readonly timeout?: Duration.Input | undefined
}

/**
 * A handle on a container by name (it need not exist: each operation asks podman); handles on one
 * name are `Equal` (a managed container's too).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 *
 * const isUp = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   return yield* runtime.container("web").state
 * })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Container extends Equal.Equal {
  readonly name: string
  /** Its state; none when there is no such container. */
  readonly state: Effect.Effect<Option.Option<ContainerState>, PodmanError>
  /** Whether its state is `running` (an absent container is not). */
  readonly running: Effect.Effect<boolean, PodmanError>
  /** Its full id; none when absent. */
  readonly id: Effect.Effect<Option.Option<string>, PodmanError>
  /** When it last started; none when absent or never started. */
  readonly startedAt: Effect.Effect<Option.Option<Date>, PodmanError>
  /** Its mounts; none when absent. */
  readonly mounts: Effect.Effect<Option.Option<ReadonlyArray<ContainerMount>>, PodmanError>
  /** The image it was created from (as podman names it); none when absent. */
  readonly image: Effect.Effect<Option.Option<string>, PodmanError>
  /** Starts it; a GPU it asked for that the host cannot serve is a `GpuConfigError`. */
  readonly start: Effect.Effect<void, PodmanError | GpuConfigError>
  /** Stops it: SIGTERM, then SIGKILL after `timeout` (default 10 seconds, rounded up to seconds). */
  readonly stop: (options?: { readonly timeout?: Duration.Input | undefined }) => Effect.Effect<void, PodmanError>
  /** Stops it (with `stop`'s grace period) and starts it again. */
  readonly restart: (
    options?: { readonly timeout?: Duration.Input | undefined }
  ) => Effect.Effect<void, PodmanError | GpuConfigError>
  /**
   * Sends a signal (default `SIGKILL`) to its main process (an init forwards it). One that is not
   * running is a `NonZeroExit` `NotRunning`.
   */
  readonly kill: (signal?: string) => Effect.Effect<void, PodmanError>
  /** Freezes its processes (`exec` then fails with `NotRunning`). */
  readonly pause: Effect.Effect<void, PodmanError>
  /** Thaws it. */
  readonly unpause: Effect.Effect<void, PodmanError>
  /** Its writable layer's size in bytes (one inspect with sizes); none when absent. */
  readonly rwSize: Effect.Effect<Option.Option<number>, PodmanError>
  /**
   * The argv that attaches a person interactively (`podman exec -it NAME …`, by default a tmux
   * session `main`), for a terminal to run.
   */
  readonly loginCommand: (command?: ReadonlyArray<string>) => ReadonlyArray<string>
  /** Its limits and settings (one inspect); none when there is no such container. */
  readonly config: Effect.Effect<Option.Option<ContainerConfig>, PodmanError>
  /**
   * A sample of its resource use (one `podman stats --no-stream`): zeros when it is not running.
   */
  readonly stats: Effect.Effect<PodmanJson.ContainerStats, PodmanError>
  /** A sample every `interval` (default 1 second), for as long as the stream is read. */
  readonly statsStream: (
    options?: { readonly interval?: Duration.Input | undefined }
  ) => Stream.Stream<PodmanJson.ContainerStats, PodmanError>
  /**
   * Runs its health check once: true when it passes. One without a check, or not running, is a
   * `NonZeroExit` with podman's words.
   */
  readonly healthcheck: Effect.Effect<boolean, PodmanError>
  /** Waits for it to exit: its exit code. Unbounded unless `timeout`. */
  readonly wait: (options?: { readonly timeout?: Duration.Input | undefined }) => Effect.Effect<number, PodmanError>
  /**
   * Runs a command in it: its exit code and output (a code other than 0 is a result). Unbounded
   * unless `timeout` (then the podman child is killed).
   */
  readonly exec: (argv: ReadonlyArray<string>, options?: ExecOptions) => Effect.Effect<ExecResult, PodmanError>
  /**
   * Copies a host path into it at `dest`, as `podman cp` does: a directory contents-first (`src/.`:
   * what is already at `dest` is kept and added to), a file to `dest` (into it, when it is a
   * directory). Links under a directory are copied as links.
   */
  readonly copyIn: (src: string, dest: string) => Effect.Effect<void, PodmanError>
  /**
   * Writes files from memory into it: path (absolute, without `..`) → content; parents are made,
   * files replaced. One archive, one call.
   */
  readonly copyFiles: (files: Readonly<Record<string, string | Uint8Array>>) => Effect.Effect<void, PodmanError>
  /** A container path as a tar archive, streamed as podman makes it (the path's base name first). */
  readonly archive: (path: string) => Stream.Stream<Uint8Array, PodmanError>
  /**
   * Copies a container path to the host: a directory's contents into `hostPath` (created if
   * absent), a file to `hostPath` (into it, when it is a directory). The archive is not trusted:
   * no entry lands outside `hostPath`, nothing is written through a link, no device is made.
   */
  readonly copyOut: (path: string, hostPath: string) => Effect.Effect<void, PodmanError>
  /**
   * Follows its log until a line satisfies `ready` (`true`) or `timeout` passes (`false`); `false`
   * too when it stops first. Each line goes to `onLine` (default `Effect.log`).
   */
  readonly waitForLog: (
    ready: (line: string) => boolean,
    options: { readonly timeout: Duration.Input; readonly onLine?: ((line: string) => Effect.Effect<void>) | undefined }
  ) => Effect.Effect<boolean, PodmanError>
  /**
   * Its log as entries, each line with its stream (stdout or stderr): from its log file's records,
   * the API's frames, or `podman logs`' two pipes. Between the two streams the order is the order
   * podman delivers, which need not be the order they were written.
   */
  readonly logEntries: (options?: LogsOptions) => Stream.Stream<LogEntry, PodmanError>
  /**
   * Its log lines: from its `k8s-file` log where this process can read it (followed, with
   * `follow`, until its conmon is gone), else from `podman logs`.
   */
  readonly logs: (options?: LogsOptions) => Stream.Stream<string, PodmanError>
}

/**
 * A container this runtime created: its handle, and the host side of its published ports.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const home = (web: Container.ManagedContainer) => web.url(80, "/")
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ManagedContainer extends Container {
  readonly ports: ReadonlyArray<Spec.PublishedPort>
  /** The host port of a published container port; none when it is not published. */
  readonly hostPort: (containerPort: number) => Option.Option<number>
  /** The host port of a published container port; throws, naming what is published, otherwise. */
  readonly mappedPort: (containerPort: number) => number
  /** A URL of a published port (`http://127.0.0.1:HOSTPORT/path`). */
  readonly url: (containerPort: number, path?: string, scheme?: string) => string
}

/**
 * A container of a listing: a handle on it, and what podman listed of it.
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const running = (all: ReadonlyArray<Container.ContainerListing>) => all.filter((c) => c.state === "running").map((c) => c.name)
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerListing {
  readonly container: Container
  readonly name: string
  readonly state: ContainerState
  /** The image it was created from, as podman names it. */
  readonly image: string
  readonly ports: ReadonlyArray<Spec.PublishedPort>
  readonly labels: Readonly<Record<string, string>>
}

/**
 * A lifecycle event of a container: `create`, `init`, `start`, `died` (with its exit code), `stop`,
 * `kill`, `remove`, `pause`, `unpause`.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import type { Container } from "effect-podman-4"
 *
 * const crashed = (event: Container.ContainerEvent) =>
 *   event.status === "died" && Option.getOrElse(event.exitCode, () => 0) !== 0
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerEvent {
  readonly name: string
  readonly id: string
  readonly status: ContainerEventStatus
  readonly time: Date
  readonly image: Option.Option<string>
  /** The exit code, on `died`. */
  readonly exitCode: Option.Option<number>
}

/**
 * What a forced removal did to one container: `removed`, or the `error` that kept it (the
 * operation itself never fails; an absent container counts as removed).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 *
 * const leftovers = Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => runtime.forceRemove(["web", "db"])).pipe(
 *   Effect.map((results) => results.filter((r) => !r.removed).map((r) => r.name))
 * )
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerRemoveResult {
  readonly name: string
  readonly removed: boolean
  readonly error: Option.Option<string>
}

/**
 * What podman reports about its host, for the argv helpers (`Gpu`, `Network`). Fields that this
 * podman does not report (podman 4 has neither) are `Option.none()`, not an error.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 *
 * const cdiDirs = Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => runtime.host.cdiSpecDirs)
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface HostInfo {
  /** The directories podman reads CDI specs from (`podman info` `.Host.CDISpecs`). */
  readonly cdiSpecDirs: Effect.Effect<Option.Option<ReadonlyArray<string>>, PodmanError>
  /** The network command of rootless containers, `pasta` or `slirp4netns` (`.Host.RootlessNetworkCmd`). */
  readonly rootlessNetworkCmd: Effect.Effect<Option.Option<string>, PodmanError>
}

/**
 * What happened to a container, as `events` reports it (`create`, `start`, `died`, …).
 *
 * @example
 * ```ts
 * import type { Container } from "effect-podman-4"
 *
 * const ended = (status: Container.ContainerEventStatus) => status === "died"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerEventStatus = Events.ContainerEventStatus

export type {
  /**
   * A handle on an image by reference (`Images.Image`).
   *
   * @since 0.4.0
   */
  Image
} from "./Images.js"
