/**
 * What a backend of the Effect 4 edition does — the CLI (`cli.ts`) or the libpod API (`api.ts`) —
 * below the lifecycle every backend shares (`runtime.ts`).
 *
 * @internal
 */
import { Duration, Effect, Option, Schema } from "effect"
import type { Stream } from "effect"
import type { Redacted } from "effect"
import type * as Archive from "effect-podman-shared/Archive"
import * as Argv from "effect-podman-shared/Argv"
import type * as Events from "effect-podman-shared/Events"
import { cliOperation } from "effect-podman-shared/Failures"
import type * as LogFile from "effect-podman-shared/LogFile"
import * as PodmanJson from "effect-podman-shared/PodmanJson"
import type * as Progress from "effect-podman-shared/Progress"
import type { CreateSpec, PublishedPort, Resolved } from "effect-podman-shared/Spec"
import type { ExecResult, ExecStdioOptions } from "../../ContainerRuntime.js"
import { Timeout } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"

/** What the lifecycle needs of an inspect. @internal */
export interface Inspected {
  readonly status: string
  readonly conmonPid: number
  /** The `k8s-file` log's path, when podman writes one. */
  readonly logPath: string | undefined
  /** Its limits and settings. */
  readonly settings: PodmanJson.ContainerSettings
  readonly id: string
  /** The image it was created from, as podman names it. */
  readonly imageName: string
  /** When it last started; undefined when never. */
  readonly startedAt: Date | undefined
  readonly mounts: ReadonlyArray<
    { readonly type: string; readonly source: string; readonly destination: string; readonly rw: boolean }
  >
}

/** The part of podman's inspect object (CLI and API print the same) the lifecycle reads. @internal */
const orNull = <S extends Schema.Top>(schema: S) => Schema.optional(Schema.NullOr(schema))

export const Inspected = Schema.Struct({
  Id: Schema.optional(Schema.String),
  ImageName: Schema.optional(Schema.String),
  Mounts: orNull(Schema.Array(Schema.Struct({
    Type: Schema.String,
    Name: Schema.optional(Schema.String),
    Source: Schema.String,
    Destination: Schema.String,
    RW: Schema.Boolean
  }))),
  State: Schema.Struct({
    Status: Schema.String,
    ConmonPid: Schema.optional(Schema.Number),
    StartedAt: Schema.optional(Schema.String)
  }),
  Config: Schema.optional(Schema.Struct({ Hostname: Schema.optional(Schema.String) })),
  HostConfig: Schema.optional(Schema.Struct({
    LogConfig: Schema.optional(
      Schema.Struct({ Type: Schema.optional(Schema.String), Path: Schema.optional(Schema.String) })
    ),
    Memory: Schema.optional(Schema.Number),
    NanoCpus: Schema.optional(Schema.Number),
    PidsLimit: orNull(Schema.Number),
    RestartPolicy: orNull(Schema.Struct({ Name: Schema.String, MaximumRetryCount: Schema.optional(Schema.Number) })),
    ReadonlyRootfs: Schema.optional(Schema.Boolean),
    CapAdd: orNull(Schema.Array(Schema.String)),
    CapDrop: orNull(Schema.Array(Schema.String)),
    ExtraHosts: orNull(Schema.Array(Schema.String)),
    Ulimits: orNull(Schema.Array(Schema.Struct({ Name: Schema.String, Soft: Schema.Number, Hard: Schema.Number }))),
    ShmSize: Schema.optional(Schema.Number)
  }))
})

/** @internal */
export const toInspected = (raw: typeof Inspected.Type): Inspected => ({
  status: raw.State.Status,
  conmonPid: raw.State.ConmonPid ?? 0,
  logPath: raw.HostConfig?.LogConfig?.Type === "k8s-file" && raw.HostConfig.LogConfig.Path !== ""
    ? raw.HostConfig.LogConfig.Path
    : undefined,
  settings: PodmanJson.toContainerSettings(raw.Config?.Hostname ?? "", raw.HostConfig ?? {}),
  id: raw.Id ?? "",
  imageName: raw.ImageName ?? "",
  startedAt: PodmanJson.toDate(raw.State.StartedAt),
  // a volume by its name (its Source is podman's storage path); tmpfs mounts are not listed
  mounts: (raw.Mounts ?? []).map(PodmanJson.toMount)
})

/** A container of a listing. @internal */
export interface Listing {
  readonly name: string
  readonly state: PodmanJson.ContainerState
  readonly image: string
  readonly ports: ReadonlyArray<PublishedPort>
  readonly labels: Readonly<Record<string, string>>
}

/** Which containers a listing holds: those carrying a label (`key` or `key=value`), or named `prefix-…`. @internal */
export type ListFilter = { readonly label: string } | { readonly namePrefix: string }

/** `podman ps --all --format json`, or the API's list (the same shape). @internal */
export const Listed = Schema.Array(Schema.Struct({
  Names: Schema.Array(Schema.String),
  State: Schema.String,
  Image: Schema.optional(Schema.String),
  Labels: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.String))),
  Ports: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({
    host_ip: Schema.optional(Schema.String),
    container_port: Schema.Number,
    host_port: Schema.Number,
    range: Schema.optional(Schema.Number),
    protocol: Schema.optional(Schema.String)
  }))))
}))

/** @internal */
export const toListings = (listed: typeof Listed.Type): ReadonlyArray<Listing> =>
  listed.flatMap((entry) =>
    entry.Names.map((name) => ({
      name,
      state: PodmanJson.toContainerState(entry.State),
      image: entry.Image ?? "",
      ports: PodmanJson.toPublishedPorts(entry.Ports ?? []),
      labels: entry.Labels ?? {}
    }))
  )

/** A network, volume or pod of a listing: its name and labels. @internal */
export interface LabeledResource {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
}

/** `podman network ls` / `volume ls` / `pod ps` as JSON (networks say `name`, the others `Name`). @internal */
export const ResourcesListed = Schema.Array(Schema.Struct({
  name: Schema.optional(Schema.String),
  Name: Schema.optional(Schema.String),
  labels: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.String))),
  Labels: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.String)))
}))

/** @internal */
export const toLabeledResources = (listed: typeof ResourcesListed.Type): ReadonlyArray<LabeledResource> =>
  listed.map((r) => ({ name: r.name ?? r.Name ?? "", labels: r.labels ?? r.Labels ?? {} }))

/** Networks, volumes and pods. @internal */
export interface Resources {
  readonly create: (
    kind: Argv.ResourceKind,
    name: string,
    settings: Argv.ResourceSettings
  ) => Effect.Effect<void, PodmanError>
  /** Removes each with whatever uses it; an absent one counts as removed. */
  readonly remove: (kind: Argv.ResourceKind, names: ReadonlyArray<string>) => Effect.Effect<void, PodmanError>
  /** Those carrying the label `key`. */
  readonly list: (kind: Argv.ResourceKind, key: string) => Effect.Effect<ReadonlyArray<LabeledResource>, PodmanError>
}

/** An exec's bound, user, directory, environment and stdin (bytes). @internal */
export interface ExecSettings {
  readonly timeout?: Duration.Input | undefined
  readonly user?: string | undefined
  readonly workdir?: string | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly stdin?: Uint8Array | undefined
}

/** A caller's bound on a podman command (`argv` without the binary): `Timeout` `CallerBound` naming it. @internal */
export const within =
  (timeout: Duration.Input | undefined, argv: ReadonlyArray<string>) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    timeout === undefined
      ? effect
      : Effect.timeoutOrElse(effect, {
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new Timeout({
              argv: ["podman", ...argv],
              timeoutMillis: Duration.toMillis(Duration.fromInputUnsafe(timeout)),
              reason: { _tag: "CallerBound" },
              operation: cliOperation(argv)
            })
          )
      })

/** A local image of a listing. @internal */
export interface ImageListed {
  readonly ref: string
  readonly id: string
  readonly size: number
  /** When it was made, in seconds since the epoch. */
  readonly created: number
}

/** `podman images --format json`, or the API's list (the same shape). @internal */
export const ImagesListed = Schema.Array(Schema.Struct({
  Id: Schema.String,
  Names: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  Size: Schema.Number,
  Created: Schema.Number
}))

/** One entry per name; an untagged image once, by its id (podman lists an image once per name, each entry with all its names). @internal */
export const toImagesListed = (listed: typeof ImagesListed.Type): ReadonlyArray<ImageListed> =>
  listed.filter((image, i) => listed.findIndex((other) => other.Id === image.Id) === i).flatMap((image) => {
    const names = image.Names ?? []
    return (names.length === 0 ? [image.Id] : names).map((ref) => ({
      ref,
      id: image.Id,
      size: image.Size,
      created: image.Created
    }))
  })

/** The writable layer's size of an inspect made with `--size` (`?size=true`). @internal */
export const SizeRw = Schema.Struct({ SizeRw: Schema.optional(Schema.Number) })

/** One sample as podman prints it (`podman stats`, the API's `Stats`). @internal */
export const StatsEntry = Schema.Struct({
  CPU: Schema.Number,
  MemUsage: Schema.Number,
  MemLimit: Schema.Number,
  NetInput: Schema.Number,
  NetOutput: Schema.Number,
  BlockInput: Schema.Number,
  BlockOutput: Schema.Number,
  PIDs: Schema.Number
})

/** A log's options, checked: follow it, its last `tail` lines, the lines since `since`. @internal */
export interface LogOptions {
  readonly follow: boolean
  readonly tail?: number | undefined
  readonly since?: Date | undefined
}

/** `podman logs`' argv for a container's log. @internal */
export const logsArgs = (name: string, options: LogOptions): Array<string> => [
  "logs",
  ...(options.follow ? ["--follow"] : []),
  ...(options.tail === undefined ? [] : ["--tail", String(options.tail)]),
  ...(options.since === undefined ? [] : ["--since", options.since.toISOString()]),
  name
]

/** A pull, push or build, checked. @internal */
export type ImageRequest =
  | { readonly _tag: "Pull"; readonly ref: string; readonly tlsVerify: boolean }
  | { readonly _tag: "Push"; readonly ref: string; readonly destination: string; readonly tlsVerify: boolean }
  | { readonly _tag: "Build"; readonly settings: Argv.BuildSettings }

/** podman's argv for a pull, push or build. @internal */
export const imageRequestArgs = (request: ImageRequest): Array<string> =>
  request._tag === "Pull"
    ? Argv.imageArgs.pull(request.ref, request.tlsVerify)
    : request._tag === "Push"
    ? Argv.imageArgs.push(request.ref, request.destination, request.tlsVerify)
    : Argv.imageArgs.build(request.settings)

/** Images. @internal */
export interface ImageOps {
  /** What podman reports while it pulls, pushes or builds, `Done` last with the image's id. */
  readonly progress: (request: ImageRequest) => Stream.Stream<Progress.ImageProgress, PodmanError>
  /** Removes dangling images: their ids. */
  readonly prune: Effect.Effect<ReadonlyArray<string>, PodmanError>
  readonly pull: (ref: string, tlsVerify: boolean) => Effect.Effect<void, PodmanError>
  readonly push: (ref: string, destination: string, tlsVerify: boolean) => Effect.Effect<void, PodmanError>
  readonly tag: (ref: string, target: string) => Effect.Effect<void, PodmanError>
  /** False when absent, or in use and not forced. */
  readonly remove: (ref: string, force: boolean) => Effect.Effect<boolean, PodmanError>
  readonly list: (label: string | undefined) => Effect.Effect<ReadonlyArray<ImageListed>, PodmanError>
  /** Its id, labels and digest; none when absent. */
  readonly inspect: (ref: string) => Effect.Effect<Option.Option<ImageInspected>, PodmanError>
  /** The `CreatedBy` of each step, newest first. */
  readonly history: (ref: string) => Effect.Effect<ReadonlyArray<string>, PodmanError>
  /** Its labels; an absent image is podman's refusal. */
  readonly labels: (ref: string) => Effect.Effect<Readonly<Record<string, string>>, PodmanError>
}

/** What an image inspect tells. @internal */
export interface ImageInspected {
  readonly id: string
  readonly labels: Readonly<Record<string, string>>
  readonly digest: string | undefined
}

/** `podman image inspect` (an array of one). @internal */
export const ImageInspectedJson = Schema.Array(Schema.Struct({
  Id: Schema.String,
  Digest: Schema.optional(Schema.String),
  Labels: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.String)))
}))

/** `podman image history --format json`. @internal */
export const HistoryJson = Schema.Array(Schema.Struct({ CreatedBy: Schema.optional(Schema.String) }))

/** What podman says of its host: its CDI spec folders (podman 5+), its rootless network command. @internal */
export interface HostFacts {
  readonly cdiSpecDirs: Effect.Effect<Option.Option<ReadonlyArray<string>>, PodmanError>
  readonly rootlessNetworkCmd: Effect.Effect<Option.Option<string>, PodmanError>
}

/** A signal, a pause, its end, or a restart. @internal */
export type Control = Argv.Control

/** @internal */
export interface Driver {
  readonly inspect: (name: string) => Effect.Effect<Option.Option<Inspected>, PodmanError>
  /** Its state alone (the CLI asks for that one field); none when absent. */
  readonly state: (name: string) => Effect.Effect<Option.Option<PodmanJson.ContainerState>, PodmanError>
  readonly start: (name: string) => Effect.Effect<void, PodmanError>
  readonly stop: (name: string, seconds: number) => Effect.Effect<void, PodmanError>
  readonly control: (name: string, control: Control) => Effect.Effect<void, PodmanError>
  /** Its writable layer's size in bytes; none when absent. */
  readonly rwSize: (name: string) => Effect.Effect<Option.Option<number>, PodmanError>
  /** The podman command line a person runs (binary and global options), for `loginCommand`. */
  readonly loginPrefix: ReadonlyArray<string>
  /** A sample of its resource use. */
  readonly stats: (name: string) => Effect.Effect<PodmanJson.ContainerStats, PodmanError>
  /** Runs its health check once: true when it passes. */
  readonly healthcheck: (name: string) => Effect.Effect<boolean, PodmanError>
  /** Unbounded unless `timeout`. */
  readonly wait: (name: string, timeout: Duration.Input | undefined) => Effect.Effect<number, PodmanError>
  /** Unbounded unless `timeout`. */
  readonly exec: (
    name: string,
    argv: ReadonlyArray<string>,
    options: ExecSettings
  ) => Effect.Effect<ExecResult, PodmanError>
  /** `exec --interactive` with byte streams: the command's exit code. Unbounded unless `timeout`. */
  readonly execStdio: <E, R>(
    name: string,
    argv: ReadonlyArray<string>,
    options: ExecStdioOptions<E, R>
  ) => Effect.Effect<number, PodmanError | E, R>
  /** Copies a host path (absolute) into the container, as `podman cp` does. */
  readonly copyIn: (name: string, src: string, dest: string) => Effect.Effect<void, PodmanError>
  /** Writes files from memory into the container (parents made, files replaced). */
  readonly copyFilesIn: (name: string, files: ReadonlyArray<Archive.MemoryFile>) => Effect.Effect<void, PodmanError>
  /** A container path as a tar archive, as podman makes it (the path's base name first). */
  readonly archiveOut: (name: string, path: string) => Stream.Stream<Uint8Array, PodmanError>
  /** podman's own log entries, for what the log file cannot serve. */
  readonly logs: (name: string, options: LogOptions) => Stream.Stream<LogFile.LogEntry, PodmanError>
  /** Every container lifecycle event from `since` on, until podman's reader stops (a log rotation). */
  readonly events: (since: Date) => Stream.Stream<Events.ContainerEvent, PodmanError>
  /** The containers a filter selects, running or not. */
  readonly list: (filter: ListFilter) => Effect.Effect<ReadonlyArray<Listing>, PodmanError>
  /** Removes, running or not; an absent one counts as removed. */
  readonly remove: (names: ReadonlyArray<string>) => Effect.Effect<void, PodmanError>
  readonly resources: Resources
  readonly images: ImageOps
  /** What podman says of its host. */
  readonly host: HostFacts
  /** Any podman command: its output (a non-zero exit fails). */
  readonly podman: (
    args: ReadonlyArray<string>,
    timeout: Duration.Input | undefined
  ) => Effect.Effect<{ readonly stdout: string; readonly stderr: string }, PodmanError>
  /** Creates (and, `started`, starts) a checked spec under its resolved name. */
  readonly create: (
    spec: CreateSpec<Redacted.Redacted<string>>,
    resolved: Resolved,
    started: boolean
  ) => Effect.Effect<void, PodmanError>
}

/**
 * `state` where the backend's inspect is as cheap as it gets (the API, the model).
 *
 * @internal
 */
export const stateFromInspect = (inspect: Driver["inspect"]): Driver["state"] => (name) =>
  Effect.map(inspect(name), Option.map((info) => PodmanJson.toContainerState(info.status)))
