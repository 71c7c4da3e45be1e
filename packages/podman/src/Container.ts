/**
 * The handles and results of `ContainerRuntime`: a container (`Container`, `ManagedContainer`),
 * an image (`Image`), and what their operations return. A leaf module: it imports no other
 * module of this package but the specs and errors, so wait strategies and layers can use it
 * without importing the service.
 *
 * @since 0.2.0
 */
import type { Duration, Effect, Option, Stream } from "effect"
import type * as PodmanJson from "effect-podman-shared/PodmanJson"
import type { PublishedPort } from "./ContainerSpec.js"
import type { ExecOptions, ExecResult } from "./Exec.js"
import type { ContainerConfig, ContainerStats } from "./Inspect.js"
import type { LogEntry, LogsOptions } from "./Logs.js"
import type { GpuConfigError, PodmanError } from "./PodmanError.js"

/**
 * A mount of a container, as `podman inspect` reports it.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const binds = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("web").mounts).pipe(
 *   Effect.map(Option.map((mounts) => mounts.filter((m) => m.type === "bind").map((m) => m.destination)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ContainerMount {
  /** `bind`, `volume`, `tmpfs`, … */
  readonly type: string
  /** Host path or volume name (empty for tmpfs). */
  readonly source: string
  /** Path inside the container. */
  readonly destination: string
  /** Whether the mount is writable. */
  readonly rw: boolean
}

/**
 * A handle to a container, by name. Cheap to make: it does not check that the container exists,
 * and every member asks podman afresh. Two handles with the same name are `Equal`.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const program = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   const web = runtime.container("web")
 *   const state = yield* web.state // Option.none() when there is no such container
 *   if (Option.contains(state, "exited")) yield* web.start
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Container {
  /** The container's name (or id) as given. */
  readonly name: string
  /** Lifecycle state (`created`, `running`, `exited`, `paused`, …); `none` when the container is absent. */
  readonly state: Effect.Effect<Option.Option<ContainerState>, PodmanError>
  /** Whether the state is `running` (an absent container is not running). */
  readonly running: Effect.Effect<boolean, PodmanError>
  /** The full container id; `none` when absent. */
  readonly id: Effect.Effect<Option.Option<string>, PodmanError>
  /** When the container last started; `none` when absent or never started. */
  readonly startedAt: Effect.Effect<Option.Option<Date>, PodmanError>
  /** The container's mounts; `none` when absent. */
  readonly mounts: Effect.Effect<Option.Option<ReadonlyArray<ContainerMount>>, PodmanError>
  /** Its limits and settings (memory, CPUs, pids, restart policy, capabilities, …); none when absent. */
  readonly config: Effect.Effect<Option.Option<ContainerConfig>, PodmanError>
  /** A handle to the image the container was created from; `none` when absent. */
  readonly image: Effect.Effect<Option.Option<Image>, PodmanError>
  /**
   * Size of the writable layer in bytes; `none` when absent. Uses `podman container inspect
   * --size`, which computes overlay diffs: expect a pause for large containers.
   */
  readonly rwSize: Effect.Effect<Option.Option<number>, PodmanError>
  /**
   * Runs `argv` inside the running container (`ContainerRuntime.exec` on this handle): the
   * command's exit code is in the result; podman failing to run it is a `NonZeroExit`.
   */
  readonly exec: (
    argv: readonly [string, ...Array<string>],
    options?: ExecOptions
  ) => Effect.Effect<ExecResult, PodmanError>
  /** One sample of its resource use (`podman stats --no-stream`). */
  readonly stats: Effect.Effect<ContainerStats, PodmanError>
  /**
   * Samples every `interval` (default 1 second), the first at once, for as long as the stream is
   * consumed: interrupt it, or `take` what you need.
   */
  readonly statsStream: (
    options?: { readonly interval?: Duration.DurationInput | undefined }
  ) => Stream.Stream<ContainerStats, PodmanError>
  /** Runs the container's health check once (`podman healthcheck run`): whether it passed. */
  readonly healthcheck: Effect.Effect<boolean, PodmanError>
  /** Starts the container; a CDI / GPU misconfiguration is a `GpuConfigError`. */
  readonly start: Effect.Effect<void, PodmanError | GpuConfigError>
  /**
   * Stops the container: SIGTERM, then SIGKILL once `timeout` passes (default 10 seconds). podman
   * counts whole seconds, so the grace period is rounded up (`"500 millis"` gives 1 s, `0` kills at
   * once). A bare number is milliseconds, as everywhere in Effect.
   */
  readonly stop: (
    options?: { readonly timeout?: Duration.DurationInput | undefined }
  ) => Effect.Effect<void, PodmanError>
  /** Stops the container (with `stop`'s grace period) and starts it again. */
  readonly restart: (
    options?: { readonly timeout?: Duration.DurationInput | undefined }
  ) => Effect.Effect<void, PodmanError>
  /**
   * Sends a signal (default `SIGKILL`) to the main process. An init process (`--init`) forwards it;
   * a PID 1 without one ignores what it has no handler for. A container that is not running is a
   * `NonZeroExit` `NotRunning`.
   */
  readonly kill: (signal?: string) => Effect.Effect<void, PodmanError>
  /** Freezes every process of the container (`exec` then fails with `NotRunning`). */
  readonly pause: Effect.Effect<void, PodmanError>
  /** Thaws a paused container. */
  readonly unpause: Effect.Effect<void, PodmanError>
  /**
   * Waits until the container exits and returns its exit code. With a `timeout`, the wait fails
   * with `Timeout` when it passes (the container keeps running).
   */
  readonly wait: (
    options?: { readonly timeout?: Duration.DurationInput | undefined }
  ) => Effect.Effect<number, PodmanError>
  /**
   * Copies a host path into the container at `dest`. A directory is copied contents-first
   * (`src/.`), so what is already at `dest` is kept and added to.
   */
  readonly copyIn: (src: string, dest: string) => Effect.Effect<void, PodmanError>
  /**
   * Writes files from memory into the container: absolute paths to contents (a string is UTF-8),
   * parent directories created, existing files replaced.
   */
  readonly copyFiles: (files: Readonly<Record<string, string | Uint8Array>>) => Effect.Effect<void, PodmanError>
  /**
   * A container path as a tar archive, streamed as podman makes it (the path's base name first;
   * a directory with everything under it). An absent path is a `NonZeroExit`.
   */
  readonly archive: (path: string) => Stream.Stream<Uint8Array, PodmanError>
  /**
   * Copies a container path to the host: a file to `hostPath` (into it, when it is a directory),
   * a directory's contents into `hostPath` (created if absent). The archive is not trusted: an
   * entry named outside `hostPath`, or reaching it through a link, fails the copy; links arrive as
   * links; device nodes and FIFOs are skipped.
   */
  readonly copyOut: (path: string, hostPath: string) => Effect.Effect<void, PodmanError>
  /**
   * The container's log lines (stdout and stderr, as podman prints them), decoded as UTF-8 with
   * invalid bytes replaced, without their trailing newline. With `follow`, the stream goes on
   * until the container stops. The `podman logs` child lives exactly as long as the stream: it is
   * killed and reaped when the stream ends, fails or is interrupted (`Stream.take(3)` included).
   * An absent container is a `NonZeroExit`, not an empty stream.
   */
  readonly logs: (options?: LogsOptions) => Stream.Stream<string, PodmanError>
  /**
   * `logs`, each line with the stream it was written to. podman keeps them apart (the log file's
   * records, the API's frame headers, the CLI's two pipes); between the two streams the order is
   * the order podman delivers, which need not be the order they were written.
   */
  readonly logEntries: (options?: LogsOptions) => Stream.Stream<LogEntry, PodmanError>
  /**
   * Follows the logs until a line satisfies `ready` (`true`) or `timeout` passes (`false`);
   * `false` too when the container stops first. Each line goes to `onLine` (default `Effect.log`).
   */
  readonly waitForLog: (
    ready: (line: string) => boolean,
    options: {
      readonly timeout: Duration.DurationInput
      readonly onLine?: ((line: string) => Effect.Effect<void>) | undefined
    }
  ) => Effect.Effect<boolean, PodmanError>
  /**
   * The argv that attaches interactively (`podman exec -it NAME …`), for a caller to exec.
   * Without a command: a `tmux` session named `main`.
   */
  readonly loginCommand: (command?: ReadonlyArray<string>) => ReadonlyArray<string>
}

/**
 * A container this library created, with the host side of its published ports.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const page = Effect.scoped(
 *   Effect.gen(function*() {
 *     const rt = yield* ContainerRuntime.ContainerRuntime
 *     const web = yield* rt.run({ image: "localhost/web:latest", ports: [{ container: 80 }] })
 *     const port: number = web.mappedPort(80) // throws, naming the published ports, if 80 is not one
 *     const maybe: Option.Option<number> = web.hostPort(8080) // Option.none(): not published
 *     return yield* Effect.promise(() => fetch(web.url(80, "/health")).then((r) => r.text()))
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ManagedContainer extends Container {
  readonly ports: ReadonlyArray<PublishedPort>
  /** The host port published for `containerPort`, if any. */
  readonly hostPort: (containerPort: number) => Option.Option<number>
  /**
   * The host port published for `containerPort`. A port the spec does not publish is a mistake in
   * the test, not a state to handle: it throws, naming the ports that are published.
   */
  readonly mappedPort: (containerPort: number) => number
  /**
   * `http://HOST:PORT/path` for a published `containerPort` (`scheme` default `http`): the host
   * IP it is bound to (loopback for a wildcard bind; IPv6 in brackets). Throws as `mappedPort`.
   */
  readonly url: (containerPort: number, path?: string, scheme?: string) => string
}

/**
 * A container's state as podman reports it (`podman inspect`'s `State.Status`, lower-cased);
 * a state this library does not know is reported as `unknown`.
 *
 * @example
 * ```ts
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const finished = (state: ContainerRuntime.ContainerState) => state === "exited" || state === "stopped"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type ContainerState = PodmanJson.ContainerState

/**
 * A handle to an image, by reference (name, tag or id). `repository`, `tag`, `size` and
 * `created` are filled when the handle comes from `ContainerRuntime.images`, and `none` otherwise.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const labels = Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) =>
 *   runtime.image("localhost/app:latest").labels
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Image {
  /** The reference this handle was made with. */
  readonly ref: string
  /** Repository part (e.g. `localhost/app`), when listed. */
  readonly repository: Option.Option<string>
  /** Tag part (e.g. `latest`), when listed. */
  readonly tag: Option.Option<string>
  /** Size in bytes, when listed. */
  readonly size: Option.Option<number>
  /** Creation time, when listed. */
  readonly created: Option.Option<Date>
  /** The resolved image id; `none` when the image is absent. */
  readonly id: Effect.Effect<Option.Option<string>, PodmanError>
  /** Whether the image is present locally. */
  readonly exists: Effect.Effect<boolean, PodmanError>
  /** The image's `Config.Labels` (an absent image is a `NonZeroExit`). */
  readonly labels: Effect.Effect<Readonly<Record<string, string>>, PodmanError>
  /** The `CreatedBy` of each history step, newest first. */
  readonly history: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** The manifest digest (`sha256:…`) of an image pulled or pushed; none for one only built here, or absent. */
  readonly digest: Effect.Effect<Option.Option<string>, PodmanError>
  /**
   * Removes the image, without force: `false` when podman refuses (the image is absent or a
   * container uses it), `true` when removed.
   */
  readonly remove: Effect.Effect<boolean, PodmanError>
}

/**
 * The outcome of removing one container with `forceRemove`. An absent container counts as
 * removed; `error` says why a removal failed.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const leftovers = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.forceRemove(["a", "b"])).pipe(
 *   Effect.map((results) => results.filter((r) => !r.removed).map((r) => r.name))
 * )
 * ```
 *
 * @since 0.1.0
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
 * import { ContainerRuntime } from "effect-podman"
 *
 * const cdiDirs = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.host.cdiSpecDirs)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface HostInfo {
  /** The directories podman reads CDI specs from (`podman info` `.Host.CDISpecs`). */
  readonly cdiSpecDirs: Effect.Effect<Option.Option<ReadonlyArray<string>>, PodmanError>
  /** The network command of rootless containers, `pasta` or `slirp4netns` (`.Host.RootlessNetworkCmd`). */
  readonly rootlessNetworkCmd: Effect.Effect<Option.Option<string>, PodmanError>
}

/**
 * A container as a listing shows it: a handle, with its state, image, published ports and labels
 * when it was listed.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const webPorts = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.containers({ label: "tier=web" })).pipe(
 *   Effect.map((all) => all.filter((c) => c.state === "running").flatMap((c) => c.ports.map((p) => p.host)))
 * )
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ContainerListing {
  readonly container: Container
  readonly name: string
  readonly state: ContainerState
  /** The image it was created from, as podman names it. */
  readonly image: string
  readonly ports: ReadonlyArray<PublishedPort>
  readonly labels: Readonly<Record<string, string>>
}

export type {
  /** @since 0.3.0 */
  ContainerConfig,
  /** @since 0.3.0 */
  ContainerStats
} from "./Inspect.js"

export type {
  /** @since 0.3.0 */
  ExecOptions,
  /** @since 0.1.0 */
  ExecResult,
  /** @since 0.1.0 */
  ExecStdioOptions
} from "./Exec.js"

export type {
  /** @since 0.3.0 */
  LogEntry,
  /** @since 0.1.0 */
  LogsOptions
} from "./Logs.js"

export type {
  /** @since 0.1.0 */
  ContainerEvent,
  /** @since 0.1.0 */
  ContainerEventStatus
} from "./Events.js"
