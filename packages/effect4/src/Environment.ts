/**
 * Environments: services started on a network of their own, in dependency order — each level
 * only once the one before is ready — reachable from each other by their keys (and aliases),
 * all removed with the scope. One deadline for the whole start.
 *
 * @since 0.4.0
 */
import { Clock, Duration, Effect, Layer } from "effect"
import type { Context, Scope } from "effect"
import * as SharedEnvironment from "effect-podman-shared/Environment"
import { SpecError } from "./ContainerError.js"
import type { GpuConfigError, WaitFailed } from "./ContainerError.js"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type { ManagedContainer } from "./ContainerRuntime.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import type { PodmanError } from "./PodmanError.js"
import type { ManagedResource, ResourceOptionsInput } from "./Resource.js"
import type { WaitStrategy } from "./Wait.js"

/**
 * A service: its spec (its network is the environment's), what it waits for, the services it
 * needs started (and ready) first, and more names it answers to.
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman-4"
 *
 * const web: Environment.Service = { spec: { image: "localhost/web:latest" }, dependsOn: ["db"], aliases: ["www"] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Service {
  readonly spec: ContainerSpecInput
  readonly wait?: WaitStrategy | undefined
  readonly dependsOn?: ReadonlyArray<string> | undefined
  readonly aliases?: ReadonlyArray<string> | undefined
}

/**
 * A started environment: its network and its services by key.
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman-4"
 *
 * const web = (env: Environment.Environment<"web" | "db">) => env.services.web
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Environment<K extends string> {
  readonly network: ManagedResource<"network">
  readonly services: { readonly [Key in K]: ManagedContainer }
}

/**
 * Options: one deadline for the whole start (default 2 minutes), and the network's options.
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman-4"
 *
 * const options: Environment.Options = { deadline: "60 seconds", network: { namePrefix: "shop" } }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Options {
  readonly deadline?: Duration.Input | undefined
  readonly network?: ResourceOptionsInput | undefined
}

/**
 * Starts the services, in dependency order, for the scope. A dependency that is not defined, or a
 * cycle, is a `SpecError` before anything runs.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Environment, Wait } from "effect-podman-4"
 *
 * const IMAGE = "localhost/effect-podman-test:latest"
 *
 * const program = Effect.gen(function*() {
 *   const env = yield* Environment.make({
 *     web: { spec: { image: IMAGE, command: ["httpd", "-f", "-p", "80", "-h", "/www"] } },
 *     client: { spec: { image: IMAGE }, dependsOn: ["web"], wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://web/"]) }
 *   })
 *   return yield* env.services.client.exec(["busybox", "wget", "-q", "-O", "-", "http://web/"])
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.4.0
 * @category constructors
 */
export const make = <K extends string>(
  services: { readonly [Key in K]: Service },
  options: Options = {}
): Effect.Effect<
  Environment<K>,
  PodmanError | SpecError | GpuConfigError | WaitFailed,
  ContainerRuntime | Scope.Scope
> =>
  Effect.gen(function*() {
    const order = SharedEnvironment.levels(services)
    if (typeof order === "string") {
      return yield* new SpecError({ subject: "environment", issues: `dependsOn: ${order}` })
    }
    const runtime = yield* ContainerRuntime
    const deadline = Duration.toMillis(Duration.fromInputUnsafe(options.deadline ?? Duration.minutes(2)))
    const started = yield* Clock.currentTimeMillis
    const network = yield* runtime.network({ namePrefix: "effect-podman-env", ...options.network })
    const running: Record<string, ManagedContainer> = {}
    for (const level of order) {
      const left = Duration.millis(Math.max(0, deadline - ((yield* Clock.currentTimeMillis) - started)))
      yield* Effect.forEach(level, (key) => {
        const service = (services as Readonly<Record<string, Service>>)[key]!
        return Effect.map(
          runtime.run({ ...service.spec, network: network.name, networkAliases: [key, ...(service.aliases ?? [])] }, {
            wait: service.wait,
            deadline: left
          }),
          (container) => void (running[key] = container)
        )
      }, { concurrency: "unbounded", discard: true })
    }
    return { network, services: running as { readonly [Key in K]: ManagedContainer } }
  }).pipe(Effect.withSpan("podman environment.start"))

/**
 * An environment as a layer under your key: started when the layer is built, removed with it.
 *
 * @example
 * ```ts
 * import { Context } from "effect"
 * import { Environment } from "effect-podman-4"
 *
 * class Shop extends Context.Service<Shop, Environment.Environment<"db">>()("Shop") {}
 *
 * const ShopLive = Environment.layer(Shop, { db: { spec: { image: "localhost/db:latest" } } })
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layer = <I, K extends string>(
  key: Context.Key<I, Environment<K>>,
  services: { readonly [Key in K]: Service },
  options?: Options
): Layer.Layer<I, PodmanError | SpecError | GpuConfigError | WaitFailed, ContainerRuntime> =>
  Layer.effect(key)(make(services, options))
