/**
 * Container lifecycle events, as `ContainerRuntime.events` streams them. (Also reachable as
 * `Container.*` and `ContainerRuntime.*`.)
 *
 * @since 0.3.0
 */
import type { Option } from "effect"

/**
 * The lifecycle statuses `ContainerRuntime.events` reports.
 *
 * @example
 * ```ts
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const ends: ReadonlyArray<ContainerRuntime.ContainerEventStatus> = ["died", "remove"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ContainerEventStatus =
  | "create"
  | "init"
  | "start"
  | "died"
  | "stop"
  | "kill"
  | "remove"
  | "pause"
  | "unpause"

/**
 * A lifecycle event of a container.
 *
 * @example
 * ```ts
 * import { Effect, Option, Stream } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const crashes = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) =>
 *   rt.events("jobs").pipe(
 *     Stream.filter((e) => e.status === "died" && Option.getOrElse(e.exitCode, () => 0) !== 0),
 *     Stream.runForEach((e) => Effect.logWarning(`${e.name} crashed`))
 *   ))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ContainerEvent {
  readonly name: string
  readonly id: string
  readonly status: ContainerEventStatus
  readonly time: Date
  readonly image: Option.Option<string>
  /** The exit code, on `died`. */
  readonly exitCode: Option.Option<number>
}
