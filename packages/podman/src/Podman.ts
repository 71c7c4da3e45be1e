/**
 * The live `ContainerRuntime`: the podman CLI, driven through one argv runner.
 *
 * @since 0.1.0
 */
import type { CommandExecutor } from "@effect/platform"
import { Config, Effect, Layer, Option } from "effect"
import type { ConfigError } from "effect"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as PodmanDriver from "./internal/cli/driver.js"
import * as Options from "./internal/cli/options.js"
import type { PodmanOptions } from "./internal/cli/options.js"
import * as Runner from "./internal/cli/runner.js"
import * as Runtime from "./internal/core/handles.js"

export type {
  /** @since 0.1.0 */
  PodmanOptions
} from "./internal/cli/options.js"

/**
 * Makes the live runtime. Needs only a `CommandExecutor` (`NodeContext.layer` provides one).
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { Podman } from "effect-podman"
 *
 * const program = Effect.gen(function*() {
 *   const runtime = yield* Podman.make({ timeout: "10 seconds" })
 *   return yield* runtime.container("web").state
 * }).pipe(Effect.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: PodmanOptions = {}
): Effect.Effect<ContainerRuntime.Service, never, CommandExecutor.CommandExecutor> =>
  Effect.map(
    Runner.make(Options.runnerConfig(options)),
    (runner) => Runtime.make(PodmanDriver.make(runner, Options.driverTimeouts(options)))
  )

/**
 * The live layer.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { ContainerRuntime, Podman } from "effect-podman"
 *
 * const PodmanLive = Podman.layer({ timeout: "20 seconds" }).pipe(Layer.provide(NodeContext.layer))
 *
 * const states = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.containerStates("myapp")).pipe(
 *   Effect.provide(PodmanLive)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: PodmanOptions = {}
): Layer.Layer<ContainerRuntime, never, CommandExecutor.CommandExecutor> =>
  Layer.effect(ContainerRuntime, make(options))

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * Every option of the live layers read from the environment, one variable each: `PODMAN_BINARY`,
 * `PODMAN_URL`, `PODMAN_CONNECTION`, `PODMAN_ROOT`, `PODMAN_RUNROOT`, and the durations (such as
 * `"20 seconds"`) `PODMAN_TIMEOUT`, `PODMAN_START_TIMEOUT`, `PODMAN_STOP_BUFFER`,
 * `PODMAN_REMOVE_TIMEOUT`, `PODMAN_KILL_GRACE`. Unset variables keep the defaults.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { Podman } from "effect-podman"
 *
 * // the same keys under APP_PODMAN_… (the environment's provider joins a nested path with `_`;
 * // `ConfigProvider.fromMap` joins with `.` unless given `{ pathDelim: "_" }`)
 * const nested = Config.nested(Config.all(Podman.envConfig), "APP")
 * export const PodmanFromApp = Podman.layerConfig(nested)
 * ```
 *
 * @since 0.2.0
 * @category config
 */
export const envConfig: { readonly [K in keyof Required<PodmanOptions>]: Config.Config<PodmanOptions[K]> } = {
  binary: optional(Config.string("PODMAN_BINARY")),
  url: optional(Config.string("PODMAN_URL")),
  connection: optional(Config.string("PODMAN_CONNECTION")),
  root: optional(Config.string("PODMAN_ROOT")),
  runroot: optional(Config.string("PODMAN_RUNROOT")),
  timeout: optional(Config.duration("PODMAN_TIMEOUT")),
  startTimeout: optional(Config.duration("PODMAN_START_TIMEOUT")),
  stopBuffer: optional(Config.duration("PODMAN_STOP_BUFFER")),
  removeTimeout: optional(Config.duration("PODMAN_REMOVE_TIMEOUT")),
  killGrace: optional(Config.duration("PODMAN_KILL_GRACE"))
}

/**
 * The live layer, configured from `Config` (the `PgClient.layerConfig` shape): each option is a
 * `Config` of its own. By default every option comes from the environment ({@link envConfig}).
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Config, Layer } from "effect"
 * import { Podman } from "effect-podman"
 *
 * const FromEnv = Podman.layerConfig().pipe(Layer.provide(NodeContext.layer))
 * const Mixed = Podman.layerConfig({ ...Podman.envConfig, timeout: Config.succeed("5 seconds") }).pipe(
 *   Layer.provide(NodeContext.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<PodmanOptions> = envConfig
): Layer.Layer<ContainerRuntime, ConfigError.ConfigError, CommandExecutor.CommandExecutor> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
