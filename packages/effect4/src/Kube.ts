/**
 * Kubernetes pod manifests from container specs: what `podman kube play` runs (the rendering is
 * `effect-podman-shared/Kube`'s, shared with the Effect 3 edition).
 *
 * @since 0.4.0
 */
import { Effect, Schema } from "effect"
import * as SharedKube from "effect-podman-shared/Kube"
import { SpecError } from "./ContainerError.js"
import { ContainerSpec } from "./ContainerSpec.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"

/**
 * A pod: its name, its containers' specs, labels besides theirs, and the `Secret` that
 * `secretEnv` keys refer to (default `NAME-secrets`; each key is a key of it).
 *
 * @example
 * ```ts
 * import type { Kube } from "effect-podman-4"
 *
 * const manifest: Kube.PodManifest = { name: "web", containers: [{ image: "localhost/web:latest", name: "httpd" }] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface PodManifest extends SharedKube.Pod {
  readonly containers: ReadonlyArray<ContainerSpecInput>
}

const decode = Schema.decodeUnknownEffect(Schema.Array(ContainerSpec))

/**
 * Renders a pod manifest (Kubernetes `v1` `Pod`, as YAML). Each spec becomes a container:
 * `entrypoint`/`command` as `command`/`args`, `env`, `secretEnv` as `secretKeyRef`s (the values
 * are never written), `ports` with their host side, `workdir`, a numeric `user`, mounts as volumes,
 * the health check as a `livenessProbe`, the pull policy as `imagePullPolicy`. A field Kubernetes
 * has no word for here (`network`, `pod`, `gpu`, `extraArgs`, …) is a `SpecError` naming it.
 *
 * @example
 * ```ts
 * import { Kube } from "effect-podman-4"
 *
 * const yaml = Kube.podYaml({
 *   name: "web",
 *   containers: [{ image: "localhost/web:latest", name: "httpd", command: ["httpd", "-f", "-p", "80"], ports: [{ container: 80, host: 8080 }] }]
 * })
 * ```
 *
 * @since 0.4.0
 * @category rendering
 */
export const podYaml = (manifest: PodManifest): Effect.Effect<string, SpecError> =>
  Effect.gen(function*() {
    const specs = yield* Effect.mapError(decode(manifest.containers), (error) =>
      new SpecError({ subject: "pod manifest", issues: error.message }))
    const rendered = SharedKube.podYaml(manifest, specs)
    if ("problems" in rendered) {
      return yield* new SpecError({ subject: "pod manifest", issues: rendered.problems.join("\n") })
    }
    return rendered.yaml
  })
