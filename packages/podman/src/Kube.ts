/**
 * The hand-off to Kubernetes: container specs rendered as a Kubernetes `Pod` manifest (YAML), which
 * `podman kube play` runs on one host and a cluster runs anywhere. Secrets in `secretEnv` become
 * references to a Kubernetes `Secret` — never their values.
 *
 * @since 0.3.0
 */
import { Effect, Schema } from "effect"
import * as SharedKube from "effect-podman-shared/Kube"
import type { SpecError } from "./ContainerError.js"
import { ContainerSpec } from "./ContainerSpec.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
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
    const rendered = SharedKube.podYaml(manifest, specs)
    if ("problems" in rendered) {
      return yield* Effect.fail(Validate.specErrorOf("pod manifest", rendered.problems.join("\n")))
    }
    return rendered.yaml
  })
