/**
 * A spec as libpod's `SpecGenerator` — the body of `POST /libpod/containers/create`, field for
 * field what `podman --remote create` sends for the same options (captured from podman 4.3), so a
 * container created here is the container the CLI layer creates. What has no field of its own (raw
 * `extraArgs`, GPU devices, network modes beyond host/none/private/bridge, `pull: always`) is none:
 * the caller creates through the CLI instead.
 *
 * @since 0.4.0
 */
import { healthCommand } from "./Argv.js"
import { sizeBytes } from "./Limits.js"
import type { CreateSpec, Mount, Resolved } from "./Spec.js"

const bytes = (size: string): number => Number(sizeBytes(size))

/** The network namespace and networks a spec's `network` asks for; none for a mode it cannot say. */
const networking = (spec: CreateSpec<unknown>): Record<string, unknown> | undefined => {
  const network = spec.network
  if (network === undefined) return {}
  if (["host", "none", "private"].includes(network)) return { netns: { nsmode: network }, Networks: {} }
  if (network.includes(":") || ["slirp4netns", "pasta", "ns", "container"].includes(network)) return undefined
  const aliases = spec.networkAliases ?? []
  return {
    netns: { nsmode: "bridge" },
    ...(network === "bridge" && aliases.length === 0 ? {} : { Networks: { [network]: { aliases } } })
  }
}

/** What a read-only root gets writable, as the CLI adds it (`--read-only-tmpfs`, its default). */
const READ_ONLY_TMPFS = ["/tmp", "/var/tmp", "/run"]

const mounts = (spec: CreateSpec<unknown>) => {
  const all: ReadonlyArray<Mount> = spec.mounts ?? []
  const targets = new Set(all.map((m) => m.target))
  return {
    mounts: [
      ...all.flatMap((m) =>
        m.type === "tmpfs"
          ? [{
            destination: m.target,
            type: "tmpfs",
            source: "tmpfs",
            ...(m.size === undefined && m.mode === undefined ? {} : {
              options: [
                ...(m.size === undefined ? [] : [`size=${m.size}`]),
                ...(m.mode === undefined ? [] : [`mode=${m.mode.toString(8).padStart(4, "0")}`])
              ]
            })
          }]
          : m.type === "bind"
          ? [{
            destination: m.target,
            type: "bind",
            source: m.source,
            ...(m.readOnly === true ? { options: ["ro"] } : {})
          }]
          : []
      ),
      ...(spec.readOnly === true
        ? READ_ONLY_TMPFS.filter((path) => !targets.has(path)).map((destination) => ({
          destination,
          type: "tmpfs",
          source: "tmpfs",
          options: ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"]
        }))
        : [])
    ],
    volumes: all.flatMap((m) =>
      m.type === "volume"
        ? [{ Name: m.source, Dest: m.target, Options: m.readOnly === true ? ["ro"] : null, IsAnonymous: false }]
        : []
    )
  }
}

/**
 * The spec's environment, secret values revealed by `reveal` (for a request body only).
 *
 * @example
 * ```ts
 * import { SpecGenerator } from "effect-podman-shared"
 *
 * SpecGenerator.environment({ image: "x", env: { A: "1" }, secretEnv: { T: "s" } }, (secret: string) => secret)
 * // { A: "1", T: "s" }
 * ```
 *
 * @since 0.4.0
 * @category SpecGenerator
 */
export const environment = <Secret>(
  spec: CreateSpec<Secret>,
  reveal: (secret: Secret) => string
): Record<string, string> => ({
  ...spec.env,
  ...Object.fromEntries(Object.entries(spec.secretEnv ?? {}).map(([key, value]) => [key, reveal(value)]))
})

/**
 * The body of `POST /libpod/containers/create` for `spec`, or `undefined` when only the CLI can say
 * it (raw `extraArgs`, GPU devices, special network modes, `pull: "always"`). Secret values travel
 * in the body (never in a URL, an argv, a span or an error).
 *
 * @example
 * ```ts
 * import { SpecGenerator } from "effect-podman-shared"
 *
 * const body = SpecGenerator.specGenerator(
 *   { image: "localhost/web:latest", command: ["httpd", "-f"] },
 *   { name: "web-1", ports: [], init: true, labels: {} },
 *   (secret: string) => secret
 * )
 * ```
 *
 * @since 0.4.0
 * @category SpecGenerator
 */
export const specGenerator = <Secret>(
  spec: CreateSpec<Secret>,
  resolved: Resolved,
  reveal: (secret: Secret) => string
): Record<string, unknown> | undefined => {
  if ((spec.extraArgs ?? []).length > 0 || spec.gpu !== undefined || spec.pull === "always") return undefined
  // "unlimited" (-1): the CLI says it; the API's body (unsigned numbers) cannot
  if (Object.values(spec.ulimits ?? {}).some((u) => u.soft < 0 || u.hard < 0)) return undefined
  const network = networking(spec)
  return network === undefined ? undefined : {
    name: resolved.name,
    image: spec.image,
    raw_image_name: spec.image,
    ...(spec.entrypoint === undefined ? {} : { entrypoint: spec.entrypoint }),
    ...(spec.command === undefined ? {} : { command: spec.command }),
    env: environment(spec, reveal),
    labels: { ...spec.labels, ...resolved.labels },
    annotations: { "io.kubernetes.cri-o.TTY": "false" },
    httpproxy: true,
    systemd: "true",
    sdnotifyMode: "container",
    manage_password: true,
    image_volume_mode: "anonymous",
    seccomp_policy: "default",
    umask: "0022",
    cgroups_mode: "enabled",
    use_image_hosts: false,
    init: resolved.init,
    ...mounts(spec),
    ...network,
    ...(spec.pod === undefined ? {} : { pod: spec.pod }),
    portmappings: resolved.ports.map((p) => ({
      host_ip: p.hostIp,
      container_port: p.container,
      host_port: p.host,
      range: 1,
      protocol: p.protocol
    })),
    ...(spec.workdir === undefined ? {} : { work_dir: spec.workdir }),
    ...(spec.user === undefined ? {} : { user: spec.user }),
    ...(spec.hostname === undefined ? {} : { hostname: spec.hostname }),
    ...(spec.extraHosts === undefined
      ? {}
      : { hostadd: Object.entries(spec.extraHosts).map(([host, ip]) => `${host}:${ip}`) }),
    ...(spec.capAdd === undefined ? {} : { cap_add: spec.capAdd }),
    ...(spec.capDrop === undefined ? {} : { cap_drop: spec.capDrop }),
    ...(spec.readOnly === true ? { read_only_filesystem: true } : {}),
    ...(spec.shmSize === undefined ? {} : { shm_size: bytes(spec.shmSize) }),
    ...(spec.restartPolicy === undefined ? {} : {
      restart_policy: spec.restartPolicy,
      ...(spec.restartPolicy === "on-failure" && spec.restartRetries !== undefined
        ? { restart_tries: spec.restartRetries }
        : {})
    }),
    // always a list, as podman's own CLI sends it: an empty one lets the service add its defaults
    // (rootless: the user's own hard limits) as it does for the CLI; absent, it adds none
    r_limits: Object.entries(spec.ulimits ?? {}).map(([type, { hard, soft }]) => ({ type, hard, soft })),
    ...(spec.memory === undefined && spec.cpus === undefined && spec.pidsLimit === undefined ? {} : {
      resource_limits: {
        ...(spec.memory === undefined ? {} : { memory: { limit: bytes(spec.memory), swap: 2 * bytes(spec.memory) } }),
        ...(spec.cpus === undefined ? {} : { cpu: { quota: Math.trunc(spec.cpus * 100_000), period: 100_000 } }),
        // podman reads -1 (no limit) as 0
        ...(spec.pidsLimit === undefined ? {} : { pids: { limit: Math.max(0, spec.pidsLimit) } })
      }
    }),
    ...(spec.healthcheck === undefined ? {} : {
      // podman 4's defaults for a `--health-cmd` (shell form, as the CLI layer passes it)
      healthconfig: {
        Test: ["CMD-SHELL", healthCommand(spec.healthcheck.command)],
        Interval: 30e9,
        Timeout: 30e9,
        Retries: 3
      }
    })
  }
}
