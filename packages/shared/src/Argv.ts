/**
 * podman's argv for a checked spec: the arguments of `podman create` and the environment podman
 * must run with (secret values travel there, as `--env KEY` without a value in the argv, so no
 * argv — logged, traced or in an error — ever holds them).
 *
 * @since 0.4.0
 */
import { isIPv6 } from "node:net"
import { join } from "node:path"
import { gpuArgs } from "./Gpu.js"
import { isSensitiveKey } from "./Redact.js"
import type { CreateSpec, Mount, PublishedPort, Resolved } from "./Spec.js"

/**
 * A `--mount` value. podman reads it as one CSV record of `key=value` fields: a field holding a
 * comma or a quote is quoted (`"target=/a,b"`), so no value can add a field of its own. A
 * read-only mount says `ro=true` (podman 4.3 refuses `readonly` on a volume; 5.x takes both).
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.mountOption({ type: "bind", source: "/srv/a,b", target: "/data", readOnly: true })
 * // 'type=bind,"source=/srv/a,b",target=/data,ro=true'
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const mountOption = (mount: Mount): string => {
  const fields: Array<readonly [string, string]> = mount.type === "tmpfs"
    ? [
      ["type", "tmpfs"],
      ["target", mount.target],
      ...(mount.size === undefined ? [] : [["tmpfs-size", mount.size] as const]),
      ...(mount.mode === undefined ? [] : [["tmpfs-mode", mount.mode.toString(8).padStart(4, "0")] as const])
    ]
    : [
      ["type", mount.type],
      ["source", mount.source],
      ["target", mount.target],
      ...(mount.readOnly === true ? [["ro", "true"] as const] : [])
    ]
  return fields.map(([key, value]) => {
    const field = `${key}=${value}`
    return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, "\"\"")}"` : field
  }).join(",")
}

/** Quotes a word for `/bin/sh`. */
const shellQuote = (word: string): string => /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`

/**
 * A health check's command as podman 4 takes it: one shell command line (its CLI does not parse
 * the JSON `CMD` form), each word quoted for `/bin/sh`.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.healthCommand(["echo", "it's ok"]) // "echo 'it'\\''s ok'"
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const healthCommand = (argv: ReadonlyArray<string>): string => argv.map(shellQuote).join(" ")

/**
 * The arguments of `podman create` (without the binary and global options) and the environment
 * podman must run with. `reveal` opens the edition's secret values.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * const { args } = Argv.createArgs(
 *   { image: "localhost/web:latest", command: ["httpd", "-f"] },
 *   { name: "web-1", ports: [{ container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }], init: true, labels: {} },
 *   (secret: string) => secret
 * )
 * // ["create", "--name", "web-1", "--init", "--publish", "127.0.0.1:8080:80/tcp", "localhost/web:latest", "httpd", "-f"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const createArgs = <Secret>(
  spec: CreateSpec<Secret>,
  resolved: Resolved,
  reveal: (secret: Secret) => string
): { readonly args: ReadonlyArray<string>; readonly env: Readonly<Record<string, string>> } => {
  const secrets = Object.entries(spec.secretEnv ?? {})
  const labels = { ...spec.labels, ...resolved.labels }
  const gpu = gpuArgs(spec.gpu)
  const args = [
    "create",
    "--name",
    resolved.name,
    ...(resolved.init ? ["--init"] : []),
    ...Object.entries(spec.env ?? {}).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    ...secrets.flatMap(([key]) => ["--env", key]),
    ...Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
    ...publishArgs(resolved.ports),
    ...(spec.mounts ?? []).flatMap((m) => ["--mount", mountOption(m)]),
    ...(spec.workdir === undefined ? [] : ["--workdir", spec.workdir]),
    ...(spec.user === undefined ? [] : ["--user", spec.user]),
    ...(spec.memory === undefined ? [] : ["--memory", spec.memory]),
    ...(spec.cpus === undefined ? [] : ["--cpus", String(spec.cpus)]),
    ...(spec.pidsLimit === undefined ? [] : ["--pids-limit", String(spec.pidsLimit)]),
    ...(spec.restartPolicy === undefined
      ? []
      : [
        `--restart=${spec.restartPolicy}${
          spec.restartPolicy === "on-failure" && spec.restartRetries !== undefined ? `:${spec.restartRetries}` : ""
        }`
      ]),
    ...(spec.hostname === undefined ? [] : ["--hostname", spec.hostname]),
    ...Object.entries(spec.extraHosts ?? {}).flatMap(([host, ip]) => ["--add-host", `${host}:${ip}`]),
    ...(spec.capAdd ?? []).flatMap((cap) => ["--cap-add", cap]),
    ...(spec.capDrop ?? []).flatMap((cap) => ["--cap-drop", cap]),
    ...(spec.readOnly === true ? ["--read-only"] : []),
    ...Object.entries(spec.ulimits ?? {}).flatMap(([name, { hard, soft }]) => ["--ulimit", `${name}=${soft}:${hard}`]),
    ...(spec.shmSize === undefined ? [] : ["--shm-size", spec.shmSize]),
    ...(spec.network === undefined ? [] : ["--network", spec.network]),
    ...(spec.networkAliases ?? []).flatMap((alias) => ["--network-alias", alias]),
    ...(spec.pod === undefined ? [] : ["--pod", spec.pod]),
    ...(spec.pull === undefined ? [] : [`--pull=${spec.pull}`]),
    ...("args" in gpu ? gpu.args : []),
    // podman 4 reads --health-cmd as a shell command (its JSON "CMD" form is not parsed there)
    ...(spec.healthcheck === undefined ? [] : ["--health-cmd", healthCommand(spec.healthcheck.command)]),
    ...(spec.entrypoint === undefined ? [] : ["--entrypoint", JSON.stringify(spec.entrypoint)]),
    ...(spec.extraArgs ?? []),
    spec.image,
    ...(spec.command ?? [])
  ]
  return { args, env: Object.fromEntries(secrets.map(([key, value]) => [key, reveal(value)])) }
}

/**
 * What a control does to a running container: send a signal, freeze, thaw, or stop and start
 * again (`seconds`: the stop's grace period).
 *
 * @example
 * ```ts
 * import type { Argv } from "effect-podman-shared"
 *
 * const control: Argv.Control = { _tag: "Kill", signal: "SIGTERM" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type Control =
  | { readonly _tag: "Kill"; readonly signal: string }
  | { readonly _tag: "Pause" }
  | { readonly _tag: "Unpause" }
  | { readonly _tag: "Restart"; readonly seconds: number }

/**
 * The podman arguments of a control on the container `name`.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.controlArgs({ _tag: "Restart", seconds: 2 }, "web") // ["restart", "--time", "2", "web"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const controlArgs = <Name = string>(control: Control, name: Name): Array<string | Name> =>
  control._tag === "Kill"
    ? ["kill", "--signal", control.signal, name]
    : control._tag === "Restart"
    ? ["restart", "--time", String(control.seconds), name]
    : [control._tag === "Pause" ? "pause" : "unpause", name]

/**
 * podman's argv to stop a container: SIGTERM, then SIGKILL after `seconds`.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.stopArgs("web", 10) // ["stop", "--time", "10", "web"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const stopArgs = <Name = string>(
  name: Name,
  seconds: number
): Array<string | Name> => ["stop", "--time", String(seconds), name]

/**
 * The libpod API's endpoint of a control, below the container's path (`kill?signal=…`, `pause`,
 * `unpause`, `restart?t=…`).
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.controlEndpoint({ _tag: "Kill", signal: "SIGTERM" }) // "kill?signal=SIGTERM"
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const controlEndpoint = (control: Control): string =>
  control._tag === "Kill"
    ? `kill?signal=${encodeURIComponent(control.signal)}`
    : control._tag === "Restart"
    ? `restart?t=${control.seconds}`
    : control._tag.toLowerCase()

/** `--publish HOSTIP:HOST:CONTAINER/PROTOCOL` for each port (an IPv6 host IP in brackets). */
const publishArgs = (ports: ReadonlyArray<PublishedPort>): Array<string> =>
  ports.flatMap((
    p
  ) => ["--publish", `${isIPv6(p.hostIp) ? `[${p.hostIp}]` : p.hostIp}:${p.host}:${p.container}/${p.protocol}`])

/**
 * What podman makes besides containers: networks, volumes and pods.
 *
 * @since 0.4.0
 * @category models
 */
export type ResourceKind = "network" | "volume" | "pod"

/**
 * What a network, volume or pod is made with: labels; `internal` (a network with no route out);
 * `ports` (a pod's published ports).
 *
 * @since 0.4.0
 * @category models
 */
export interface ResourceSettings {
  readonly labels: Readonly<Record<string, string>>
  readonly internal: boolean
  readonly ports: ReadonlyArray<PublishedPort>
}

const labelArgs = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`])

/**
 * podman's argv to create a network, volume or pod.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.resourceCreateArgs("network", "backend", { labels: {}, internal: true, ports: [] })
 * // ["network", "create", "--internal", "backend"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const resourceCreateArgs = <Name = string>(
  kind: ResourceKind,
  name: Name,
  settings: ResourceSettings
): Array<string | Name> =>
  kind === "network"
    ? ["network", "create", ...labelArgs(settings.labels), ...(settings.internal ? ["--internal"] : []), name]
    : kind === "volume"
    ? ["volume", "create", ...labelArgs(settings.labels), name]
    : ["pod", "create", "--name", name, ...labelArgs(settings.labels), ...publishArgs(settings.ports)]

/**
 * podman's argv to remove a network, volume or pod with whatever uses it (`--force`, no grace).
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.resourceRemoveArgs("pod", "web") // ["pod", "rm", "--force", "--time", "0", "web"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const resourceRemoveArgs = <Name = string>(
  kind: ResourceKind,
  name: Name
): Array<string | Name> => [kind, "rm", "--force", "--time", "0", name]

/**
 * podman's argv to list the networks, volumes or pods carrying a label, as JSON.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.resourceListArgs("volume", "team=a") // ["volume", "ls", "--filter", "label=team=a", "--format", "json"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const resourceListArgs = (
  kind: ResourceKind,
  label: string
): Array<string> => [
  ...(kind === "pod" ? ["pod", "ps"] : [kind, "ls"]),
  "--filter",
  `label=${label}`,
  "--format",
  "json"
]

/**
 * What an exec runs with: its user, working directory and environment, and whether its stdin is
 * open (`--interactive`).
 *
 * @since 0.4.0
 * @category models
 */
export interface ExecSettings {
  readonly interactive?: boolean | undefined
  readonly user?: string | undefined
  readonly workdir?: string | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
}

/**
 * podman's argv for an exec, and the environment podman must run with: a sensitive key's value
 * (`Redact.isSensitiveKey`) goes through podman's own environment (`-e KEY`), never the argv.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.execArgs("web", ["env"], { user: "1000", env: { MODE: "test", API_TOKEN: "t0p" } })
 * // { args: ["exec", "--user", "1000", "-e", "MODE=test", "-e", "API_TOKEN", "web", "env"], env: { API_TOKEN: "t0p" } }
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const execArgs = <Name = string>(
  name: Name,
  argv: ReadonlyArray<string>,
  settings: ExecSettings = {}
): { readonly args: Array<string | Name>; readonly env: Record<string, string> } => {
  const entries = Object.entries(settings.env ?? {})
  return {
    args: [
      "exec",
      ...(settings.interactive === true ? ["--interactive"] : []),
      ...(settings.user === undefined ? [] : ["--user", settings.user]),
      ...(settings.workdir === undefined ? [] : ["--workdir", settings.workdir]),
      ...entries.flatMap(([key, value]) => ["-e", isSensitiveKey(key) ? key : `${key}=${value}`]),
      name,
      ...argv
    ],
    env: Object.fromEntries(entries.filter(([key]) => isSensitiveKey(key)))
  }
}

/**
 * The pattern of podman's `name` filter for the containers named `prefix-…` (the prefix's own
 * characters escaped).
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.namePrefixPattern("app.v1") // "^app\\.v1-"
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const namePrefixPattern = (prefix: string): string => `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-`

/**
 * Options of a pull or a push: `tlsVerify: false` for a registry over plain HTTP; default `true`.
 *
 * @since 0.4.0
 * @category models
 */
export interface TransferOptions {
  /** Require HTTPS and verify certificates (default true). */
  readonly tlsVerify?: boolean | undefined
}

/**
 * Options of a build.
 *
 * @since 0.4.0
 * @category models
 */
export interface BuildOptions {
  /** The Containerfile, relative to the context (default `Containerfile`, else `Dockerfile`). */
  readonly containerfile?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly buildArgs?: Readonly<Record<string, string>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The stage to build, in a multi-stage Containerfile. */
  readonly target?: string | undefined
  /**
   * The image format: `oci` (podman's default) or `docker`, which keeps what OCI images cannot
   * hold — a `HEALTHCHECK` (that `Wait.forHealthy` then runs), `SHELL`, `STOPSIGNAL`.
   */
  readonly format?: "oci" | "docker" | undefined
}

/**
 * A build's settings from its options, once its context and Containerfile are known.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.buildSettings("/src/app", "Containerfile", { tags: ["localhost/app:dev"] })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export const buildSettings = (context: string, containerfile: string, options: BuildOptions): BuildSettings => ({
  context,
  containerfile,
  tags: options.tags ?? [],
  buildArgs: options.buildArgs ?? {},
  labels: options.labels ?? {},
  target: options.target,
  format: options.format
})

/**
 * What a build is made of: the context folder, its Containerfile (relative to the context), tags,
 * build arguments, labels, a stage to stop at, the image format.
 *
 * @since 0.4.0
 * @category models
 */
export interface BuildSettings {
  readonly context: string
  readonly containerfile: string
  readonly tags: ReadonlyArray<string>
  readonly buildArgs: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  readonly target?: string | undefined
  readonly format?: "oci" | "docker" | undefined
}

const pairs = (flag: string, record: Readonly<Record<string, string>>) =>
  Object.entries(record).flatMap(([key, value]) => [flag, `${key}=${value}`])

/**
 * podman's argv for the image operations: `pull`, `push`, `build`, `tag`, `rm`, and `images` by
 * label. `wrap` marks what a caller supplied (the CLI layers check those operands before podman
 * runs); by default they stay strings.
 *
 * @example
 * ```ts
 * import { Argv } from "effect-podman-shared"
 *
 * Argv.imageArgs.pull("localhost:5000/app:1", false) // ["pull", "--tls-verify=false", "localhost:5000/app:1"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const imageArgs = {
  pull: <Name = string>(
    ref: Name,
    tlsVerify: boolean
  ): Array<string | Name> => ["pull", `--tls-verify=${tlsVerify}`, ref],
  push: <Name = string>(
    ref: Name,
    destination: Name,
    tlsVerify: boolean
  ): Array<string | Name> => ["push", `--tls-verify=${tlsVerify}`, ref, destination],
  build: <Name = string>(
    settings: BuildSettings,
    wrap: (argument: string, value: string) => Name | string = (_, value) => value
  ): Array<string | Name> => [
    "build",
    "--file",
    wrap("containerfile", join(settings.context, settings.containerfile)),
    ...settings.tags.flatMap((tag) => ["--tag", wrap("image reference", tag)]),
    ...pairs("--build-arg", settings.buildArgs),
    ...pairs("--label", settings.labels),
    ...(settings.target === undefined ? [] : ["--target", settings.target]),
    ...(settings.format === undefined ? [] : ["--format", settings.format]),
    wrap("build context", settings.context)
  ],
  tag: <Name = string>(ref: Name, target: Name): Array<string | Name> => ["tag", ref, target],
  remove: <Name = string>(
    ref: Name,
    force: boolean
  ): Array<string | Name> => ["image", "rm", ...(force ? ["--force"] : []), ref],
  listLabeled: (label: string): Array<string> => ["images", "--filter", `label=${label}`, "--format", "json"]
}
