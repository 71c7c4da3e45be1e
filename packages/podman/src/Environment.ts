/**
 * Several containers that make one environment — an app and its database, say — on a private
 * network of their own, started in dependency order (each after what it depends on is ready),
 * under one scope and one deadline: the Effect-native answer to compose environments in tests.
 *
 * @since 0.3.0
 */
import { Clock, Duration, Effect, Layer } from "effect"
import type { Context, Scope } from "effect"
import * as SharedEnvironment from "effect-podman-shared/Environment"
import type { ManagedContainer } from "./Container.js"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type { ContainerSpecInput } from "./ContainerSpec.js"
import * as Validate from "./internal/core/validate.js"
import type { RunError, SpecError } from "./PodmanError.js"
import type { ManagedResource, NetworkOptions } from "./Resource.js"
import type { WaitStrategy } from "./Wait.js"

/**
 * One container of an environment: its spec (the environment sets `network`), how to tell it is
 * ready, what must be ready before it starts, and the names the others reach it by (its key, and
 * `aliases`).
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman"
 * import { Wait } from "effect-podman"
 *
 * const db: Environment.Service = {
 *   spec: { image: "docker.io/library/postgres:16", env: { POSTGRES_PASSWORD: "test" } },
 *   wait: Wait.forLog(/ready to accept connections/, { times: 2 })
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  readonly spec: ContainerSpecInput
  readonly wait?: WaitStrategy | undefined
  readonly dependsOn?: ReadonlyArray<string> | undefined
  readonly aliases?: ReadonlyArray<string> | undefined
}

/**
 * A running environment: its network and a container per service.
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman"
 *
 * const appUrl = (env: Environment.Environment<"app" | "db">) => env.services.app.url(8080)
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Environment<K extends string> {
  readonly network: ManagedResource<"network">
  readonly services: { readonly [Key in K]: ManagedContainer }
}

/**
 * Options of an environment: one deadline for all of it (default 2 minutes) and its network's.
 *
 * @example
 * ```ts
 * import type { Environment } from "effect-podman"
 *
 * const options: Environment.Options = { deadline: "90 seconds", network: { namePrefix: "shop" } }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  readonly deadline?: Duration.DurationInput | undefined
  readonly network?: NetworkOptions | undefined
}

/** The services in start order, level by level (a level starts together), or what is wrong. */
const levels = SharedEnvironment.levels

/**
 * Starts the environment in the current scope: its network, then each level of services (all of a
 * level at once), each waited for, all under one deadline. What it started is removed when the
 * scope closes — and at once, if a service fails to become ready. A dependency on an undefined
 * service, or a cycle, is a `SpecError` before anything runs.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Environment, Wait } from "effect-podman"
 *
 * const shop = Environment.make({
 *   db: { spec: { image: "localhost/db:latest" }, wait: Wait.forLog(/ready/) },
 *   app: { spec: { image: "localhost/app:latest", env: { DB_HOST: "db" }, ports: [{ container: 8080 }] }, dependsOn: ["db"], wait: Wait.forHttp("/health", { port: 8080 }) }
 * })
 * const test = Effect.scoped(Effect.flatMap(shop, (env) => Effect.log(env.services.app.url(8080))))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = <K extends string>(
  services: { readonly [Key in K]: Service },
  options: Options = {}
): Effect.Effect<Environment<K>, RunError | SpecError, ContainerRuntime | Scope.Scope> =>
  Effect.gen(function*() {
    const order = levels(services)
    if (typeof order === "string") {
      return yield* Effect.fail(Validate.specErrorOf("environment", `- dependsOn: ${order}`))
    }
    const runtime = yield* ContainerRuntime
    const deadline = Duration.decode(options.deadline ?? Duration.minutes(2))
    const started = yield* Clock.currentTimeMillis
    const network = yield* runtime.network({ namePrefix: "effect-podman-env", ...options.network })
    const running: Record<string, ManagedContainer> = {}
    for (const level of order) {
      const left = Duration.millis(
        Math.max(0, Duration.toMillis(deadline) - ((yield* Clock.currentTimeMillis) - started))
      )
      yield* Effect.forEach(level, (key) => {
        const service = (services as Readonly<Record<string, Service>>)[key]!
        return Effect.map(
          runtime.run(
            { ...service.spec, network: network.name, networkAliases: [key, ...(service.aliases ?? [])] },
            { wait: service.wait, deadline: left }
          ),
          (container) => void (running[key] = container)
        )
      }, { concurrency: "unbounded", discard: true })
    }
    return { network, services: running as { readonly [Key in K]: ManagedContainer } }
  }).pipe(Effect.withSpan("podman environment.start"))

/**
 * The environment as a layer under your tag: built once for the tests (or program) it is provided
 * to, removed after them.
 *
 * @example
 * ```ts
 * import { Context } from "effect"
 * import { Environment, Wait } from "effect-podman"
 *
 * class Shop extends Context.Tag("Shop")<Shop, Environment.Environment<"db" | "app">>() {}
 *
 * const ShopLive = Environment.layer(Shop, {
 *   db: { spec: { image: "localhost/db:latest" }, wait: Wait.forLog(/ready/) },
 *   app: { spec: { image: "localhost/app:latest" }, dependsOn: ["db"] }
 * })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = <I, K extends string>(
  tag: Context.Tag<I, Environment<K>>,
  services: { readonly [Key in K]: Service },
  options?: Options
): Layer.Layer<I, RunError | SpecError, ContainerRuntime> => Layer.scoped(tag, make(services, options))
