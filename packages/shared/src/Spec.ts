/**
 * A container spec as plain data, after checking: what each edition's `ContainerSpec` schema
 * decodes to, and what the argv and SpecGenerator builders take. `Secret` is how the edition
 * holds a secret value (`Redacted<string>`); the builders reveal it with the function they are given.
 *
 * @since 0.4.0
 */

/**
 * A mount: a host path, a named volume, or a memory file system.
 *
 * @example
 * ```ts
 * import type { Spec } from "effect-podman-shared"
 *
 * const mount: Spec.Mount = { type: "tmpfs", target: "/tmp", size: "64m" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type Mount =
  | {
    readonly type: "bind" | "volume"
    readonly source: string
    readonly target: string
    readonly readOnly?: boolean | undefined
  }
  | {
    readonly type: "tmpfs"
    readonly target: string
    readonly size?: string | undefined
    readonly mode?: number | undefined
  }

/**
 * The checked spec.
 *
 * @example
 * ```ts
 * import type { Spec } from "effect-podman-shared"
 *
 * const spec: Spec.CreateSpec = { image: "localhost/web:latest", command: ["httpd", "-f"] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface CreateSpec<Secret = string> {
  readonly image: string
  readonly command?: ReadonlyArray<string> | undefined
  readonly entrypoint?: ReadonlyArray<string> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly secretEnv?: Readonly<Record<string, Secret>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly mounts?: ReadonlyArray<Mount> | undefined
  readonly workdir?: string | undefined
  readonly user?: string | undefined
  readonly network?: string | undefined
  readonly networkAliases?: ReadonlyArray<string> | undefined
  readonly pod?: string | undefined
  readonly pull?: "never" | "missing" | "always" | undefined
  readonly gpu?: boolean | string | undefined
  readonly healthcheck?: { readonly command: ReadonlyArray<string> } | undefined
  readonly memory?: string | undefined
  readonly cpus?: number | undefined
  readonly pidsLimit?: number | undefined
  readonly restartPolicy?: "no" | "on-failure" | "always" | "unless-stopped" | undefined
  readonly restartRetries?: number | undefined
  readonly hostname?: string | undefined
  readonly extraHosts?: Readonly<Record<string, string>> | undefined
  readonly capAdd?: ReadonlyArray<string> | undefined
  readonly capDrop?: ReadonlyArray<string> | undefined
  readonly readOnly?: boolean | undefined
  readonly ulimits?: Readonly<Record<string, { readonly soft: number; readonly hard: number }>> | undefined
  readonly shmSize?: string | undefined
  readonly extraArgs?: ReadonlyArray<string> | undefined
}

/**
 * A published port once its host side is known.
 *
 * @example
 * ```ts
 * import type { Spec } from "effect-podman-shared"
 *
 * const port: Spec.PublishedPort = { container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface PublishedPort {
  readonly container: number
  readonly host: number
  readonly hostIp: string
  readonly protocol: "tcp" | "udp"
}

/**
 * What `create` decides before it builds anything: the name, the host ports, whether to run an
 * init, and labels added to the spec's.
 *
 * @example
 * ```ts
 * import type { Spec } from "effect-podman-shared"
 *
 * const resolved: Spec.Resolved = { name: "web-1", ports: [], init: true, labels: {} }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Resolved {
  readonly name: string
  readonly ports: ReadonlyArray<PublishedPort>
  readonly init: boolean
  readonly labels: Readonly<Record<string, string>>
}

/**
 * The limits a spec's `ulimits` may name: podman's (`--ulimit NAME=SOFT:HARD`).
 *
 * @since 0.5.0
 * @category rules
 */
export const ULIMITS: ReadonlyArray<string> = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack"
]

/**
 * What is wrong with a spec's `ulimits`, one message each (none: nothing): a name podman does not
 * know, a soft limit above the hard one (`-1` is unlimited). Both editions' schemas check this.
 *
 * @example
 * ```ts
 * import { Spec } from "effect-podman-shared"
 *
 * Spec.ulimitsProblems({ nofile: { soft: 2048, hard: 1024 } }) // ["nofile: the soft limit exceeds the hard one"]
 * ```
 *
 * @since 0.5.0
 * @category rules
 */
export const ulimitsProblems = (
  ulimits: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>
): Array<string> =>
  Object.entries(ulimits).flatMap(([name, { hard, soft }]) => [
    ...(ULIMITS.includes(name) ? [] : [`${JSON.stringify(name)}: a ulimit is one of ${ULIMITS.join(", ")}`]),
    ...(hard !== -1 && (soft === -1 || soft > hard) ? [`${name}: the soft limit exceeds the hard one`] : [])
  ])
