/**
 * The hand-off to Kubernetes: container specs rendered as a Kubernetes `Pod` manifest (YAML), which
 * `podman kube play` runs on one host and a cluster runs anywhere. Secrets in `secretEnv` become
 * references to a Kubernetes `Secret` — never their values.
 *
 * @since 0.3.0
 */
import { Effect, Schema } from "effect"
import { stringify } from "yaml"
import { ContainerSpec } from "./ContainerSpec.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import type { SpecError } from "./ContainerError.js"
import * as Validate from "./internal/core/validate.js"

/**
 * What a pod manifest is made of.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Kube } from "effect-podman"
 *
 * const app: Kube.PodManifest = {
 *   name: "shop",
 *   containers: [
 *     { image: "localhost/api:1.2.0", name: "api", ports: [{ container: 8080, host: 8080 }], secretEnv: { DB_PASSWORD: Redacted.make("…") } },
 *     { image: "docker.io/library/postgres:16", name: "db" }
 *   ],
 *   secretName: "shop-secrets"
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface PodManifest {
  /** The pod's name (`metadata.name`). */
  readonly name: string
  readonly containers: ReadonlyArray<ContainerSpecInput>
  /** Pod labels (`metadata.labels`), besides the containers' own. */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The `Secret` that `secretEnv` keys refer to (default `NAME-secrets`); each key is a key of it. */
  readonly secretName?: string | undefined
}

const decode = Schema.decodeUnknown(Schema.Array(ContainerSpec), { errors: "all" })

/** What a pod manifest cannot say: the fields podman runs but Kubernetes has no word for here. */
const UNRENDERABLE = [
  "network",
  "networkAliases",
  "pod",
  "gpu",
  "extraArgs",
  // pod-level in Kubernetes, or not there at all
  "hostname",
  "extraHosts",
  "restartPolicy",
  "restartRetries",
  "pidsLimit",
  "ulimits",
  "shmSize"
] as const

const PULL = { never: "Never", missing: "IfNotPresent", always: "Always" } as const

/** A podman size (`256m`) as a Kubernetes quantity (`256Mi`). */
const kubeQuantity = (size: string): string => {
  const match = /^(\d+)([bkmg]?)$/i.exec(size)!
  const unit = (match[2] ?? "").toLowerCase()
  return `${match[1]}${unit === "k" ? "Ki" : unit === "m" ? "Mi" : unit === "g" ? "Gi" : ""}`
}

/** The container's securityContext: user, capabilities, read-only root. */
const securityContext = (
  spec: (typeof ContainerSpec)["Type"],
  uid: string | undefined,
  gid: string | undefined
): { readonly securityContext?: Record<string, unknown> } => {
  const context = {
    ...(uid !== undefined && /^\d+$/.test(uid) ? { runAsUser: Number(uid) } : {}),
    ...(gid !== undefined && /^\d+$/.test(gid) ? { runAsGroup: Number(gid) } : {}),
    ...(spec.capAdd === undefined && spec.capDrop === undefined
      ? {}
      : {
        capabilities: {
          ...(spec.capAdd === undefined ? {} : { add: spec.capAdd.map((c) => c.replace(/^CAP_/, "")) }),
          ...(spec.capDrop === undefined ? {} : { drop: spec.capDrop.map((c) => c.replace(/^CAP_/, "")) })
        }
      }),
    ...(spec.readOnly === true ? { readOnlyRootFilesystem: true } : {})
  }
  return Object.keys(context).length === 0 ? {} : { securityContext: context }
}

/**
 * Renders a pod manifest (Kubernetes `v1` `Pod`, as YAML). Each spec becomes a container:
 * `entrypoint`/`command` as `command`/`args`, `env`, `secretEnv` as `secretKeyRef`s (the values
 * are never written), `ports` with their host side, `workdir`, a numeric `user` as
 * `runAsUser`/`runAsGroup`, bind mounts as `hostPath` volumes, named volumes as
 * `persistentVolumeClaim`s (podman creates them), tmpfs as `emptyDir` in memory, the health check
 * as a `livenessProbe`, the pull policy as `imagePullPolicy`. A spec with a field Kubernetes has
 * no word for here (`network`, `pod`, `gpu`, `extraArgs`) is a `SpecError` naming it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Kube } from "effect-podman"
 *
 * const yaml = Kube.podYaml({
 *   name: "web",
 *   containers: [{ image: "localhost/web:latest", name: "httpd", command: ["httpd", "-f", "-p", "80"], ports: [{ container: 80, host: 8080 }] }]
 * })
 * // Effect.runSync(yaml) → "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n…"
 * ```
 *
 * @since 0.3.0
 * @category rendering
 */
export const podYaml = (manifest: PodManifest): Effect.Effect<string, SpecError> =>
  Effect.gen(function*() {
    const specs = yield* Effect.mapError(decode(manifest.containers), Validate.specError("pod manifest"))
    const unrenderable = [
      ...(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(manifest.name) ? [] : ["- name: a pod name is lower-case letters, digits and '-'"]),
      ...specs.flatMap((spec, i) => [
        ...UNRENDERABLE.filter((field) => spec[field] !== undefined).map((field) =>
          `- ${i}.${field}: a Kubernetes pod manifest has no word for it here: leave it out of specs you render`
        ),
        ...(spec.user !== undefined && !/^\d+(:\d+)?$/.test(spec.user)
          ? [`- ${i}.user: a pod manifest runs as a numeric user (UID or UID:GID)`]
          : [])
      ])
    ]
    if (unrenderable.length > 0) {
      return yield* Effect.fail(Validate.specErrorOf("pod manifest", unrenderable.join("\n")))
    }
    const secretName = manifest.secretName ?? `${manifest.name}-secrets`
    const volumes: Array<Record<string, unknown>> = []
    const containers = specs.map((spec, i) => {
      const name = spec.name ?? `${spec.namePrefix ?? "container"}-${i}`
      const mounts = (spec.mounts ?? []).map((mount, m) => {
        const volume = `${name}-${m}`
        volumes.push(
          mount.type === "bind"
            ? { name: volume, hostPath: { path: mount.source } }
            : mount.type === "volume"
            ? { name: volume, persistentVolumeClaim: { claimName: mount.source } }
            : { name: volume, emptyDir: { medium: "Memory", ...(mount.size === undefined ? {} : { sizeLimit: mount.size }) } }
        )
        return { name: volume, mountPath: mount.target, ...(mount.type !== "tmpfs" && mount.readOnly === true ? { readOnly: true } : {}) }
      })
      const [uid, gid] = (spec.user ?? "").split(":")
      return {
        name,
        image: spec.image,
        ...(spec.pull === undefined ? {} : { imagePullPolicy: PULL[spec.pull] }),
        ...(spec.entrypoint === undefined ? {} : { command: spec.entrypoint }),
        ...(spec.command === undefined ? {} : { args: spec.command }),
        ...(spec.workdir === undefined ? {} : { workingDir: spec.workdir }),
        env: [
          ...Object.entries(spec.env ?? {}).map(([key, value]) => ({ name: key, value })),
          ...Object.keys(spec.secretEnv ?? {}).map((key) => ({
            name: key,
            valueFrom: { secretKeyRef: { name: secretName, key } }
          }))
        ],
        ports: (spec.ports ?? []).map((p) => ({
          containerPort: p.container,
          ...(p.host === undefined ? {} : { hostPort: p.host }),
          ...(p.hostIp === undefined ? {} : { hostIP: p.hostIp }),
          protocol: (p.protocol ?? "tcp").toUpperCase()
        })),
        ...(spec.memory === undefined && spec.cpus === undefined
          ? {}
          : {
            resources: {
              limits: {
                ...(spec.memory === undefined ? {} : { memory: kubeQuantity(spec.memory) }),
                ...(spec.cpus === undefined ? {} : { cpu: String(spec.cpus) })
              }
            }
          }),
        ...securityContext(spec, uid, gid),
        ...(spec.healthcheck === undefined ? {} : { livenessProbe: { exec: { command: spec.healthcheck.command } } }),
        ...(mounts.length === 0 ? {} : { volumeMounts: mounts })
      }
    })
    const labels = { ...Object.assign({}, ...specs.map((spec) => spec.labels ?? {})), ...manifest.labels }
    return stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: manifest.name, ...(Object.keys(labels).length === 0 ? {} : { labels }) },
      spec: {
        restartPolicy: "Never",
        containers: containers.map((c) => ({
          ...c,
          ...(c.env.length === 0 ? { env: undefined } : {}),
          ...(c.ports.length === 0 ? { ports: undefined } : {})
        })),
        ...(volumes.length === 0 ? {} : { volumes })
      }
    })
  })
