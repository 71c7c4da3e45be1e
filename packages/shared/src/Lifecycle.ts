/**
 * The rules of `run` both editions follow, decided once: its deadline, its words when it fails, and
 * whether a container runs an init.
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

/**
 * `run`'s deadline when none is given: one bound for creating, starting and the wait together.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.DEFAULT_DEADLINE_MILLIS // 60000
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const DEFAULT_DEADLINE_MILLIS = 60_000

/**
 * What is left of `run`'s deadline for the wait, once creating and starting took `elapsedMillis`:
 * never below zero (a wait with nothing left fails at once, saying the deadline passed).
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.remainingMillis(60_000, 450) // 59550
 * Lifecycle.remainingMillis(1_000, 1_200) // 0
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const remainingMillis = (deadlineMillis: number, elapsedMillis: number): number =>
  Math.max(0, deadlineMillis - elapsedMillis)

/**
 * A duration as both editions print it in messages (`1m 30s`, `2s`, `1ms`): the same words whichever
 * Effect's `Duration.format` the edition has.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.formatMillis(90_500) // "1m 30s 500ms"
 * Lifecycle.formatMillis(0) // "0ms"
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const formatMillis = (millis: number): string => {
  if (!Number.isFinite(millis)) return "Infinity"
  const whole = Math.floor(millis)
  const parts: Array<string> = []
  const units: ReadonlyArray<readonly [string, number]> = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], [
    "s",
    1_000
  ], ["ms", 1]]
  let rest = whole
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0) parts.push(`${n}${unit}`)
  }
  const nanos = Math.round((millis - whole) * 1_000_000)
  if (nanos > 0) parts.push(`${nanos}ns`)
  return parts.length === 0 ? "0ms" : parts.join(" ")
}

/**
 * Where `run` was when its deadline passed: creating and starting the container, or waiting for a
 * strategy (by its description).
 *
 * @since 0.5.0
 * @category run
 */
export type Phase = { readonly _tag: "Starting" } | { readonly _tag: "Waiting"; readonly strategy: string }

/**
 * Why `run` failed when its deadline passed (`WaitFailed.reason`).
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.deadlinePassed(2_000, { _tag: "Waiting", strategy: "a log line matching /^ready$/" })
 * // "the deadline of 2s passed waiting for a log line matching /^ready$/"
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const deadlinePassed = (deadlineMillis: number, phase: Phase): string =>
  `the deadline of ${formatMillis(deadlineMillis)} passed ${
    phase._tag === "Starting" ? "while creating and starting" : `waiting for ${phase.strategy}`
  }`

/**
 * `WaitFailed.container` when the deadline passed before the container was made.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.NOT_CREATED // "(not created)"
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const NOT_CREATED = "(not created)"

/**
 * Why `run` failed when the container exited before its wait succeeded.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.exitedBeforeReady(3) // "the container exited with code 3 before it was ready"
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const exitedBeforeReady = (code: number): string => `the container exited with code ${code} before it was ready`

/**
 * How many of its last log lines a container that was not ready leaves in `WaitFailed.logTail`.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.LOG_TAIL_LINES // 50
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const LOG_TAIL_LINES = 50

/**
 * Whether a container runs podman's init as PID 1: as its spec says, and when it says nothing,
 * wherever this host has podman's init binary — a stop then ends the container at once instead of
 * waiting out the grace period a PID 1 that ignores SIGTERM would take.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "effect-podman-shared"
 *
 * Lifecycle.initFor(undefined, true) // true
 * Lifecycle.initFor(false, true) // false
 * ```
 *
 * @since 0.5.0
 * @category run
 */
export const initFor = (requested: boolean | undefined, hostHasInit: boolean): boolean => requested ?? hostHasInit
