/**
 * The rules of `run` both editions follow, decided once.
 *
 * @since 0.5.0
 */

/**
 * How long `run` lets a wait strategy try before it also watches for the container's exit (a
 * `podman wait`, a process of its own on the CLI layer): a container that is ready by then never
 * pays for the watch, and one that dies early is still reported within a fraction of a second. Long
 * enough for a first check over the CLI (a `podman inspect` and a read of the log) on a busy machine.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.EXIT_WATCH_DELAY_MILLIS // 250
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const EXIT_WATCH_DELAY_MILLIS = 250
