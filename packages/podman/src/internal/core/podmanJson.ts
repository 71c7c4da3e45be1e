/**
 * Schemas of the JSON podman prints (`inspect`, `ps`, `images`, `image history`), decoded into
 * the driver's models.
 *
 * @internal
 */
import { Effect, Option, ParseResult, Schema } from "effect"
import * as SharedEvents from "effect-podman-shared/Events"
import * as Failures from "effect-podman-shared/Failures"
import * as SharedJson from "effect-podman-shared/PodmanJson"
import { toContainerState } from "effect-podman-shared/PodmanJson"
import type { ContainerConfig, ContainerEvent, ContainerStats } from "../../ContainerRuntime.js"
import { parseHumanSize } from "../../HumanSize.js"
import { NonZeroExit } from "../../PodmanError.js"
import { redactEnvArgs } from "../../Redact.js"
import type { Output } from "../cli/runner.js"
import type { ContainerInfo, ContainerSummary, ImageInfo, ImageSummary } from "./driver.js"

/** podman's zero time (`0001-01-01T00:00:00Z`) and unparsable dates are `none`. */
const optionalDate = (text: string): Option.Option<Date> => {
  const date = new Date(text)
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1 ? Option.none() : Option.some(date)
}

const Mount = Schema.Struct({
  Type: Schema.String,
  Name: Schema.optional(Schema.String),
  Source: Schema.String,
  Destination: Schema.String,
  RW: Schema.Boolean
})

const orEmpty = <A, I>(schema: Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>>) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** The part of `HostConfig` that `Container.config` reports. */
const HostConfig = Schema.Struct({
  Memory: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  NanoCpus: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  PidsLimit: Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => null }),
  RestartPolicy: Schema.optionalWith(
    Schema.NullOr(
      Schema.Struct({
        Name: Schema.String,
        MaximumRetryCount: Schema.optionalWith(Schema.Number, { default: () => 0 })
      })
    ),
    { default: () => null }
  ),
  ReadonlyRootfs: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  CapAdd: orEmpty(Schema.Array(Schema.String)),
  CapDrop: orEmpty(Schema.Array(Schema.String)),
  ExtraHosts: orEmpty(Schema.Array(Schema.String)),
  Ulimits: orEmpty(Schema.Array(Schema.Struct({ Name: Schema.String, Soft: Schema.Number, Hard: Schema.Number }))),
  ShmSize: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  LogConfig: Schema.optionalWith(
    Schema.NullOr(
      Schema.Struct({
        Type: Schema.optionalWith(Schema.String, { default: () => "" }),
        Path: Schema.optionalWith(Schema.String, { default: () => "" })
      })
    ),
    { default: () => null }
  )
})

/** A container's limits and settings from its `HostConfig` (`effect-podman-shared/PodmanJson`). @internal */
export const toContainerConfig = (hostname: string, host: typeof HostConfig.Type): ContainerConfig =>
  withOptions(SharedJson.toContainerSettings(hostname, host))

/** Settings with `Option`s for what may be unset. @internal */
export const withOptions = (settings: SharedJson.ContainerSettings): ContainerConfig => ({
  ...settings,
  memory: Option.fromNullable(settings.memory),
  cpus: Option.fromNullable(settings.cpus),
  pidsLimit: Option.fromNullable(settings.pidsLimit)
})

const ContainerInspect = Schema.Struct({
  Id: Schema.String,
  Name: Schema.String,
  ImageName: Schema.String,
  State: Schema.Struct({
    Status: Schema.String,
    StartedAt: Schema.String,
    ConmonPid: Schema.optionalWith(Schema.Number, { default: () => 0 })
  }),
  Mounts: Schema.optionalWith(Schema.NullOr(Schema.Array(Mount)), { default: () => null }),
  SizeRw: Schema.optional(Schema.Number),
  Config: Schema.optionalWith(Schema.Struct({ Hostname: Schema.optionalWith(Schema.String, { default: () => "" }) }), {
    default: () => ({ Hostname: "" })
  }),
  HostConfig: Schema.optionalWith(HostConfig, { default: () => Schema.decodeSync(HostConfig)({}) })
})

/** `podman container inspect [--size] NAME` @internal */
export const ContainerInspectJson = Schema.parseJson(Schema.Array(ContainerInspect))

/** `GET /containers/NAME/json` of the libpod API: the same object, not in an array. @internal */
export const ContainerInspectOneJson = Schema.parseJson(ContainerInspect)

/** @internal */
export const toContainerInfo = (raw: typeof ContainerInspect.Type): ContainerInfo => ({
  id: raw.Id,
  name: raw.Name,
  state: toContainerState(raw.State.Status),
  imageName: raw.ImageName,
  startedAt: optionalDate(raw.State.StartedAt),
  mounts: (raw.Mounts ?? []).map(SharedJson.toMount),
  rwSize: Option.fromNullable(raw.SizeRw),
  config: toContainerConfig(raw.Config.Hostname, raw.HostConfig),
  conmonPid: raw.State.ConmonPid > 0 ? Option.some(raw.State.ConmonPid) : Option.none(),
  logFile: raw.HostConfig.LogConfig?.Type === "k8s-file" && raw.HostConfig.LogConfig.Path !== ""
    ? Option.some(raw.HostConfig.LogConfig.Path)
    : Option.none()
})

/** `Size` of `podman ps --size --format json`: an object on podman 4, a human string on some builds. */
const PsSize = Schema.Union(
  Schema.transform(Schema.Struct({ rwSize: Schema.Number }), Schema.OptionFromSelf(Schema.Number), {
    strict: false,
    decode: (size) => Option.some(size.rwSize),
    encode: (size) => ({ rwSize: Option.getOrElse(size, () => 0) })
  }),
  Schema.transform(Schema.String, Schema.OptionFromSelf(Schema.Number), {
    strict: true,
    decode: parseHumanSize,
    encode: (size) => Option.match(size, { onNone: () => "", onSome: (n) => `${n}B` })
  })
)

const PsEntry = Schema.Struct({
  Names: Schema.Array(Schema.String),
  State: Schema.String,
  Labels: Schema.optionalWith(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String })), {
    default: () => null
  }),
  Size: Schema.optionalWith(Schema.NullOr(PsSize), { default: () => null }),
  Image: Schema.optionalWith(Schema.String, { default: () => "" }),
  Ports: Schema.optionalWith(
    Schema.NullOr(Schema.Array(Schema.Struct({
      host_ip: Schema.optionalWith(Schema.String, { default: () => "" }),
      container_port: Schema.Number,
      host_port: Schema.Number,
      range: Schema.optionalWith(Schema.Number, { default: () => 1 }),
      protocol: Schema.optionalWith(Schema.String, { default: () => "tcp" })
    }))),
    { default: () => null }
  )
})

/** `podman ps -a --format json [--size]` @internal */
export const PsJson = Schema.parseJson(Schema.Array(PsEntry))

/** @internal */
export const toContainerSummaries = (entries: ReadonlyArray<typeof PsEntry.Type>): Array<ContainerSummary> =>
  entries.flatMap((entry) =>
    entry.Names.map((name) => ({
      name,
      state: toContainerState(entry.State),
      rwSize: entry.Size ?? Option.none(),
      labels: { ...entry.Labels },
      image: entry.Image,
      ports: SharedJson.toPublishedPorts(entry.Ports ?? [])
    }))
  )

const ImagesEntry = Schema.Struct({
  Id: Schema.String,
  Names: Schema.optionalWith(Schema.NullOr(Schema.Array(Schema.String)), { default: () => null }),
  Size: Schema.Number,
  Created: Schema.Number
})

/** `podman images --format json` @internal */
export const ImagesJson = Schema.parseJson(Schema.Array(ImagesEntry))

/** Splits `registry:5000/repo:tag` at the tag's colon (after the last `/`). @internal */
export const splitName = (name: string): { readonly repository: string; readonly tag: Option.Option<string> } => {
  const colon = name.lastIndexOf(":")
  return colon > name.lastIndexOf("/")
    ? { repository: name.slice(0, colon), tag: Option.some(name.slice(colon + 1)) }
    : { repository: name, tag: Option.none() }
}

/** One summary per tag; a dangling image (no names) is one summary by id. @internal */
export const toImageSummaries = (entries: ReadonlyArray<typeof ImagesEntry.Type>): Array<ImageSummary> =>
  // podman lists an image once per name, each entry with all its names: one summary per name
  entries.filter((entry, i) => entries.findIndex((other) => other.Id === entry.Id) === i).flatMap((entry) => {
    const common = {
      id: entry.Id,
      size: Option.some(entry.Size),
      created: Option.some(new Date(entry.Created * 1000))
    }
    const names = entry.Names ?? []
    return names.length === 0
      ? [{ ...common, ref: entry.Id, repository: Option.none(), tag: Option.none() }]
      : names.map((name) => {
        const { repository, tag } = splitName(name)
        return { ...common, ref: name, repository: Option.some(repository), tag }
      })
  })

const ImageInspect = Schema.Struct({
  Id: Schema.String,
  Labels: Schema.optionalWith(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String })), {
    default: () => null
  })
})

/** `podman image inspect REF` @internal */
export const ImageInspectJson = Schema.parseJson(Schema.Array(ImageInspect))

/** `GET /images/REF/json` of the libpod API. @internal */
export const ImageInspectOneJson = Schema.parseJson(ImageInspect)

/** @internal */
export const toImageInfo = (raw: typeof ImageInspect.Type): ImageInfo & { labels: Record<string, string> } => ({
  id: raw.Id,
  labels: { ...raw.Labels }
})

/** `podman image history --format json REF` @internal */
export const HistoryJson = Schema.parseJson(Schema.Array(Schema.Struct({ CreatedBy: Schema.String })))

/**
 * Decodes podman's stdout (or a REST answer's body). Output that does not match is a `NonZeroExit`
 * `Unreadable` (an incompatible podman version): what and where, never a value podman printed.
 *
 * @internal
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, what = "output") => {
  const decodeUnknown = Schema.decodeUnknown(schema)
  return (output: Output): Effect.Effect<A, NonZeroExit> =>
    decodeUnknown(output.stdout).pipe(
      Effect.mapError((error) => {
        const cause = new Failures.UnreadableOutput(what, ParseResult.ArrayFormatter.formatErrorSync(error))
        return new NonZeroExit({
          reason: "Unreadable",
          operation: output.operation,
          argv: redactEnvArgs(output.argv),
          stderr: cause.message,
          cause
        })
      })
    )
}

/**
 * `podman network ls` / `volume ls` / `pod ps --format json`, and the API's lists: the name and
 * labels, in either spelling. @internal
 */
export const ResourceListJson = Schema.parseJson(Schema.Array(Schema.Struct({
  name: Schema.optional(Schema.String),
  Name: Schema.optional(Schema.String),
  labels: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String }))),
  Labels: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String })))
})))

/** @internal */
export const toResourceSummaries = (raw: (typeof ResourceListJson)["Type"]) =>
  raw.map((r) => ({ name: r.name ?? r.Name ?? "", labels: r.labels ?? r.Labels ?? {} }))

/** `podman stats --format '{{json .ContainerStats}}'`, and each of the API's `Stats`. */
const StatsEntry = Schema.Struct({
  CPU: Schema.Number,
  MemUsage: Schema.Number,
  MemLimit: Schema.Number,
  NetInput: Schema.Number,
  NetOutput: Schema.Number,
  BlockInput: Schema.Number,
  BlockOutput: Schema.Number,
  PIDs: Schema.Number
})

/** @internal */
export const StatsJson = Schema.parseJson(StatsEntry)

/** `GET /containers/stats?stream=false` @internal */
export const StatsReportJson = Schema.parseJson(Schema.Struct({ Stats: Schema.NullOr(Schema.Array(StatsEntry)) }))

/** @internal */
export const toContainerStats = (raw: typeof StatsEntry.Type): ContainerStats => SharedJson.toContainerStats(raw)

/** A lifecycle event (`effect-podman-shared/Events`), or none for other statuses and malformed lines. @internal */
export const decodeEvent = (line: string): Option.Option<ContainerEvent> =>
  Option.map(Option.fromNullable(SharedEvents.decodeEvent(line)), (event) =>
    SharedEvents.carryUntimed(event, {
      ...event,
      image: Option.fromNullable(event.image),
      exitCode: Option.fromNullable(event.exitCode)
    }))

/** `podman info --format '{{json .Host.CDISpecs}}'` (podman 5+): the spec directories, or null. @internal */
export const CdiSpecDirsJson = Schema.parseJson(Schema.NullOr(Schema.Array(Schema.String)))

/** podman's state word as a `ContainerState` (`unknown` for one this library does not know). @internal */
export { toContainerState }
