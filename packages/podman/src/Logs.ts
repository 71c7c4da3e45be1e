/**
 * A container's log: the options of `logs` and `logEntries`, and an entry with its stream. (Also
 * reachable as `Container.*` and `ContainerRuntime.*`.)
 *
 * @since 0.3.0
 */

/**
 * A log line and the stream the container wrote it to.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const errorsOnly = (container: ContainerRuntime.Container) =>
 *   container.logEntries().pipe(Stream.filter((entry) => entry.stream === "stderr"), Stream.map((entry) => entry.line))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface LogEntry {
  readonly stream: "stdout" | "stderr"
  readonly line: string
}

/**
 * Options of `Container.logs`.
 *
 * @example
 * ```ts
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const lastHour: ContainerRuntime.LogsOptions = { follow: true, tail: 100, since: new Date(Date.now() - 3_600_000) }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface LogsOptions {
  /** Keep streaming new lines until the container stops. Default `false`. */
  readonly follow?: boolean | undefined
  /** Only the last `tail` lines already written (then new ones, with `follow`). */
  readonly tail?: number | undefined
  /** Only lines written at or after this time. */
  readonly since?: Date | undefined
}
