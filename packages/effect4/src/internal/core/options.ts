/**
 * The layers' options, read once: the runner's settings (binary, podman's global flags, bounds)
 * and the bounds of the slow operations (start, stop beyond its grace, removal).
 *
 * @internal
 */
import { Duration } from "effect"
import * as Endpoint from "effect-podman-shared/Endpoint"
import type { RunnerConfig } from "../cli/runner.js"

/** The options of the CLI layer (`Podman.PodmanOptions`), which the REST layers take too. @internal */
export interface PodmanOptions {
  /** The podman binary: a name looked up on `PATH`, or a path. Default `"podman"`. */
  readonly binary?: string | undefined
  /** `--url`: a remote podman service (`unix:///run/podman/podman.sock`, `ssh://…`, `tcp://…`). */
  readonly url?: string | undefined
  /** `--connection`: a connection podman knows by name (`podman system connection list`). */
  readonly connection?: string | undefined
  /** `--root`: podman's storage root (another user's or a test's storage). */
  readonly root?: string | undefined
  /** `--runroot`: podman's state folder. */
  readonly runroot?: string | undefined
  /**
   * Bound of each podman call that answers about podman itself (inspect, create, remove, a log
   * dump…). Default 30 seconds. Never of `exec`, `wait` or a followed log unless given a `timeout`.
   */
  readonly timeout?: Duration.Input | undefined
  /** Bound of a container's start (its hooks, its image mounted). Default 60 seconds. */
  readonly startTimeout?: Duration.Input | undefined
  /** Bound of a stop beyond the grace period the stop is given. Default 10 seconds. */
  readonly stopBuffer?: Duration.Input | undefined
  /** Bound of a forced removal (a container's storage can be large). Default 120 seconds. */
  readonly removeTimeout?: Duration.Input | undefined
  /** How long a child gets after SIGTERM before SIGKILL. Default 2 seconds. */
  readonly killGrace?: Duration.Input | undefined
}

/** @internal */
export const runnerConfig = (options: PodmanOptions): RunnerConfig => ({
  binary: options.binary ?? "podman",
  globalArgs: Endpoint.globalArgs(options),
  timeout: Duration.fromInputUnsafe(options.timeout ?? Endpoint.DEFAULT_BOUNDS.timeout),
  killGrace: Duration.fromInputUnsafe(options.killGrace ?? Endpoint.DEFAULT_BOUNDS.killGrace)
})

/** The bounds of start, of stop beyond its grace period, and of a removal. @internal */
export interface Timeouts {
  readonly start: Duration.Duration
  readonly stopBuffer: Duration.Duration
  readonly remove: Duration.Duration
}

/** @internal */
export const timeouts = (options: PodmanOptions): Timeouts => ({
  start: Duration.fromInputUnsafe(options.startTimeout ?? Endpoint.DEFAULT_BOUNDS.startTimeout),
  stopBuffer: Duration.fromInputUnsafe(options.stopBuffer ?? Endpoint.DEFAULT_BOUNDS.stopBuffer),
  remove: Duration.fromInputUnsafe(options.removeTimeout ?? Endpoint.DEFAULT_BOUNDS.removeTimeout)
})

/** The defaults, for a driver made without options. @internal */
export const defaultTimeouts: Timeouts = timeouts({})
