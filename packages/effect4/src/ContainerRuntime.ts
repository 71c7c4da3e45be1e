/**
 * The service: podman operations as Effects whose errors are exact, containers as scoped
 * resources, logs as a `Stream` — for Effect 4. Three layers provide it: the podman CLI
 * (`Podman.layer`), the libpod REST API (`PodmanApi.layer`, `PodmanApi.layerService`) and an
 * in-memory model of podman for unit tests (`TestRuntime.layer`); one contract suite runs on all
 * three.
 *
 * @since 0.4.0
 */
import { Context } from "effect"
import type { Duration, Effect, Option, Scope, Stream } from "effect"
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
  ManagedContainer
} from "./Container.js"
import type { BuildFailed, GpuConfigError, SpecError, WaitFailed } from "./ContainerError.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import type * as Images from "./Images.js"
import type { InvalidArgument, PodmanError } from "./PodmanError.js"
import type * as PortReservation from "./PortReservation.js"
import type { ManagedPod, ManagedResource, NetworkOptions, PodOptions, VolumeOptions } from "./Resource.js"
import type { WaitStrategy } from "./Wait.js"

// the handles and results live in the leaf module `Container`; they stay reachable from here
export type {
  /** @since 0.4.0 */
  Container,
  /** @since 0.4.0 */
  ContainerConfig,
  /** @since 0.4.0 */
  ContainerEvent,
  /** @since 0.4.0 */
  ContainerEventStatus,
  /** @since 0.4.0 */
  ContainerListing,
  /** @since 0.4.0 */
  ContainerMount,
  /** @since 0.4.0 */
  ContainerRemoveResult,
  /** @since 0.4.0 */
  ContainerState,
  /** @since 0.4.0 */
  ContainerStats,
  /** @since 0.4.0 */
  ExecOptions,
  /** @since 0.4.0 */
  ExecResult,
  /** @since 0.4.0 */
  ExecStdioOptions,
  /** @since 0.4.0 */
  HostInfo,
  /** @since 0.4.0 */
  Image,
  /** @since 0.4.0 */
  LogEntry,
  /** @since 0.4.0 */
  LogsOptions,
  /** @since 0.4.0 */
  ManagedContainer
} from "./Container.js"

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
  readonly events: (
    prefix: string,
    options?: { readonly since?: Date | undefined }
  ) => Stream.Stream<ContainerEvent, PodmanError>
  /**
   * What podman says of its host: its CDI spec folders (podman 5+ reports them; none on 4.3) and
   * its rootless network command (none for root).
   */
  readonly host: HostInfo
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
  readonly pull: (ref: string, options?: Images.TransferOptions) => Effect.Effect<Images.Image, PodmanError>
  /** The same pull, as a stream of what podman reports (`Done` last, with the image's id). */
  readonly pullProgress: (
    ref: string,
    options?: Images.TransferOptions
  ) => Stream.Stream<Images.ImageProgress, PodmanError>
  /**
   * Pushes `ref` to `destination` (default: `ref` itself, whose name says the registry): the
   * manifest digest podman then holds for it, when it holds one.
   */
  readonly push: (
    ref: string,
    destination?: string,
    options?: Images.TransferOptions
  ) => Effect.Effect<Option.Option<string>, PodmanError>
  /** The same push, as a stream of what podman reports (`Done` last, with the image's id). */
  readonly pushProgress: (
    ref: string,
    destination?: string,
    options?: Images.TransferOptions
  ) => Stream.Stream<Images.ImageProgress, PodmanError>
  /**
   * Builds the folder `context` (its `Containerfile` unless `containerfile`): a handle on the image
   * (by its first tag, else its id). A failed step is `BuildFailed`.
   */
  readonly build: (
    context: string,
    options?: Images.BuildOptions
  ) => Effect.Effect<Images.Image, PodmanError | BuildFailed>
  /** The same build, as a stream of its steps and their output (`Done` last, with the image's id). */
  readonly buildProgress: (
    context: string,
    options?: Images.BuildOptions
  ) => Stream.Stream<Images.ImageProgress, PodmanError | BuildFailed>
  /** Adds the name `target` to the image `ref`: a handle on `target`. */
  readonly tagImage: (ref: string, target: string) => Effect.Effect<Images.Image, PodmanError>
  /**
   * Removes an image: `false` when it is absent, or used by a container and not `force`d (`force`
   * removes those containers too).
   */
  readonly removeImage: (
    ref: string,
    options?: { readonly force?: boolean | undefined }
  ) => Effect.Effect<boolean, PodmanError>
  /** Removes dangling images (untagged and unused): their ids. */
  readonly pruneImages: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /**
   * The local images, or those carrying a label (`key` or `key=value`), or only the dangling ones
   * (untagged): one entry per name.
   */
  readonly images: (
    options?: { readonly label?: string | undefined; readonly danglingOnly?: boolean | undefined }
  ) => Effect.Effect<ReadonlyArray<Images.ImageListing>, PodmanError>
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
  /**
   * Removes containers (handles or names), running or not, at once (no stop grace period). It never
   * fails: one result per container given, in order — an absent one counts as removed, a name
   * podman would misread is not removed and says why. Each failed removal is logged at debug.
   */
  readonly forceRemove: (
    containers: Iterable<Container | string>
  ) => Effect.Effect<ReadonlyArray<ContainerRemoveResult>>
  /** Runs `argv` in a container (a handle or a name): `container(name).exec`. */
  readonly exec: (
    container: Container | string,
    argv: ReadonlyArray<string>,
    options?: ExecOptions
  ) => Effect.Effect<ExecResult, PodmanError>
  /**
   * Creates a network (`internal`: no route out), removed — with any container still on it — when
   * the scope closes. Specs join it by `network: net.name`; containers on it reach each other by
   * name and by `networkAliases`.
   */
  readonly network: (
    options?: NetworkOptions
  ) => Effect.Effect<ManagedResource<"network">, PodmanError | SpecError, Scope.Scope>
  /**
   * Creates a named volume, removed (with any container still using it) when the scope closes.
   * Mount it with `{ type: "volume", source: volume.name, target }`: what one container writes
   * there the next one reads.
   */
  readonly volume: (
    options?: VolumeOptions
  ) => Effect.Effect<ManagedResource<"volume">, PodmanError | SpecError, Scope.Scope>
  /**
   * Creates a pod with its published ports (a free host port for a mapping without one), removed
   * with its containers when the scope closes. Its containers (`pod: pod.name`) share `localhost`.
   */
  readonly pod: (options?: PodOptions) => Effect.Effect<ManagedPod, PodmanError | SpecError, Scope.Scope>
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
export class ContainerRuntime
  extends Context.Service<ContainerRuntime, Service>()("effect-podman-4/ContainerRuntime")
{}
