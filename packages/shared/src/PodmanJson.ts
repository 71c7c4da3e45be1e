/**
 * What podman's JSON says, as data both editions read the same way.
 *
 * @since 0.4.0
 */
import type { PublishedPort } from "./Spec.js"

/**
 * A container's state, as podman names it.
 *
 * @example
 * ```ts
 * import type { PodmanJson } from "effect-podman-shared"
 *
 * const finished = (state: PodmanJson.ContainerState) => state === "exited" || state === "stopped"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerState =
  | "created"
  | "initialized"
  | "configured"
  | "running"
  | "paused"
  | "stopping"
  | "stopped"
  | "exited"
  | "removing"
  | "unknown"

const STATES: ReadonlySet<string> = new Set<ContainerState>([
  "created",
  "initialized",
  "configured",
  "running",
  "paused",
  "stopping",
  "stopped",
  "exited",
  "removing"
])

/**
 * podman's `State.Status` (any case) as a {@link ContainerState}; `unknown` for what it is not.
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toContainerState("Running") // "running"
 * ```
 *
 * @since 0.4.0
 * @category parsing
 */
export const toContainerState = (status: string): ContainerState => {
  const state = status.toLowerCase()
  return STATES.has(state) ? (state as ContainerState) : "unknown"
}

/**
 * A published port as `podman ps --format json` and the API's list print it (a range publishes
 * `range` consecutive ports).
 *
 * @since 0.4.0
 * @category models
 */
export interface ListedPort {
  readonly host_ip?: string | undefined
  readonly container_port: number
  readonly host_port: number
  readonly range?: number | undefined
  readonly protocol?: string | undefined
}

/**
 * The published ports of a listed container, one by one.
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toPublishedPorts([{ host_ip: "", container_port: 80, host_port: 8080, range: 2, protocol: "tcp" }])
 * // [{ container: 80, host: 8080, hostIp: "0.0.0.0", protocol: "tcp" }, { container: 81, host: 8081, hostIp: "0.0.0.0", protocol: "tcp" }]
 * ```
 *
 * @since 0.4.0
 */
export const toPublishedPorts = (ports: ReadonlyArray<ListedPort>): Array<PublishedPort> =>
  ports.flatMap((p) =>
    Array.from({ length: p.range ?? 1 }, (_, i) => ({
      container: p.container_port + i,
      host: p.host_port + i,
      hostIp: p.host_ip === undefined || p.host_ip === "" ? "0.0.0.0" : p.host_ip,
      protocol: p.protocol === "udp" ? "udp" as const : "tcp" as const
    }))
  )

/**
 * A sample of a container's resource use: CPU percent, memory used and its limit, network and
 * block bytes in and out, processes.
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerStats {
  readonly cpuPercent: number
  readonly memoryUsed: number
  readonly memoryLimit: number
  readonly networkIn: number
  readonly networkOut: number
  readonly blockIn: number
  readonly blockOut: number
  readonly pids: number
  readonly time: Date
}

/**
 * One sample as `podman stats --format '{{json .ContainerStats}}'` and the API's `Stats` print it.
 *
 * @since 0.4.0
 * @category models
 */
export interface StatsEntry {
  readonly CPU: number
  readonly MemUsage: number
  readonly MemLimit: number
  readonly NetInput: number
  readonly NetOutput: number
  readonly BlockInput: number
  readonly BlockOutput: number
  readonly PIDs: number
}

/**
 * A sample, read (taken now).
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toContainerStats({ CPU: 0.5, MemUsage: 1024, MemLimit: 2048, NetInput: 0, NetOutput: 0, BlockInput: 0, BlockOutput: 0, PIDs: 2 })
 * ```
 *
 * @since 0.4.0
 */
export const toContainerStats = (raw: StatsEntry): ContainerStats => ({
  cpuPercent: raw.CPU,
  memoryUsed: raw.MemUsage,
  memoryLimit: raw.MemLimit,
  networkIn: raw.NetInput,
  networkOut: raw.NetOutput,
  blockIn: raw.BlockInput,
  blockOut: raw.BlockOutput,
  pids: raw.PIDs,
  time: new Date()
})

/**
 * A container's limits and settings as podman reports them (`undefined`: not set).
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerSettings {
  readonly hostname: string
  readonly memory: number | undefined
  readonly cpus: number | undefined
  readonly pidsLimit: number | undefined
  /** `no` when none was set. */
  readonly restartPolicy: { readonly name: string; readonly maxRetries: number }
  readonly readOnly: boolean
  /** Capabilities added and dropped (`CAP_…`). */
  readonly capAdd: ReadonlyArray<string>
  readonly capDrop: ReadonlyArray<string>
  /** Host name → IP entries added to /etc/hosts. */
  readonly extraHosts: Readonly<Record<string, string>>
  readonly ulimits: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>
  readonly shmSize: number
}

/**
 * The part of an inspect's `HostConfig` the settings come from.
 *
 * @since 0.4.0
 * @category models
 */
export interface HostConfig {
  readonly Memory?: number | undefined
  readonly NanoCpus?: number | undefined
  readonly PidsLimit?: number | null | undefined
  readonly RestartPolicy?: { readonly Name: string; readonly MaximumRetryCount?: number | undefined } | null | undefined
  readonly ReadonlyRootfs?: boolean | undefined
  readonly CapAdd?: ReadonlyArray<string> | null | undefined
  readonly CapDrop?: ReadonlyArray<string> | null | undefined
  readonly ExtraHosts?: ReadonlyArray<string> | null | undefined
  readonly Ulimits?:
    | ReadonlyArray<{ readonly Name: string; readonly Soft: number; readonly Hard: number }>
    | null
    | undefined
  readonly ShmSize?: number | undefined
}

/**
 * A container's settings from its inspect's `Config.Hostname` and `HostConfig`.
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toContainerSettings("web", { Memory: 67108864, RestartPolicy: { Name: "always" } }).memory // 67108864
 * ```
 *
 * @since 0.4.0
 */
export const toContainerSettings = (hostname: string, host: HostConfig): ContainerSettings => ({
  hostname,
  memory: (host.Memory ?? 0) > 0 ? host.Memory : undefined,
  cpus: (host.NanoCpus ?? 0) > 0 ? host.NanoCpus! / 1e9 : undefined,
  pidsLimit: host.PidsLimit != null && host.PidsLimit > 0 ? host.PidsLimit : undefined,
  restartPolicy: { name: host.RestartPolicy?.Name || "no", maxRetries: host.RestartPolicy?.MaximumRetryCount ?? 0 },
  readOnly: host.ReadonlyRootfs ?? false,
  capAdd: host.CapAdd ?? [],
  capDrop: host.CapDrop ?? [],
  extraHosts: Object.fromEntries((host.ExtraHosts ?? []).map((entry) => {
    const colon = entry.indexOf(":")
    return [entry.slice(0, colon), entry.slice(colon + 1)]
  })),
  ulimits: Object.fromEntries(
    (host.Ulimits ?? []).map((u) => [u.Name.replace(/^RLIMIT_/, "").toLowerCase(), { soft: u.Soft, hard: u.Hard }])
  ),
  shmSize: host.ShmSize ?? 0
})

/**
 * A mount as `podman container inspect` (and libpod's inspect) lists it.
 *
 * @since 0.5.0
 * @category inspect
 */
export interface InspectedMount {
  readonly Type: string
  readonly Name?: string | undefined
  readonly Source: string
  readonly Destination: string
  readonly RW: boolean
}

/**
 * A listed mount as a container's `mounts` reports it: a volume by its name (podman's `Source` is
 * the volume's storage path), anything else by its source.
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toMount({ Type: "volume", Name: "data", Source: "/var/lib/containers/storage/volumes/data/_data", Destination: "/vol", RW: true })
 * // { type: "volume", source: "data", destination: "/vol", rw: true }
 * ```
 *
 * @since 0.5.0
 * @category inspect
 */
export const toMount = (raw: InspectedMount): { type: string; source: string; destination: string; rw: boolean } => ({
  type: raw.Type,
  source: raw.Type === "volume" && raw.Name !== undefined && raw.Name !== "" ? raw.Name : raw.Source,
  destination: raw.Destination,
  rw: raw.RW
})

/**
 * A time podman printed, or `undefined` for none (podman prints year 1 for "never").
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toDate("0001-01-01T00:00:00Z") // undefined
 * ```
 *
 * @since 0.4.0
 */
export const toDate = (text: string | undefined): Date | undefined => {
  if (text === undefined || text === "") return undefined
  const date = new Date(text)
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1 ? undefined : date
}
