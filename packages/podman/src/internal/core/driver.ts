/**
 * The small core that a backend implements; `internal/core/handles.ts` derives the whole
 * `ContainerRuntime` (handles, validation, batching) from it, so the live layer and the test
 * layer share everything but these primitives.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type { Duration, Stream } from "effect"
import type * as Argv from "effect-podman-shared/Argv"
import type {
  ContainerConfig,
  ContainerEvent,
  ContainerMount,
  ContainerRemoveResult,
  ContainerState,
  ContainerStats,
  ExecResult,
  ExecStdioOptions,
  HostInfo,
  LogEntry,
  LogsOptions
} from "../../ContainerRuntime.js"
import type { ContainerSpec, PublishedPort, Resolved } from "../../ContainerSpec.js"
import type { ImageProgress } from "../../Images.js"
import type { GpuConfigError, PodmanError } from "../../PodmanError.js"
import type { ResourceKind } from "../../Resource.js"
import type { MemoryFile } from "./archive.js"

/** @internal */
export interface ContainerInfo {
  readonly id: string
  readonly name: string
  readonly state: ContainerState
  readonly imageName: string
  readonly startedAt: Option.Option<Date>
  readonly mounts: ReadonlyArray<ContainerMount>
  readonly rwSize: Option.Option<number>
  readonly config: ContainerConfig
  /** Its log file, when podman writes one (`k8s-file`). */
  readonly logFile: Option.Option<string>
  /** The pid of its `conmon` (on this host, for a local podman), while it runs. */
  readonly conmonPid: Option.Option<number>
}

/** @internal */
export interface ContainerSummary {
  readonly name: string
  readonly state: ContainerState
  readonly rwSize: Option.Option<number>
  readonly labels: Readonly<Record<string, string>>
  readonly image: string
  readonly ports: ReadonlyArray<PublishedPort>
}

/** @internal */
export interface ImageSummary {
  /** `repository:tag` for a tagged image, the id for a dangling one. */
  readonly ref: string
  readonly id: string
  readonly repository: Option.Option<string>
  readonly tag: Option.Option<string>
  readonly size: Option.Option<number>
  readonly created: Option.Option<Date>
}

/** @internal */
export interface ImageInfo {
  readonly id: string
}

/** A network, volume or pod as a list shows it. @internal */
export interface ResourceSummary {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
}

/** What a resource is created with (`internal` for networks, `ports` for pods). @internal */
export interface ResourceSettings {
  readonly labels: Readonly<Record<string, string>>
  readonly internal: boolean
  readonly ports: ReadonlyArray<PublishedPort>
}

/** Networks, volumes and pods. @internal */
export interface ResourceDriver {
  readonly create: (kind: ResourceKind, name: string, settings: ResourceSettings) => Effect.Effect<void, PodmanError>
  /** Force-removes each (with the containers using it); absent counts as removed; never fails. */
  readonly remove: (
    kind: ResourceKind,
    names: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<ContainerRemoveResult>>
  /** Every resource of the kind carrying the label `key`. */
  readonly list: (kind: ResourceKind, key: string) => Effect.Effect<ReadonlyArray<ResourceSummary>, PodmanError>
}

/** What a build is given, checked (the context an absolute directory). @internal */
export type BuildSettings = Argv.BuildSettings

/** Pulling, pushing, building, tagging and pruning images. @internal */
export interface ImageDriver {
  /** The progress of a pull; the last element is `Done` with the image id. */
  readonly pull: (ref: string, tlsVerify: boolean) => Stream.Stream<ImageProgress, PodmanError>
  /** The progress of a push of `ref` to `destination`; the last element is `Done` with the image id. */
  readonly push: (ref: string, destination: string, tlsVerify: boolean) => Stream.Stream<ImageProgress, PodmanError>
  /** The progress of a build; the last element is `Done` with the image id. */
  readonly build: (settings: BuildSettings) => Stream.Stream<ImageProgress, PodmanError>
  readonly tag: (ref: string, target: string) => Effect.Effect<void, PodmanError>
  /** Removes dangling images; returns their ids. */
  readonly prune: Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** The manifest digest of a pulled or pushed image (`sha256:…`), none for one built here only. */
  readonly digest: (ref: string) => Effect.Effect<Option.Option<string>, PodmanError>
  /** The references of the images carrying the label `key` (or `key=value`). */
  readonly listLabeled: (label: string) => Effect.Effect<ReadonlyArray<ImageSummary>, PodmanError>
}

/** What `controlContainer` does: send a signal, freeze, thaw, or stop and start again. @internal */
export type ContainerControl = Argv.Control

/** How an `exec` runs, checked. @internal */
export interface ExecSettings {
  readonly timeout: Option.Option<Duration.Duration>
  readonly user: string | undefined
  readonly workdir: string | undefined
  readonly env: Readonly<Record<string, string>>
  readonly stdin: Uint8Array | undefined
}

/** @internal */
export interface Driver {
  /** Any podman command (the escape hatch), bounded by `timeout` or the layer's bound. */
  readonly podman: (
    args: ReadonlyArray<string>,
    timeout: Option.Option<Duration.Duration>
  ) => Effect.Effect<{ readonly stdout: string; readonly stderr: string }, PodmanError>
  /** One sample of a container's resource use. */
  readonly statsContainer: (name: string) => Effect.Effect<ContainerStats, PodmanError>
  /** `podman kill`, `pause`, `unpause`, `restart`. */
  readonly controlContainer: (name: string, control: ContainerControl) => Effect.Effect<void, PodmanError>
  /** Networks, volumes and pods. */
  readonly resources: ResourceDriver
  readonly images: ImageDriver
  /** The argv prefix of `loginCommand` (binary and global options). */
  readonly loginPrefix: ReadonlyArray<string>
  readonly inspectContainer: (
    name: string,
    options: { readonly size: boolean }
  ) => Effect.Effect<Option.Option<ContainerInfo>, PodmanError>
  /** The state alone (the CLI asks podman for the word, with no JSON to print and decode); none when absent. */
  readonly containerState: (name: string) => Effect.Effect<Option.Option<ContainerState>, PodmanError>
  readonly startContainer: (name: string) => Effect.Effect<void, PodmanError | GpuConfigError>
  readonly stopContainer: (name: string, timeoutSeconds: number) => Effect.Effect<void, PodmanError>
  readonly waitContainer: (
    name: string,
    timeout: Option.Option<Duration.Duration>
  ) => Effect.Effect<number, PodmanError>
  readonly copyIn: (name: string, src: string, dest: string) => Effect.Effect<void, PodmanError>
  /** Files from memory into the container (absolute paths; parents created). */
  readonly copyFilesIn: (name: string, files: ReadonlyArray<MemoryFile>) => Effect.Effect<void, PodmanError>
  /** The tar archive of a container path, as podman makes it (the path's base name first). */
  readonly archiveOut: (name: string, path: string) => Stream.Stream<Uint8Array, PodmanError>
  readonly listContainers: (
    prefix: string,
    options: { readonly size: boolean }
  ) => Effect.Effect<ReadonlyArray<ContainerSummary>, PodmanError>
  readonly listImages: (danglingOnly: boolean) => Effect.Effect<ReadonlyArray<ImageSummary>, PodmanError>
  readonly inspectImage: (ref: string) => Effect.Effect<Option.Option<ImageInfo>, PodmanError>
  /** `Config.Labels`; an absent image fails as podman does (`NonZeroExit`). */
  readonly imageLabels: (ref: string) => Effect.Effect<Readonly<Record<string, string>>, PodmanError>
  readonly imageHistory: (ref: string) => Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** Removes an image (`force`: with the containers using it); `false` when absent (or in use, unforced). */
  readonly removeImage: (ref: string, force: boolean) => Effect.Effect<boolean, PodmanError>
  readonly exec: (
    name: string,
    argv: ReadonlyArray<string>,
    settings: ExecSettings
  ) => Effect.Effect<ExecResult, PodmanError>
  /** Removes the given (validated, distinct) containers; one result per name, never fails. */
  readonly forceRemove: (names: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<ContainerRemoveResult>>
  readonly host: HostInfo
  /** `podman create` of a checked spec whose name, ports, init and labels are decided. */
  readonly create: (spec: ContainerSpec, resolved: Resolved) => Effect.Effect<void, PodmanError | GpuConfigError>
  /**
   * Creates and starts in one go (`podman run -d`: one process where `create` then `start` are
   * two); a start that fails leaves the container created, as `start` does.
   */
  readonly createStarted: (spec: ContainerSpec, resolved: Resolved) => Effect.Effect<void, PodmanError | GpuConfigError>
  /** Every container carrying the label `key` (or `key=value`). */
  readonly listLabeled: (key: string) => Effect.Effect<ReadonlyArray<ContainerSummary>, PodmanError>
  /** `podman healthcheck run`: whether the check passed. */
  readonly healthcheck: (name: string) => Effect.Effect<boolean, PodmanError>
  /** Log lines; the child (if any) lives as long as the stream. */
  readonly logs: (name: string, options: LogsOptions) => Stream.Stream<LogEntry, PodmanError>
  /** Lifecycle events of every container from `since` on (the runtime filters by name). */
  readonly events: (since: Date) => Stream.Stream<ContainerEvent, PodmanError>
  readonly execStdio: <E, R>(
    name: string,
    argv: ReadonlyArray<string>,
    options: ExecStdioOptions<E, R>
  ) => Effect.Effect<number, PodmanError | E, R>
}

/**
 * `createStarted` where the backend has no single call for it: `create`, then `start`.
 *
 * @internal
 */
export const createThenStart =
  (driver: Pick<Driver, "create" | "startContainer">): Driver["createStarted"] => (spec, resolved) =>
    Effect.zipRight(driver.create(spec, resolved), driver.startContainer(resolved.name))

/**
 * `containerState` where the backend's inspect is as cheap as it gets (the API, the model).
 *
 * @internal
 */
export const stateFromInspect = (inspectContainer: Driver["inspectContainer"]): Driver["containerState"] => (name) =>
  Effect.map(inspectContainer(name, { size: false }), Option.map((info) => info.state))
