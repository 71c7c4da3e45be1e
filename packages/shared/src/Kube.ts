/**
 * Kubernetes pod manifests (`v1` `Pod`, as YAML, by the `yaml` library) from container specs, for
 * both editions: what podman runs as `podman kube play`. No Effect: each edition decodes its specs
 * with its own Schema first.
 *
 * @since 0.4.0
 */
import { stringify } from "yaml"
import type { CreateSpec } from "./Spec.js"

/**
 * The pod: its name, labels besides the containers' own, and the `Secret` that `secretEnv` keys
 * refer to (default `NAME-secrets`).
 *
 * @since 0.4.0
 * @category models
 */
export interface Pod {
  readonly name: string
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly secretName?: string | undefined
}

/**
 * A decoded spec as the manifest reads it.
 *
 * @since 0.4.0
 * @category models
 */
export type PodSpec = CreateSpec<unknown> & {
  readonly name?: string | undefined
  readonly namePrefix?: string | undefined
  readonly ports?:
    | ReadonlyArray<{
      readonly container: number
      readonly host?: number | undefined
      readonly hostIp?: string | undefined
      readonly protocol?: string | undefined
    }>
    | undefined
}

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
  spec: PodSpec,
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
 * The manifest as YAML, or every problem of the specs (a field Kubernetes has no word for here, a
 * user that is not numeric, a pod name Kubernetes refuses), one `- path: why` line each.
 *
 * @example
 * ```ts
 * import { Kube } from "effect-podman-shared"
 *
 * Kube.podYaml({ name: "web" }, [{ image: "localhost/web:latest", name: "httpd", ports: [{ container: 80, host: 8080 }] }])
 * ```
 *
 * @since 0.4.0
 */
export const podYaml = (
  manifest: Pod,
  specs: ReadonlyArray<PodSpec>
): { readonly yaml: string } | { readonly problems: ReadonlyArray<string> } => {
  const unrenderable = [
    ...(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(manifest.name)
      ? []
      : ["- name: a pod name is lower-case letters, digits and '-'"]),
    ...specs.flatMap((spec, i) => [
      ...UNRENDERABLE.filter((field) => spec[field] !== undefined).map((field) =>
        `- ${i}.${field}: a Kubernetes pod manifest has no word for it here: leave it out of specs you render`
      ),
      ...(spec.user !== undefined && !/^\d+(:\d+)?$/.test(spec.user)
        ? [`- ${i}.user: a pod manifest runs as a numeric user (UID or UID:GID)`]
        : [])
    ])
  ]
  if (unrenderable.length > 0) return { problems: unrenderable }
  const secretName = manifest.secretName ?? `${manifest.name}-secrets`
  const volumes: Array<Record<string, unknown>> = []
  const containers = specs.map((spec, i) => {
    const name = spec.name ?? `${spec.namePrefix ?? "container"}-${i}`
    const mounts = (spec.mounts ?? []).map((mount, m) => {
      const volume = `${name}-${m}`
      volumes.push(
        mount.type === "tmpfs"
          ? {
            name: volume,
            emptyDir: { medium: "Memory", ...(mount.size === undefined ? {} : { sizeLimit: mount.size }) }
          }
          : mount.type === "bind"
          ? { name: volume, hostPath: { path: mount.source } }
          : { name: volume, persistentVolumeClaim: { claimName: mount.source } }
      )
      return {
        name: volume,
        mountPath: mount.target,
        ...(mount.type !== "tmpfs" && mount.readOnly === true ? { readOnly: true } : {})
      }
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
  return {
    yaml: stringify({
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
      // every string value quoted: podman reads the manifest as YAML 1.1, where an unquoted `1_000`,
      // `0b101`, `+0o17` or `2024-06-01` is a number or a timestamp, not the string it was
    }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" })
  }
}
