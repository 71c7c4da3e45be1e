/**
 * The live layers' options (re-exported as `Podman.PodmanOptions`), and the settings of the
 * runner and the driver derived from them.
 *
 * @internal
 */
import { Duration } from "effect"
import * as Endpoint from "effect-podman-shared/Endpoint"
import type * as PodmanDriver from "./driver.js"
import type * as Runner from "./runner.js"

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
  /**
   * Bound of each podman call that answers about podman itself (inspect, list, create, remove, a
   * log dump…). Default 30 seconds. Never of the calls that wait on your job — `exec`,
   * `execStdio`, `wait`, a followed log, events: those run as long as the job unless you pass
   * them a `timeout` of their own.
   */
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

/** `--url`, `--connection`, `--root`, `--runroot`. */

/** The runner's settings from the layer's options. @internal */
export const runnerConfig = (options: PodmanOptions): Runner.RunnerConfig => ({
  binary: options.binary ?? "podman",
  globalArgs: Endpoint.globalArgs(options),
  timeout: Duration.decode(options.timeout ?? Endpoint.DEFAULT_BOUNDS.timeout),
  killGrace: Duration.decode(options.killGrace ?? Endpoint.DEFAULT_BOUNDS.killGrace)
})

/** The per-operation bounds from the layer's options. @internal */
export const driverTimeouts = (options: PodmanOptions): PodmanDriver.DriverTimeouts => ({
  start: Duration.decode(options.startTimeout ?? Endpoint.DEFAULT_BOUNDS.startTimeout),
  stopBuffer: Duration.decode(options.stopBuffer ?? Endpoint.DEFAULT_BOUNDS.stopBuffer),
  remove: Duration.decode(options.removeTimeout ?? Endpoint.DEFAULT_BOUNDS.removeTimeout)
})
