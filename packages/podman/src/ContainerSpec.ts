/**
 * What `podman create` / `podman run` take that users need most, as a `Schema`, and the one pure
 * function that turns a spec into podman's argv.
 *
 * @since 0.1.0
 */
import { Either, Redacted, Schema } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as Limits from "effect-podman-shared/Limits"
import * as Spec from "effect-podman-shared/Spec"
import { isIP } from "node:net"
import { gpuRunArgs } from "./internal/core/gpu.js"

const Port = Schema.Int.pipe(
  Schema.between(1, 65535, { message: () => "a TCP/UDP port is a whole number from 1 to 65535" })
)

const Name = Schema.String.pipe(
  Schema.pattern(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, {
    message: () => "a container name starts with a letter or digit, then letters, digits, '_', '.' or '-'"
  })
)

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** Environment variables by name (Schema does not check a record's keys: the filter does). */
const EnvRecord = <A, I>(value: Schema.Schema<A, I>) =>
  Schema.Record({ key: Schema.String, value }).pipe(
    Schema.filter((record) =>
      Object.keys(record).filter((key) => !ENV_NAME.test(key)).map((key) =>
        `${JSON.stringify(key)}: an environment variable name is letters, digits and '_' (it cannot hold '=')`
      )
    )
  )

const Text = Schema.String.pipe(
  Schema.filter((text) => !text.includes("\0") || "must not hold a NUL byte")
)

/** A secret: a `Redacted` string that the kernel can pass (no NUL); its value is never printed. */
const SecretValue = Schema.RedactedFromSelf(Schema.String).pipe(
  Schema.annotations({ message: () => "a secret value is a Redacted string: wrap it with Redacted.make(…)" }),
  Schema.filter((secret) => !Redacted.value(secret).includes("\0") || "a secret value must not hold a NUL byte")
)

const NonEmpty = Text.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))

const Image = NonEmpty.pipe(
  Schema.filter((image) =>
    (image.trim() === image && !image.startsWith("-")) ||
    "an image reference has no surrounding spaces and no leading '-'"
  )
)

/** Labels by key (checked by the filter, as with environment names). */
const LabelRecord = Schema.Record({ key: Schema.String, value: Text }).pipe(
  Schema.filter((record) =>
    Object.keys(record).filter((key) => key === "" || key.includes("=") || key.includes("\0")).map((key) =>
      `${JSON.stringify(key)}: a label key is non-empty and holds no '=' or NUL`
    )
  )
)

const HostIp = Schema.String.pipe(
  Schema.filter((ip) => isIP(ip) !== 0 || "a host IP is an IPv4 or IPv6 address (no brackets, no port)")
)

const TmpfsSize = Schema.String.pipe(
  Schema.pattern(/^\d+[kmg%]?$/i, { message: () => "a tmpfs size is a number of bytes, optionally with k, m, g or %" })
)

/**
 * A published port: `container` inside; `host` on the host (default: a free port, reserved with
 * `reservePort`), bound on `hostIp` (default `127.0.0.1`).
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman"
 *
 * const ports: ContainerSpec.ContainerSpecInput["ports"] = [{ container: 80 }, { container: 443, host: 8443, hostIp: "0.0.0.0" }]
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const PortMapping = Schema.Struct({
  container: Port,
  host: Schema.optional(Port),
  hostIp: Schema.optional(HostIp),
  protocol: Schema.optional(Schema.Literal("tcp", "udp"))
})

/**
 * A mount: a host path (`bind`), a named volume (`volume`) or a memory file system (`tmpfs`).
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman"
 *
 * const mounts: ContainerSpec.ContainerSpecInput["mounts"] = [
 *   { type: "bind", source: "/srv/data", target: "/data", readOnly: true },
 *   { type: "tmpfs", target: "/tmp" }
 * ]
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Mount = Schema.Union(
  Schema.Struct({
    type: Schema.Literal("bind"),
    source: NonEmpty,
    target: NonEmpty,
    readOnly: Schema.optional(Schema.Boolean)
  }),
  Schema.Struct({
    type: Schema.Literal("volume"),
    source: NonEmpty,
    target: NonEmpty,
    readOnly: Schema.optional(Schema.Boolean)
  }),
  Schema.Struct({
    type: Schema.Literal("tmpfs"),
    target: NonEmpty,
    size: Schema.optional(TmpfsSize),
    /** Permissions of the tmpfs root, e.g. `0o1777`. */
    mode: Schema.optional(Schema.Int.pipe(Schema.between(0, 0o7777)))
  })
)

const ByteSize = Schema.String.pipe(
  Schema.pattern(/^\d+[bkmg]?$/i, { message: () => "a size is a number of bytes, optionally with b, k, m or g" }),
  Schema.filter((size) => Limits.sizeProblem(size) ?? true)
)

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252}[a-zA-Z0-9])?$/

const Hostname = Schema.String.pipe(
  Schema.pattern(HOSTNAME, { message: () => "a host name is letters, digits, '.' and '-' (not at either end)" })
)

/** Host name → IP (keys checked by the filter: a record's key schema would leave a bad one out). */
const ExtraHosts = Schema.Record({ key: Schema.String, value: HostIp }).pipe(
  Schema.filter((record) =>
    Object.keys(record).filter((key) => !HOSTNAME.test(key)).map((key) =>
      `${JSON.stringify(key)}: a host name is letters, digits, '.' and '-' (not at either end)`
    )
  )
)

const Capability = Schema.String.pipe(
  Schema.pattern(/^(CAP_)?[A-Z_]+$|^ALL$/, {
    message: () => "a capability is a name like NET_ADMIN or CAP_NET_ADMIN, or ALL"
  })
)

const Ulimits = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({
    soft: Schema.Int.pipe(Schema.greaterThanOrEqualTo(-1)),
    hard: Schema.Int.pipe(Schema.greaterThanOrEqualTo(-1))
  })
}).pipe(
  Schema.filter(Spec.ulimitsProblems)
)

const GpuSelector = Schema.Union(Schema.Boolean, Schema.String).pipe(
  Schema.filter((selector) =>
    Either.isRight(gpuRunArgs(selector)) || Either.match(gpuRunArgs(selector), {
      onLeft: (error) => error.reason,
      onRight: () => true
    })
  )
)

const Fields = Schema.Struct({
  /** Image reference (name, tag or id). */
  image: Image,
  /** The container's name; default `namePrefix-<random>`. */
  name: Schema.optional(Name),
  /** Prefix of generated names (default `effect-podman`), so `containersWithPrefix` finds them. */
  namePrefix: Schema.optional(Name),
  /** The command (arguments to the entrypoint). */
  command: Schema.optional(Schema.Array(Text)),
  /** Replaces the image's entrypoint. */
  entrypoint: Schema.optional(Schema.Array(Text)),
  /** Plain environment variables (they do appear in argv; sensitive keys are redacted in logs). */
  env: Schema.optional(EnvRecord(Text)),
  /** Secret environment variables: passed through podman's own environment, never in an argv. */
  secretEnv: Schema.optional(EnvRecord(SecretValue)),
  /** Labels: keys are non-empty and hold no `=` (podman splits `--label KEY=VALUE` at the first one). */
  labels: Schema.optional(LabelRecord),
  ports: Schema.optional(Schema.Array(PortMapping)),
  mounts: Schema.optional(Schema.Array(Mount)),
  workdir: Schema.optional(
    NonEmpty.pipe(
      Schema.filter((path) => path.startsWith("/") || "a working directory is an absolute path in the container")
    )
  ),
  user: Schema.optional(NonEmpty),
  /** A network to join (a `runtime.network`'s name, `host`, `none`, …). */
  network: Schema.optional(NonEmpty),
  /** Names the container answers to on `network`, besides its own (needs a `network`). */
  networkAliases: Schema.optional(Schema.Array(Name)),
  /** A pod to join (a `runtime.pod`'s name): its containers share `localhost`; ports go on the pod. */
  pod: Schema.optional(Name),
  /** When `create` pulls the image: `never`, `missing` (podman's default) or `always`. */
  pull: Schema.optional(Schema.Literal("never", "missing", "always")),
  /**
   * Run podman's init (catatonit) as PID 1, so signals reach the command and `stop` ends it at once.
   * Default: on when podman's init binary is installed on this host (`Init.findInitBinary`) — so a
   * spec that does not ask still has `--init` in its argv; `false` runs the command as PID 1 (which
   * ignores SIGTERM unless it handles it: a stop then waits out its grace period).
   */
  init: Schema.optional(Schema.Boolean),
  /** GPU passthrough, as `Gpu.gpuRunArgs` takes it. */
  gpu: Schema.optional(GpuSelector),
  /** A health check (`Wait.forHealthy` runs it). */
  healthcheck: Schema.optional(Schema.Struct({ command: Schema.NonEmptyArray(Text) })),
  /** Memory limit (`256m`, `1g`, bytes). */
  memory: Schema.optional(ByteSize),
  /** CPU limit, in CPUs (`0.5`). */
  cpus: Schema.optional(Schema.Number.pipe(
    Schema.positive({ message: () => "cpus is a positive number" }),
    Schema.filter((cpus) => Limits.cpusProblem(cpus) ?? true)
  )),
  /** Most processes the container may run (`-1`: no limit). */
  pidsLimit: Schema.optional(Schema.Int.pipe(Schema.greaterThanOrEqualTo(-1))),
  /** What podman does when the container exits (`on-failure` retries at most `restartRetries` times). */
  restartPolicy: Schema.optional(Schema.Literal("no", "on-failure", "always", "unless-stopped")),
  restartRetries: Schema.optional(Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))),
  hostname: Schema.optional(Hostname),
  /** Host name → IP, added to the container's /etc/hosts. */
  extraHosts: Schema.optional(ExtraHosts),
  capAdd: Schema.optional(Schema.Array(Capability)),
  capDrop: Schema.optional(Schema.Array(Capability)),
  /** Mount the root filesystem read-only (volumes and tmpfs mounts stay writable). */
  readOnly: Schema.optional(Schema.Boolean),
  /** Resource limits by name (`nofile: { soft: 1024, hard: 2048 }`). */
  ulimits: Schema.optional(Ulimits),
  /** Size of /dev/shm. */
  shmSize: Schema.optional(ByteSize),
  /** Anything else, appended before the image as is. */
  extraArgs: Schema.optional(Schema.Array(Text))
})

/**
 * A container to create or run.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ContainerSpec } from "effect-podman"
 *
 * const spec: ContainerSpec.ContainerSpecInput = {
 *   image: "localhost/api:latest",
 *   namePrefix: "api",
 *   command: ["serve", "--port", "8080"],
 *   env: { LOG_LEVEL: "debug" },
 *   secretEnv: { API_TOKEN: Redacted.make("s3cr3t") }, // passed without ever appearing in an argv
 *   ports: [{ container: 8080 }], // host port reserved for you
 *   mounts: [{ type: "tmpfs", target: "/tmp" }],
 *   labels: { team: "payments" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContainerSpec = Fields.pipe(
  Schema.filter((spec) => [
    ...(spec.networkAliases !== undefined && spec.network === undefined
      ? [{ path: ["networkAliases"], message: "aliases need a network: set `network` (a runtime.network's name)" }]
      : []),
    ...(spec.pod !== undefined && (spec.ports ?? []).length > 0
      ? [{
        path: ["ports"],
        message: "a container in a pod cannot publish ports: publish them on the pod (runtime.pod({ ports }))"
      }]
      : []),
    ...(spec.pod !== undefined && spec.network !== undefined
      ? [{ path: ["network"], message: "a container in a pod uses the pod's network: set it on neither or drop `pod`" }]
      : [])
  ])
)

/**
 * A decoded spec.
 *
 * @since 0.1.0
 * @category models
 */
export type ContainerSpec = typeof ContainerSpec.Type

/**
 * What callers write (the same shape, before checking).
 *
 * @since 0.1.0
 * @category models
 */
export type ContainerSpecInput = typeof ContainerSpec.Encoded

/**
 * A published port once its host side is known.
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman"
 *
 * const port: ContainerSpec.PublishedPort = { container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PublishedPort = Spec.PublishedPort

/**
 * What `create` decides before it turns a spec into argv.
 *
 * @example
 * ```ts
 * import { ContainerSpec } from "effect-podman"
 *
 * const resolved: ContainerSpec.Resolved = { name: "web-1", ports: [], init: true, labels: { team: "a" } }
 * const { args } = ContainerSpec.toCreateArgs({ image: "localhost/web:latest" }, resolved)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Resolved = Spec.Resolved

/**
 * Turns a spec into the arguments of `podman create` (without the binary and global options)
 * and the environment podman must run with: secret values travel there, as `-e KEY` without a
 * value in the argv, so no argv — logged, traced or in an error — ever holds them.
 *
 * @example
 * ```ts
 * import { ContainerSpec } from "effect-podman"
 *
 * const { args } = ContainerSpec.toCreateArgs(
 *   { image: "localhost/web:latest", command: ["httpd", "-f"] },
 *   { name: "web-1", ports: [{ container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }], init: true, labels: {} }
 * )
 * // ["create", "--name", "web-1", "--init", "--publish", "127.0.0.1:8080:80/tcp", "localhost/web:latest", "httpd", "-f"]
 * ```
 *
 * @since 0.1.0
 * @category argv
 */
export const toCreateArgs = (
  spec: ContainerSpec,
  resolved: Resolved
): { readonly args: ReadonlyArray<string>; readonly env: Readonly<Record<string, string>> } =>
  Argv.createArgs(spec, resolved, Redacted.value)

/**
 * What `runtime.network` / `volume` / `pod` check before podman runs: names as container names,
 * labels as a spec's, ports (pods only) as a spec's.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ContainerSpec } from "effect-podman"
 *
 * const ok = Schema.is(ContainerSpec.ResourceSpec)({ namePrefix: "ci", labels: { team: "a" } }) // true
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const ResourceSpec = Schema.Struct({
  name: Schema.optional(Name),
  namePrefix: Schema.optional(Name),
  labels: Schema.optional(LabelRecord),
  internal: Schema.optional(Schema.Boolean),
  ports: Schema.optional(Schema.Array(PortMapping))
})
