/**
 * What `create` / `run` take, as an Effect 4 `Schema` (image, naming, command,
 * environment — secrets as `Redacted` —, labels, working directory, user, init, ports, mounts,
 * network and aliases, a pod, pull policy, limits, capabilities, a read-only root, GPUs, a health
 * check, a restart policy, extra hosts, ulimits, raw `extraArgs`). It decodes to
 * `effect-podman-shared`'s `CreateSpec`, which the shared argv builder turns into `podman create`.
 *
 * @since 0.4.0
 */
import { Redacted, Schema } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import { gpuArgs, VALID_SELECTORS } from "effect-podman-shared/Gpu"
import * as Limits from "effect-podman-shared/Limits"
import * as Spec from "effect-podman-shared/Spec"
import { isIP } from "node:net"
import type { PullPolicy } from "./Images.js"
import { Labels, RecordOf, Text } from "./internal/core/schema.js"

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * A name podman accepts for a container, network, volume or pod: a letter or digit, then letters,
 * digits, `_`, `.` or `-` (so never one podman would read as a flag).
 *
 * @example
 * ```ts
 * import { Redacted, Schema } from "effect"
 * import { ContainerSpec } from "effect-podman-4"
 *
 * Schema.decodeUnknownSync(ContainerSpec.Name)("web-1")
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const Name = Schema.String.check(Schema.isPattern(NAME, {
  message: "a name starts with a letter or digit, then letters, digits, '_', '.' or '-'"
}))

const envNameProblem = (key: string) =>
  ENV_NAME.test(key) ? undefined : "an environment variable name is letters, digits and '_' (it cannot hold '=')"

/** A secret: a `Redacted` string the kernel can pass (no NUL); its value is never printed. */
const Secret = Schema.Redacted(Schema.String).check(
  Schema.makeFilter((secret: Redacted.Redacted<string>) =>
    !Redacted.value(secret).includes("\0") || "a secret value must not hold a NUL byte"
  )
)

const Port = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 65535 }, { message: "a TCP/UDP port is a whole number from 1 to 65535" })
)

const HostIp = Schema.String.check(
  Schema.makeFilter((ip: string) => isIP(ip) !== 0 || "a host IP is an IPv4 or IPv6 address (no brackets, no port)")
)

/**
 * A published port: `container` inside; `host` on the host (default: a free one), bound on
 * `hostIp` (default `127.0.0.1`).
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const ports: ContainerSpec.ContainerSpecInput["ports"] = [{ container: 80 }, { container: 53, protocol: "udp" }]
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const PortMapping = Schema.Struct({
  container: Port,
  host: Schema.optional(Port),
  hostIp: Schema.optional(HostIp),
  protocol: Schema.optional(Schema.Literals(["tcp", "udp"]))
})

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252}[a-zA-Z0-9])?$/

const Ulimits = Schema.Record(
  Schema.String,
  Schema.Struct({
    soft: Schema.Int.check(Schema.isGreaterThanOrEqualTo(-1)),
    hard: Schema.Int.check(Schema.isGreaterThanOrEqualTo(-1))
  })
)
  .check(Schema.makeFilter((record: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>) => {
    const problems = Spec.ulimitsProblems(record)
    return problems.length === 0 || problems.join("; ")
  }))

/** GPU passthrough as `effect-podman-shared/Gpu` takes it: `true`, `"all"`, a vendor, or single devices. */
const GpuSelector = Schema.Union([Schema.Boolean, Schema.String]).check(
  Schema.makeFilter((selector: boolean | string) => {
    const args = gpuArgs(selector)
    return "args" in args || `${JSON.stringify(args.invalid)} is not a GPU selector: ${VALID_SELECTORS}`
  })
)

const NonEmpty = Text.check(Schema.makeFilter((text: string) => text !== "" || "must not be empty"))

/**
 * A mount: a host path (`bind`), a named volume (`volume`) or a memory file system (`tmpfs`).
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const mounts: ContainerSpec.ContainerSpecInput["mounts"] = [{ type: "tmpfs", target: "/tmp" }]
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const Mount = Schema.Union([
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
    size: Schema.optional(
      Schema.String.check(
        Schema.isPattern(/^\d+[kmg%]?$/i, {
          message: "a tmpfs size is a number of bytes, optionally with k, m, g or %"
        })
      )
    ),
    mode: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 0o7777 })))
  })
])

const ByteSize = Schema.String.check(
  Schema.isPattern(/^\d+[bkmg]?$/i, { message: "a size is a number of bytes, optionally with b, k, m or g" }),
  Schema.makeFilter((size: string) => Limits.sizeProblem(size) ?? true)
)

/**
 * A container to create or run.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const spec: ContainerSpec.ContainerSpecInput = {
 *   image: "localhost/api:latest",
 *   namePrefix: "api",
 *   command: ["serve"],
 *   env: { LOG_LEVEL: "debug" },
 *   secretEnv: { API_TOKEN: Redacted.make("s3cr3t") }
 * }
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const ContainerSpec = Schema.Struct({
  image: Schema.NonEmptyString.check(
    Schema.makeFilter((image: string) =>
      (image.trim() === image && !image.startsWith("-")) ||
      "an image reference has no surrounding spaces and no leading '-'"
    )
  ),
  name: Schema.optional(Name),
  namePrefix: Schema.optional(Name),
  command: Schema.optional(Schema.Array(Text)),
  entrypoint: Schema.optional(Schema.Array(Text)),
  env: Schema.optional(RecordOf(Text, envNameProblem)),
  secretEnv: Schema.optional(RecordOf(Secret, envNameProblem)),
  labels: Schema.optional(Labels),
  workdir: Schema.optional(
    Text.check(
      Schema.makeFilter((path: string) =>
        path.startsWith("/") || "a working directory is an absolute path in the container"
      )
    )
  ),
  user: Schema.optional(Schema.NonEmptyString),
  /**
   * Run podman's init (catatonit) as PID 1, so signals reach the command and `stop` ends it at once.
   * Default: on when podman's init binary is installed on this host (`Init.findInitBinary`) — so a
   * spec that does not ask still has `--init` in its argv; `false` runs the command as PID 1 (which
   * ignores SIGTERM unless it handles it: a stop then waits out its grace period).
   */
  init: Schema.optional(Schema.Boolean),
  ports: Schema.optional(Schema.Array(PortMapping)),
  mounts: Schema.optional(Schema.Array(Mount)),
  /** A network to join (`host`, `none`, a network's name). */
  network: Schema.optional(NonEmpty),
  networkAliases: Schema.optional(Schema.Array(Name)),
  /** A pod to join (a `runtime.pod`'s name): its containers share `localhost`; ports go on the pod. */
  pod: Schema.optional(Name),
  pull: Schema.optional(Schema.Literals(["never", "missing", "always"] as const satisfies ReadonlyArray<PullPolicy>)),
  memory: Schema.optional(ByteSize),
  cpus: Schema.optional(
    Schema.Number.check(
      Schema.makeFilter((n: number) => n > 0 ? Limits.cpusProblem(n) ?? true : "cpus is a positive number")
    )
  ),
  pidsLimit: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(-1))),
  hostname: Schema.optional(Name),
  capAdd: Schema.optional(
    Schema.Array(
      Schema.String.check(
        Schema.isPattern(/^(CAP_)?[A-Z_]+$|^ALL$/, { message: "a capability is a name like NET_ADMIN, or ALL" })
      )
    )
  ),
  capDrop: Schema.optional(
    Schema.Array(
      Schema.String.check(
        Schema.isPattern(/^(CAP_)?[A-Z_]+$|^ALL$/, { message: "a capability is a name like NET_ADMIN, or ALL" })
      )
    )
  ),
  readOnly: Schema.optional(Schema.Boolean),
  shmSize: Schema.optional(ByteSize),
  /** GPU passthrough through CDI (`true`, `"all"`, `"nvidia"`, `"nvidia:0,amd:1"`, …). */
  gpu: Schema.optional(GpuSelector),
  /** A health check command. */
  healthcheck: Schema.optional(Schema.Struct({ command: Schema.NonEmptyArray(Text) })),
  /** What podman does when the container exits (`on-failure` retries at most `restartRetries` times). */
  restartPolicy: Schema.optional(Schema.Literals(["no", "on-failure", "always", "unless-stopped"])),
  restartRetries: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  /** Host name → IP, added to the container's /etc/hosts. */
  extraHosts: Schema.optional(
    RecordOf(
      HostIp,
      (key) => HOSTNAME.test(key) ? undefined : "a host name is letters, digits, '.' and '-' (not at either end)"
    )
  ),
  /** Resource limits by name (`nofile: { soft: 1024, hard: 2048 }`). */
  ulimits: Schema.optional(Ulimits),
  /** Anything else, appended before the image as is. */
  extraArgs: Schema.optional(Schema.Array(Text))
}).check(
  Schema.makeFilter((
    spec: { readonly pod?: string | undefined; readonly ports?: ReadonlyArray<unknown> | undefined }
  ) =>
    spec.pod === undefined || spec.ports === undefined || spec.ports.length === 0 ||
    "a container in a pod publishes no ports of its own: publish them on the pod (runtime.pod({ ports }))"
  )
)

/**
 * A decoded spec.
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerSpec = typeof ContainerSpec.Type

/**
 * What callers write.
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerSpecInput = typeof ContainerSpec.Encoded

/**
 * A published port once its host side is known (what a managed container's `ports` hold).
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const port: ContainerSpec.PublishedPort = { container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PublishedPort = Spec.PublishedPort

/**
 * What `create` decides before it turns a spec into argv: the container's name, its ports with
 * their host side, whether podman's init runs, the labels it adds.
 *
 * @example
 * ```ts
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const resolved: ContainerSpec.Resolved = { name: "web-1", ports: [], init: true, labels: {} }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type Resolved = Spec.Resolved

/**
 * Turns a checked spec into the arguments of `podman create` (without the binary and global
 * options) and the environment podman must run with: secret values travel there, as `-e KEY`
 * without a value in the argv, so no argv — logged, traced or in an error — ever holds them.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ContainerSpec } from "effect-podman-4"
 *
 * const spec = Schema.decodeUnknownSync(ContainerSpec.ContainerSpec)({ image: "localhost/web:latest", command: ["httpd", "-f"] })
 * const { args } = ContainerSpec.toCreateArgs(spec, {
 *   name: "web-1",
 *   ports: [{ container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }],
 *   init: true,
 *   labels: {}
 * })
 * // ["create", "--name", "web-1", "--init", "--publish", "127.0.0.1:8080:80/tcp", "localhost/web:latest", "httpd", "-f"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const toCreateArgs = (
  spec: ContainerSpec,
  resolved: Resolved
): { readonly args: ReadonlyArray<string>; readonly env: Readonly<Record<string, string>> } =>
  Argv.createArgs(spec, resolved, Redacted.value)
