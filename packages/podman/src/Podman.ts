/**
 * The live `ContainerRuntime`: the podman CLI, driven through one argv runner.
 *
 * @since 0.1.0
 */
import type { CommandExecutor } from "@effect/platform"
import { Config, Effect, Layer, Option } from "effect"
import type { ConfigError, Duration } from "effect"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as Options from "./internal/options.js"
import * as PodmanDriver from "./internal/podmanDriver.js"
import * as Runner from "./internal/runner.js"
import * as Runtime from "./internal/runtime.js"

/**
 * Options of the live layer. Every field is optional.
 *
 * @example
 * ```ts
 * import type { Podman } from "effect-podman"
 *
 * const options: Podman.PodmanOptions = { binary: "/usr/bin/podman", timeout: "20 seconds", killGrace: "1 second" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface PodmanOptions {
  /** The podman binary: a name looked up on `PATH`, or a path. Default `"podman"`. */
  readonly binary?: string | undefined
  /** `--url`: a remote podman service (`unix:///run/podman/podman.sock`, `ssh://…`, `tcp://…`). */
  readonly url?: string | undefined
  /** `--connection`: a named system connection. */
  readonly connection?: string | undefined
  /** `--root`: the storage root. */
  readonly root?: string | undefined
  /** `--runroot`: the storage state directory. */
  readonly runroot?: string | undefined
  /** Bound of each podman call that has no bound of its own. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Bound of `podman start`. Default 60 seconds. */
  readonly startTimeout?: Duration.DurationInput | undefined
  /** Added to a stop's grace period to bound `podman stop`. Default 10 seconds. */
  readonly stopBuffer?: Duration.DurationInput | undefined
  /** Bound of a batched `podman rm -f`. Default 120 seconds. */
  readonly removeTimeout?: Duration.DurationInput | undefined
  /** How long a child gets after SIGTERM before SIGKILL. Default 2 seconds. */
  readonly killGrace?: Duration.DurationInput | undefined
}

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
): Effect.Effect<ContainerRuntime, never, CommandExecutor.CommandExecutor> =>
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
 * The live layer, configured from `Config`: `PODMAN_BINARY`, `PODMAN_URL`, `PODMAN_CONNECTION`,
 * `PODMAN_ROOT`, `PODMAN_RUNROOT`, `PODMAN_TIMEOUT`, `PODMAN_START_TIMEOUT` (durations such as
 * `"20 seconds"`), or the same keys under a prefix of your choice via `Config.nested`.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Podman } from "effect-podman"
 *
 * const PodmanLive = Podman.layerConfig().pipe(Layer.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (): Layer.Layer<
  ContainerRuntime,
  ConfigError.ConfigError,
  CommandExecutor.CommandExecutor
> =>
  Layer.unwrapEffect(
    Effect.map(
      Config.all({
        binary: optional(Config.string("PODMAN_BINARY")),
        url: optional(Config.string("PODMAN_URL")),
        connection: optional(Config.string("PODMAN_CONNECTION")),
        root: optional(Config.string("PODMAN_ROOT")),
        runroot: optional(Config.string("PODMAN_RUNROOT")),
        timeout: optional(Config.duration("PODMAN_TIMEOUT")),
        startTimeout: optional(Config.duration("PODMAN_START_TIMEOUT"))
      }),
      layer
    )
  )
