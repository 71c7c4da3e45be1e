/**
 * The service: podman operations as Effects whose errors are exact, containers as scoped
 * resources, logs as a `Stream` — for Effect 4. This preview has the CLI layer (`Podman.layer`) and
 * the operations a test or a job runner needs first; the Effect 3 edition (`effect-podman`) has the
 * whole surface and the REST and in-memory layers.
 *
 * @since 0.4.0
 */
import { Context } from "effect"
import type { Duration, Effect, Equal, Option, Scope, Sink, Stream } from "effect"
import type * as Events from "effect-podman-shared/Events"
import type * as LogFile from "effect-podman-shared/LogFile"
import type * as PodmanJson from "effect-podman-shared/PodmanJson"
import type * as Spec from "effect-podman-shared/Spec"
import type { BuildFailed, GpuConfigError, SpecError, WaitFailed } from "./ContainerError.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import type * as Images from "./Images.js"
import type { InvalidArgument, PodmanError } from "./PodmanError.js"
import type * as PortReservation from "./PortReservation.js"
import type { ManagedPod, ManagedResource, ResourceOptionsInput } from "./Resource.js"
import type { WaitStrategy } from "./Wait.js"

/**
 * A container's state, as podman names it.
 *
 * @example
 * ```ts
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const up = (state: ContainerRuntime.ContainerState) => state === "running"
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const ok = (result: ContainerRuntime.ExecResult) => result.exitCode === 0
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const limited = (config: ContainerRuntime.ContainerConfig) => Option.isSome(config.memory)
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const volumes = (mounts: ReadonlyArray<ContainerRuntime.ContainerMount>) => mounts.filter((m) => m.type === "volume")
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const errors = (entries: ReadonlyArray<ContainerRuntime.LogEntry>) => entries.filter((e) => e.stream === "stderr").map((e) => e.line)
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const lastHour: ContainerRuntime.LogsOptions = { since: new Date(Date.now() - 3_600_000), tail: 100 }
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const headroom = (stats: ContainerRuntime.ContainerStats) => stats.memoryLimit - stats.memoryUsed
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const options: ContainerRuntime.ExecOptions = { user: "1000", workdir: "/srv", env: { MODE: "check" }, stdin: "hello\n" }
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const options: ContainerRuntime.ExecStdioOptions = {
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
  readonly restart: (options?: { readonly timeout?: Duration.Input | undefined }) => Effect.Effect<void, PodmanError | GpuConfigError>
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
  readonly statsStream: (options?: { readonly interval?: Duration.Input | undefined }) => Stream.Stream<PodmanJson.ContainerStats, PodmanError>
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const home = (web: ContainerRuntime.ManagedContainer) => web.url(80, "/")
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const running = (all: ReadonlyArray<ContainerRuntime.ContainerListing>) => all.filter((c) => c.state === "running").map((c) => c.name)
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
 * import type { ContainerRuntime } from "effect-podman-4"
 *
 * const crashed = (event: ContainerRuntime.ContainerEvent) =>
 *   event.status === "died" && Option.getOrElse(event.exitCode, () => 0) !== 0
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerEvent {
  readonly name: string
  readonly id: string
  readonly status: Events.ContainerEventStatus
  readonly time: Date
  readonly image: Option.Option<string>
  /** The exit code, on `died`. */
  readonly exitCode: Option.Option<number>
}

/**
 * Options of `run`: what to wait for, and one deadline for creating, starting and waiting.
 *
 * @example
 * ```ts
 * import { ContainerRuntime, Wait } from "effect-podman-4"
 *
 * const options: ContainerRuntime.RunOptions = { wait: Wait.forLog(/ready/), deadline: "30 seconds" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface RunOptions {
  readonly wait?: WaitStrategy | undefined
  readonly deadline?: Duration.Input | undefined
}

/**
 * The operations.
 *
 * @since 0.4.0
 * @category models
 */
export interface Service {
  readonly container: (name: string) => Container
  /** Creates a container that is removed (forcibly) when the scope closes. */
  readonly create: (spec: ContainerSpecInput) => Effect.Effect<ManagedContainer, PodmanError | SpecError, Scope.Scope>
  /** Creates and starts a container (one `podman run --detach`) and waits until it is ready. */
  readonly run: (
    spec: ContainerSpecInput,
    options?: RunOptions
  ) => Effect.Effect<ManagedContainer, PodmanError | SpecError | GpuConfigError | WaitFailed, Scope.Scope>
  /**
   * Removes the containers — then the pods, networks and volumes — of sessions whose process is
   * gone (a test run that crashed or was killed): everything this runtime creates carries its
   * session's labels. Their names.
   */
  readonly sweep: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /**
   * Bridges byte streams to `argv` run in a container (`podman exec --interactive`): stdin is
   * pumped in with backpressure and its end closes the command's stdin; stdout and stderr are
   * drained completely before its exit code is returned (a code other than 0 is a result).
   */
  readonly execStdio: <E = never, R = never>(
    container: Container | string,
    argv: ReadonlyArray<string>,
    options: ExecStdioOptions<E, R>
  ) => Effect.Effect<number, PodmanError | E, R>
  /**
   * Lifecycle events of the containers named `prefix-…`, from the moment the stream starts (or
   * from `since`: podman keeps an event log, so events between `since` and the start are replayed
   * first), until it is interrupted. When podman rotates its event log its own reader stops; this
   * stream goes on from the last event it delivered.
   */
  readonly events: (prefix: string, options?: { readonly since?: Date | undefined }) => Stream.Stream<ContainerEvent, PodmanError>
  /**
   * What podman says of its host: its CDI spec folders (podman 5+ reports them; none on 4.3) and
   * its rootless network command (none for root).
   */
  readonly host: {
    readonly cdiSpecDirs: Effect.Effect<Option.Option<ReadonlyArray<string>>, PodmanError>
    readonly rootlessNetworkCmd: Effect.Effect<Option.Option<string>, PodmanError>
  }
  /** Reserves a free TCP port on `host` (default `127.0.0.1`) for the scope (`PortReservation.reserve`). */
  readonly reservePort: (host?: string) => Effect.Effect<PortReservation.PortReservation, InvalidArgument, Scope.Scope>
  /**
   * The escape hatch: any podman command, for what this library does not cover yet — with the
   * same checks (no NUL, no oversized argument), bound (`timeout`, else the layer's), redaction,
   * span and typed errors as every other call. A non-zero exit is a `NonZeroExit`. The REST layer
   * runs it through podman-remote against its service; the model cannot (a defect).
   */
  readonly podman: (
    args: ReadonlyArray<string>,
    options?: { readonly timeout?: Duration.Input | undefined }
  ) => Effect.Effect<{ readonly stdout: string; readonly stderr: string }, PodmanError>
  /** A handle on an image by reference. */
  readonly image: (ref: string) => Images.Image
  /**
   * Pulls an image (`tlsVerify: false` for a registry over HTTP). A failure is a `NonZeroExit`
   * with reason `PullFailed`, saying why (manifest unknown, unauthorized, connection refused…).
   */
  readonly pull: (ref: string, options?: Images.TransferOptions) => Effect.Effect<void, PodmanError>
  /** The same pull, as a stream of what podman reports (`Done` last, with the image's id). */
  readonly pullProgress: (ref: string, options?: Images.TransferOptions) => Stream.Stream<Images.ImageProgress, PodmanError>
  /** Pushes `ref` to `destination` (default: `ref` itself, whose name says the registry). */
  readonly push: (ref: string, destination?: string, options?: Images.TransferOptions) => Effect.Effect<void, PodmanError>
  /** The same push, as a stream of what podman reports (`Done` last, with the image's id). */
  readonly pushProgress: (ref: string, destination?: string, options?: Images.TransferOptions) => Stream.Stream<Images.ImageProgress, PodmanError>
  /** Builds the folder `context` (its `Containerfile` unless `containerfile`): the image's id. A failed step is `BuildFailed`. */
  readonly build: (context: string, options?: Images.BuildOptions) => Effect.Effect<string, PodmanError | BuildFailed>
  /** The same build, as a stream of its steps and their output (`Done` last, with the image's id). */
  readonly buildProgress: (context: string, options?: Images.BuildOptions) => Stream.Stream<Images.ImageProgress, PodmanError | BuildFailed>
  /** Adds the name `target` to the image `ref`. */
  readonly tagImage: (ref: string, target: string) => Effect.Effect<void, PodmanError>
  /**
   * Removes an image: `false` when it is absent, or used by a container and not `force`d (`force`
   * removes those containers too).
   */
  readonly removeImage: (ref: string, options?: { readonly force?: boolean | undefined }) => Effect.Effect<boolean, PodmanError>
  /** Removes dangling images (untagged and unused): their ids. */
  readonly pruneImages: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** The local images, or those carrying a label (`key` or `key=value`): one entry per name. */
  readonly images: (options?: { readonly label?: string | undefined }) => Effect.Effect<ReadonlyArray<Images.ImageListing>, PodmanError>
  /**
   * The containers carrying a label (`key` or `key=value`) or named `namePrefix-…`, running or not
   * (one podman call).
   */
  readonly containers: (
    filter: { readonly label: string } | { readonly namePrefix: string }
  ) => Effect.Effect<ReadonlyArray<ContainerListing>, PodmanError>
  /** Handles on the containers named `prefix-…` (one podman call). */
  readonly containersWithPrefix: (prefix: string) => Effect.Effect<ReadonlyArray<Container>, PodmanError>
  /** `name → writable-layer bytes` of the containers named `prefix-…`. */
  readonly containerRwSizes: (prefix: string) => Effect.Effect<ReadonlyMap<string, number>, PodmanError>
  /** `name → state` of the containers named `prefix-…` (one podman call). */
  readonly containerStates: (prefix: string) => Effect.Effect<ReadonlyMap<string, ContainerState>, PodmanError>
  /** Removes containers by name, running or not; an absent one counts as removed. */
  readonly forceRemove: (names: ReadonlyArray<string>) => Effect.Effect<void, PodmanError>
  /**
   * Creates a network (`internal`: no route out), removed — with any container still on it — when
   * the scope closes. Specs join it by `network: net.name`; containers on it reach each other by
   * name and by `networkAliases`.
   */
  readonly network: (options?: ResourceOptionsInput) => Effect.Effect<ManagedResource<"network">, PodmanError | SpecError, Scope.Scope>
  /**
   * Creates a named volume, removed (with any container still using it) when the scope closes.
   * Mount it with `{ type: "volume", source: volume.name, target }`: what one container writes
   * there the next one reads.
   */
  readonly volume: (options?: ResourceOptionsInput) => Effect.Effect<ManagedResource<"volume">, PodmanError | SpecError, Scope.Scope>
  /**
   * Creates a pod with its published ports (a free host port for a mapping without one), removed
   * with its containers when the scope closes. Its containers (`pod: pod.name`) share `localhost`.
   */
  readonly pod: (options?: ResourceOptionsInput) => Effect.Effect<ManagedPod, PodmanError | SpecError, Scope.Scope>
}

/**
 * The service's key: `yield*` it for the operations.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 *
 * const program = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   return yield* runtime.container("web").state
 * })
 * ```
 *
 * @since 0.4.0
 * @category services
 */
export class ContainerRuntime extends Context.Service<ContainerRuntime, Service>()("effect-podman-4/ContainerRuntime") {}
