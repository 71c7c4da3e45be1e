/**
 * The `ContainerRuntime` service: containers and images behind one typed interface.
 *
 * Three layers provide it: `Podman.layer` (the podman CLI), `PodmanApi.layer` (the libpod REST
 * API) and `TestRuntime.layer` (an in-memory model of podman). One contract suite, run on all
 * three, checks that they behave the same.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Array as Arr, Duration, Effect, Option, Scope, Stream } from "effect"
import type {
  Container,
  ContainerEvent,
  ContainerListing,
  ContainerRemoveResult,
  ContainerState,
  ExecOptions,
  ExecResult,
  ExecStdioOptions,
  HostInfo,
  Image,
  ManagedContainer
} from "./Container.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import type { BuildOptions, ImageProgress, TransferOptions } from "./Images.js"
import type { BuildFailed, GpuConfigError, InvalidArgument, PodmanError, SpecError, WaitFailed } from "./PodmanError.js"
import type { PortReservation } from "./PortReservation.js"
import type { ManagedPod, ManagedResource, NetworkOptions, PodOptions, VolumeOptions } from "./Resource.js"
import type { WaitStrategy } from "./Wait.js"

// the handles and results live in the leaf module `Container`; they stay reachable from here
export type {
  /** @since 0.1.0 */
  Container,
  /** @since 0.3.0 */
  ContainerConfig,
  /** @since 0.1.0 */
  ContainerEvent,
  /** @since 0.1.0 */
  ContainerEventStatus,
  /** @since 0.3.0 */
  ContainerListing,
  /** @since 0.1.0 */
  ContainerMount,
  /** @since 0.1.0 */
  ContainerRemoveResult,
  /** @since 0.2.0 */
  ContainerState,
  /** @since 0.3.0 */
  ContainerStats,
  /** @since 0.3.0 */
  ExecOptions,
  /** @since 0.1.0 */
  ExecResult,
  /** @since 0.1.0 */
  ExecStdioOptions,
  /** @since 0.1.0 */
  HostInfo,
  /** @since 0.1.0 */
  Image,
  /** @since 0.3.0 */
  LogEntry,
  /** @since 0.1.0 */
  LogsOptions,
  /** @since 0.1.0 */
  ManagedContainer
} from "./Container.js"

/**
 * Options of `ContainerRuntime.run`.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const options: ContainerRuntime.RunOptions = { wait: Wait.forLog(/ready/), deadline: "30 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** When the container counts as ready (default: as soon as it started). */
  readonly wait?: WaitStrategy | undefined
  /** One bound for the whole of create, start and wait. Default 60 seconds. */
  readonly deadline?: Duration.DurationInput | undefined
}

export declare namespace ContainerRuntime {
  /**
   * The service: what `yield* ContainerRuntime.ContainerRuntime` gives.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ContainerRuntime } from "effect-podman"
   *
   * const running = Effect.gen(function*() {
   *   const runtime = yield* ContainerRuntime.ContainerRuntime
   *   const states = yield* runtime.containerStates("myapp")
   *   return [...states].filter(([, state]) => state === "running").map(([name]) => name)
   * })
   * ```
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** A handle to the container named (or with id) `name`. */
    readonly container: (name: string) => Container
    /** A handle to the image `ref` (tag or id). */
    readonly image: (ref: string) => Image
    /**
     * The containers carrying a label (`key` or `key=value`), or named `namePrefix-…`: each with
     * its state, image, published ports and labels (one podman call).
     */
    readonly containers: (
      filter: { readonly label: string } | { readonly namePrefix: string }
    ) => Effect.Effect<ReadonlyArray<ContainerListing>, PodmanError>
    /** Handles for every container whose name starts with `prefix-` (one podman call). */
    readonly containersWithPrefix: (prefix: string) => Effect.Effect<ReadonlyArray<Container>, PodmanError>
    /**
     * Local images; `danglingOnly` narrows to untagged ones, `label` (`key` or `key=value`) to
     * those carrying it. One handle per tag.
     */
    readonly images: (
      options?: { readonly danglingOnly?: boolean | undefined; readonly label?: string | undefined }
    ) => Effect.Effect<ReadonlyArray<Image>, PodmanError>
    /**
     * Pulls `ref` (`tlsVerify: false` for a registry over HTTP). A failure is `NonZeroExit` with
     * reason `PullFailed`, its message saying why (manifest unknown, unauthorized, connection
     * refused…). `pullProgress` is the same pull as a `Stream` of what podman reports.
     */
    readonly pull: (ref: string, options?: TransferOptions) => Effect.Effect<Image, PodmanError>
    readonly pullProgress: (ref: string, options?: TransferOptions) => Stream.Stream<ImageProgress, PodmanError>
    /**
     * Pushes `ref` to `destination` (default: `ref` itself, whose name says the registry);
     * returns the manifest digest the registry stored. `pushProgress` streams the same push.
     */
    readonly push: (
      ref: string,
      destination?: string,
      options?: TransferOptions
    ) => Effect.Effect<Option.Option<string>, PodmanError>
    readonly pushProgress: (
      ref: string,
      destination?: string,
      options?: TransferOptions
    ) => Stream.Stream<ImageProgress, PodmanError>
    /**
     * Builds the directory `context` (its `Containerfile` unless `options.containerfile`), tagged
     * `options.tags`; returns a handle to the first tag (or the id). A failing step is
     * `BuildFailed` with the step and the output before it. `buildProgress` streams the steps.
     */
    readonly build: (context: string, options?: BuildOptions) => Effect.Effect<Image, PodmanError | BuildFailed>
    readonly buildProgress: (
      context: string,
      options?: BuildOptions
    ) => Stream.Stream<ImageProgress, PodmanError | BuildFailed>
    /** Adds the name `target` to the image `ref` (`podman tag`); returns a handle to it. */
    readonly tagImage: (ref: string, target: string) => Effect.Effect<Image, PodmanError>
    /**
     * Removes an image: `false` when it is absent, or used by a container and not `force`d
     * (`force` removes those containers too).
     */
    readonly removeImage: (
      ref: string,
      options?: { readonly force?: boolean | undefined }
    ) => Effect.Effect<boolean, PodmanError>
    /**
     * The escape hatch: any podman command, for what this library does not cover yet — with the
     * same checks (no NUL, no oversized argument), bound (`timeout`, else the layer's), redaction,
     * span and typed errors as every other call. A non-zero exit is a `NonZeroExit`. The REST
     * layer runs it through podman-remote against its service; the test layer cannot (a defect).
     * A bound that passes kills the podman client: what the command started (a `podman run`'s
     * container, say) is podman's, and stays.
     */
    readonly podman: (
      args: Arr.NonEmptyReadonlyArray<string>,
      options?: { readonly timeout?: Duration.DurationInput | undefined }
    ) => Effect.Effect<{ readonly stdout: string; readonly stderr: string }, PodmanError>
    /** Removes dangling (untagged, unused) images; returns their ids. */
    readonly pruneImages: Effect.Effect<ReadonlyArray<string>, PodmanError>
    /**
     * Runs `argv` inside a running container. The command's own exit code is in the result; podman
     * failing to run it at all (no such container, not running) is a `NonZeroExit`.
     */
    readonly exec: (
      container: Container | string,
      argv: Arr.NonEmptyReadonlyArray<string>,
      options?: ExecOptions
    ) => Effect.Effect<ExecResult, PodmanError>
    /**
     * Force-removes containers with as few podman calls as possible, and never fails: one result
     * per container, in order; an absent container counts as removed.
     */
    readonly forceRemove: (
      containers: Iterable<Container | string>
    ) => Effect.Effect<ReadonlyArray<ContainerRemoveResult>>
    /**
     * Bridges byte streams to `argv` run inside a container (`podman exec -i`): stdin is pumped in
     * with backpressure and its end closes the command's stdin; stdout and stderr are drained
     * completely before the exit code is returned. A non-zero exit code is a result.
     */
    readonly execStdio: <E = never, R = never>(
      container: Container | string,
      argv: Arr.NonEmptyReadonlyArray<string>,
      options: ExecStdioOptions<E, R>
    ) => Effect.Effect<number, PodmanError | E, R>
    /**
     * Lifecycle events (create, init, start, died, stop, kill, remove, pause, unpause) of the
     * containers named `prefix-…`, from the moment the stream starts (or from `since`: podman keeps
     * an event log, so events between `since` and the start are replayed first), until it is
     * interrupted. Lines podman prints that are not lifecycle events, or not JSON, are skipped.
     * When podman rotates its event log, its own reader stops; this stream goes on from the last
     * event it delivered, each event once.
     */
    readonly events: (
      prefix: string,
      options?: { readonly since?: Date | undefined }
    ) => Stream.Stream<ContainerEvent, PodmanError>
    /**
     * Reserves a free TCP port on `host` (default `127.0.0.1`) by binding it, and holds it until the
     * scope closes. A host that cannot be bound is an `InvalidArgument`.
     */
    readonly reservePort: (host?: string) => Effect.Effect<PortReservation, InvalidArgument, Scope.Scope>
    /** What podman reports about its host. */
    readonly host: HostInfo
    /**
     * Creates a container from a spec, checked before podman runs (`SpecError`). It is
     * force-removed when the scope closes — on success, failure or interruption — and carries the
     * session labels `sweep` reads. Host ports missing from the spec are reserved free ports.
     */
    readonly create: (
      spec: ContainerSpecInput
    ) => Effect.Effect<ManagedContainer, PodmanError | GpuConfigError | SpecError, Scope.Scope>
    /**
     * `create`, then start, then the wait strategy — all under one deadline (default 60 s). A wait
     * that fails or a deadline that passes is a `WaitFailed` carrying the last 50 log lines; the
     * container is removed at once then, and in any case when the scope closes.
     */
    readonly run: (
      spec: ContainerSpecInput,
      options?: RunOptions
    ) => Effect.Effect<ManagedContainer, PodmanError | GpuConfigError | SpecError | WaitFailed, Scope.Scope>
    /**
     * Removes the containers that `create`/`run` made in sessions whose process is gone (a test
     * run that crashed or was killed), then such sessions' pods, networks and volumes, leaving live
     * sessions' alone. Returns the names of what it removed.
     */
    readonly sweep: Effect.Effect<ReadonlyArray<string>, PodmanError>
    /**
     * Creates a network (`internal`: no route out), removed — with any container still on it —
     * when the scope closes. Specs join it by `network: net.name`, with `networkAliases` other
     * containers on it resolve.
     */
    readonly network: (
      options?: NetworkOptions
    ) => Effect.Effect<ManagedResource<"network">, PodmanError | SpecError, Scope.Scope>
    /**
     * Creates a named volume, removed (with any container still using it) when the scope closes.
     * Mount it with `{ type: "volume", source: volume.name, target }`; what one container writes
     * there the next one reads.
     */
    readonly volume: (
      options?: VolumeOptions
    ) => Effect.Effect<ManagedResource<"volume">, PodmanError | SpecError, Scope.Scope>
    /**
     * Creates a pod with its published ports (free host ports for mappings without one), removed
     * with its containers when the scope closes. Its containers (`pod: pod.name`) share
     * `localhost`.
     */
    readonly pod: (options?: PodOptions) => Effect.Effect<ManagedPod, PodmanError | SpecError, Scope.Scope>
    /** `name → state` for the containers named `prefix-…` (one podman call). */
    readonly containerStates: (prefix: string) => Effect.Effect<ReadonlyMap<string, ContainerState>, PodmanError>
    /** `name → writable-layer bytes` for the containers named `prefix-…` (one `podman ps --size`). */
    readonly containerRwSizes: (prefix: string) => Effect.Effect<ReadonlyMap<string, number>, PodmanError>
  }
}

/**
 * The service tag.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { ContainerRuntime, Podman } from "effect-podman"
 *
 * const program = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   return yield* runtime.containerStates("myapp")
 * }).pipe(Effect.provide(Podman.layer()), Effect.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ContainerRuntime extends Context.Tag("effect-podman/ContainerRuntime")<
  ContainerRuntime,
  ContainerRuntime.Service
>() {}
