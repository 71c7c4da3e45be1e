/**
 * The CLI layer of the Effect 4 edition: one `podman` process per call, through `effect/process`.
 *
 * @since 0.4.0
 */
import { Config, Effect, Layer, Option } from "effect"
import type { ChildProcessSpawner } from "effect/process"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type * as ContainerRuntimeModule from "./ContainerRuntime.js"
import * as Cli from "./internal/cli/driver.js"
import * as Runner from "./internal/cli/runner.js"
import * as Options from "./internal/core/options.js"
import type { PodmanOptions } from "./internal/core/options.js"
import * as Runtime from "./internal/core/runtime.js"

/**
 * Options of the layer. Every field is optional.
 *
 * @example
 * ```ts
 * import type { Podman } from "effect-podman-4"
 *
 * const options: Podman.PodmanOptions = { binary: "/usr/bin/podman", timeout: "20 seconds", killGrace: "1 second" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type { PodmanOptions } from "./internal/core/options.js"

/**
 * The service itself, for a layer of your own (`Layer.effect(ContainerRuntime.ContainerRuntime)(Podman.make(options))`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Podman } from "effect-podman-4"
 *
 * const states = Effect.flatMap(Podman.make({ binary: "podman" }), (runtime) => runtime.containerStates("myapp"))
 * ```
 *
 * @since 0.4.0
 * @category constructors
 */
export const make = (
  options: PodmanOptions = {}
): Effect.Effect<ContainerRuntimeModule.Service, never, ChildProcessSpawner.ChildProcessSpawner> =>
  Effect.map(
    Runner.make,
    (makeRunner) => Runtime.make(Cli.make(makeRunner(Options.runnerConfig(options)), Options.timeouts(options)))
  )

/**
 * The service over a `ChildProcessSpawner` (`NodeServices.layer` of `@effect/platform-node`).
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Podman } from "effect-podman-4"
 *
 * const PodmanLive = Podman.layer().pipe(Layer.provide(NodeServices.layer))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layer = (
  options: PodmanOptions = {}
): Layer.Layer<ContainerRuntime, never, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.effect(ContainerRuntime)(make(options))

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * Every option of the layers read from the environment, one variable each: `PODMAN_BINARY`,
 * `PODMAN_URL`, `PODMAN_CONNECTION`, `PODMAN_ROOT`, `PODMAN_RUNROOT`, and the durations (such as
 * `"20 seconds"`) `PODMAN_TIMEOUT`, `PODMAN_START_TIMEOUT`, `PODMAN_STOP_BUFFER`,
 * `PODMAN_REMOVE_TIMEOUT`, `PODMAN_KILL_GRACE` — the Effect 3 edition's names. Unset variables
 * keep the defaults.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { Podman } from "effect-podman-4"
 *
 * const quick = Podman.layerConfig({ ...Podman.envConfig, timeout: Config.succeed("5 seconds") })
 * ```
 *
 * @since 0.4.0
 * @category config
 */
export const envConfig: { readonly [K in keyof Required<PodmanOptions>]: Config.Config<PodmanOptions[K]> } = {
  binary: optional(Config.String("PODMAN_BINARY")),
  url: optional(Config.String("PODMAN_URL")),
  timeout: optional(Config.Duration("PODMAN_TIMEOUT")),
  connection: optional(Config.String("PODMAN_CONNECTION")),
  root: optional(Config.String("PODMAN_ROOT")),
  runroot: optional(Config.String("PODMAN_RUNROOT")),
  startTimeout: optional(Config.Duration("PODMAN_START_TIMEOUT")),
  stopBuffer: optional(Config.Duration("PODMAN_STOP_BUFFER")),
  removeTimeout: optional(Config.Duration("PODMAN_REMOVE_TIMEOUT")),
  killGrace: optional(Config.Duration("PODMAN_KILL_GRACE"))
}

/**
 * The CLI layer, configured from `Config`: each option a `Config` of its own, by default from the
 * environment ({@link envConfig}).
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Podman } from "effect-podman-4"
 *
 * const FromEnv = Podman.layerConfig().pipe(Layer.provide(NodeServices.layer))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Wrap<PodmanOptions> = envConfig
): Layer.Layer<ContainerRuntime, Config.ConfigError, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.unwrap(Effect.gen(function*() {
    return layer(yield* Config.unwrap(config))
  }))
