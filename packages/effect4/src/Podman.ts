/**
 * The CLI layer of the Effect 4 edition: one `podman` process per call, through `effect/process`.
 *
 * @since 0.4.0
 */
import { Config, Duration, Effect, Layer, Option } from "effect"
import type { ChildProcessSpawner } from "effect/process"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as Cli from "./internal/cli.js"
import * as Runner from "./internal/runner.js"
import * as Runtime from "./internal/runtime.js"

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
export interface PodmanOptions {
  /** The podman binary: a name looked up on `PATH`, or a path. Default `"podman"`. */
  readonly binary?: string | undefined
  /** `--url`: a remote podman service. */
  readonly url?: string | undefined
  /**
   * Bound of each podman call that answers about podman itself (inspect, create, remove, a log
   * dump…). Default 30 seconds. Never of `exec`, `wait` or a followed log unless given a `timeout`.
   */
  readonly timeout?: Duration.Input | undefined
  /** How long a child gets after SIGTERM before SIGKILL. Default 2 seconds. */
  readonly killGrace?: Duration.Input | undefined
}

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
  Layer.effect(ContainerRuntime)(Effect.map(Runner.make, (make) =>
    Runtime.make(Cli.make(make({
      binary: options.binary ?? "podman",
      globalArgs: options.url === undefined ? [] : ["--url", options.url],
      timeout: Duration.fromInputUnsafe(options.timeout ?? "30 seconds"),
      killGrace: Duration.fromInputUnsafe(options.killGrace ?? "2 seconds")
    })))))

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * Every option of the layers read from the environment, one variable each: `PODMAN_BINARY`,
 * `PODMAN_URL`, and the durations (such as `"20 seconds"`) `PODMAN_TIMEOUT`, `PODMAN_KILL_GRACE`
 * — the Effect 3 edition's names. Unset variables keep the defaults.
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
