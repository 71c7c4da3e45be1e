/**
 * What podman's JSON says, as data both editions read the same way.
 *
 * @since 0.4.0
 */

/**
 * A container's state, as podman names it.
 *
 * @example
 * ```ts
 * import type { PodmanJson } from "effect-podman-shared"
 *
 * const finished = (state: PodmanJson.ContainerState) => state === "exited" || state === "stopped"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerState =
  | "created"
  | "initialized"
  | "configured"
  | "running"
  | "paused"
  | "stopping"
  | "stopped"
  | "exited"
  | "removing"
  | "unknown"

const STATES: ReadonlySet<string> = new Set<ContainerState>([
  "created",
  "initialized",
  "configured",
  "running",
  "paused",
  "stopping",
  "stopped",
  "exited",
  "removing"
])

/**
 * podman's `State.Status` (any case) as a {@link ContainerState}; `unknown` for what it is not.
 *
 * @example
 * ```ts
 * import { PodmanJson } from "effect-podman-shared"
 *
 * PodmanJson.toContainerState("Running") // "running"
 * ```
 *
 * @since 0.4.0
 * @category parsing
 */
export const toContainerState = (status: string): ContainerState => {
  const state = status.toLowerCase()
  return STATES.has(state) ? (state as ContainerState) : "unknown"
}
