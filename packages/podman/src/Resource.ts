/**
 * The resources besides containers that a `ContainerRuntime` creates as scoped values: networks,
 * volumes and pods. Each is made by `runtime.network` / `volume` / `pod`, carries the session
 * labels `sweep` reads, and is force-removed (with what still uses it) when its scope closes.
 *
 * @since 0.3.0
 */
import type { Option } from "effect"
import type { PortMapping, PublishedPort } from "./ContainerSpec.js"

/**
 * The kinds of resource.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman"
 *
 * const kinds: ReadonlyArray<Resource.ResourceKind> = ["network", "volume", "pod"]
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type ResourceKind = "network" | "volume" | "pod"

/**
 * What every resource is made with: a name (or a prefix for a generated one) and labels.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman"
 *
 * const options: Resource.ResourceOptions = { namePrefix: "ci", labels: { team: "payments" } }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ResourceOptions {
  /** The exact name; default `PREFIX-<random>`. */
  readonly name?: string | undefined
  /** The prefix of a generated name (default `effect-podman`). */
  readonly namePrefix?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
}

/**
 * Options of `runtime.network`.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman"
 *
 * const backend: Resource.NetworkOptions = { namePrefix: "backend", internal: true }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface NetworkOptions extends ResourceOptions {
  /** No route out of the network (`--internal`): its containers reach each other only. */
  readonly internal?: boolean | undefined
}

/**
 * Options of `runtime.volume`.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman"
 *
 * const data: Resource.VolumeOptions = { namePrefix: "pgdata" }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type VolumeOptions = ResourceOptions

/**
 * Options of `runtime.pod`: the ports are published on the pod (its containers cannot publish
 * their own); a mapping without a host port gets a free one, as in a container spec.
 *
 * @example
 * ```ts
 * import type { Resource } from "effect-podman"
 *
 * const app: Resource.PodOptions = { namePrefix: "app", ports: [{ container: 8080 }] }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface PodOptions extends ResourceOptions {
  readonly ports?: ReadonlyArray<(typeof PortMapping)["Encoded"]> | undefined
}

/**
 * A network, volume or pod this library created; removed when the scope it was made in closes.
 * Pass `name` to a spec (`network`, a volume mount's `source`, `pod`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const twoOnOneNetwork = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   const net = yield* runtime.network({ namePrefix: "it" })
 *   yield* runtime.run({ image: "localhost/api:latest", network: net.name, networkAliases: ["api"] })
 *   yield* runtime.run({ image: "localhost/client:latest", network: net.name, env: { API_URL: "http://api:8080" } })
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ManagedResource<Kind extends ResourceKind = ResourceKind> {
  readonly kind: Kind
  readonly name: string
}

/**
 * A pod this library created, with the host side of the ports published on it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const app = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   const pod = yield* runtime.pod({ ports: [{ container: 80 }] })
 *   yield* runtime.run({ image: "localhost/web:latest", pod: pod.name })
 *   return pod.url(80) // http://127.0.0.1:PORT/
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ManagedPod extends ManagedResource<"pod"> {
  readonly ports: ReadonlyArray<PublishedPort>
  /** The host port published for `containerPort`, if any. */
  readonly hostPort: (containerPort: number) => Option.Option<number>
  /** The host port published for `containerPort`; throws, naming the published ones, if none. */
  readonly mappedPort: (containerPort: number) => number
  /** `http://HOST:PORT/path` for a published `containerPort`; throws as `mappedPort`. */
  readonly url: (containerPort: number, path?: string, scheme?: string) => string
}
