/**
 * Networks, volumes and pods: what `ContainerRuntime`'s `network`, `volume` and `pod` make — scoped,
 * removed (with whatever still uses them) when their scope closes — and their options as an
 * Effect 4 `Schema`.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import type { Option } from "effect"
import type * as Spec from "effect-podman-shared/Spec"
import { Name, PortMapping } from "./ContainerSpec.js"
import { Labels } from "./internal/core/schema.js"

/**
 * What podman makes besides containers.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const kinds: ReadonlyArray<Resource.ResourceKind> = ["network", "volume", "pod"]
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ResourceKind = "network" | "volume" | "pod"

/**
 * The options of a network, volume or pod: an exact `name` or a `namePrefix` (default
 * `effect-podman`) for a generated one, `labels`; a network may be `internal` (no route out); a
 * pod publishes `ports` (a free host port for each mapping without one).
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const backend: Resource.ResourceOptionsInput = { namePrefix: "backend", internal: true }
 * const pod: Resource.ResourceOptionsInput = { namePrefix: "web", ports: [{ container: 80 }] }
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const ResourceOptions = Schema.Struct({
  name: Schema.optional(Name),
  namePrefix: Schema.optional(Name),
  labels: Schema.optional(Labels),
  internal: Schema.optional(Schema.Boolean),
  ports: Schema.optional(Schema.Array(PortMapping))
})

/**
 * What callers write.
 *
 * @since 0.4.0
 * @category models
 */
export type ResourceOptionsInput = typeof ResourceOptions.Encoded

/**
 * A network's options: a name or prefix, labels, `internal` (no route out).
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const backend: Resource.NetworkOptions = { namePrefix: "backend", internal: true }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type NetworkOptions = Omit<ResourceOptionsInput, "ports">

/**
 * A volume's options: a name or prefix, labels.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const data: Resource.VolumeOptions = { namePrefix: "pgdata", labels: { app: "shop" } }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type VolumeOptions = Omit<ResourceOptionsInput, "ports" | "internal">

/**
 * A pod's options: a name or prefix, labels, the ports its containers publish (on the pod).
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const web: Resource.PodOptions = { namePrefix: "web", ports: [{ container: 80 }] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PodOptions = Omit<ResourceOptionsInput, "internal">

/**
 * A network, volume or pod that lives as long as its scope: its kind and name (what a spec joins
 * with `network`, `pod`, or mounts with `{ type: "volume", source: name }`).
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const joined = (network: Resource.ManagedResource<"network">) => ({ network: network.name })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ManagedResource<Kind extends ResourceKind = ResourceKind> {
  readonly kind: Kind
  readonly name: string
}

/**
 * A pod, with its published ports: its containers share `localhost`, and these ports.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman-4"
 *
 * const home = (pod: Resource.ManagedPod) => pod.url(80, "/index.html")
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ManagedPod extends ManagedResource<"pod"> {
  readonly ports: ReadonlyArray<Spec.PublishedPort>
  /** The host port of a published container port; none when it is not published. */
  readonly hostPort: (containerPort: number) => Option.Option<number>
  /** The host port of a published container port; throws, naming what is published, otherwise. */
  readonly mappedPort: (containerPort: number) => number
  /** A URL of a published port (`http://127.0.0.1:HOSTPORT/path`). */
  readonly url: (containerPort: number, path?: string, scheme?: string) => string
}
