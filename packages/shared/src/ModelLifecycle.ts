/**
 * The state machine of both editions' in-memory models, decided once: what a start, the end of a
 * main process and a removal do to a model container — its next state, the events podman 4
 * publishes for it, and what is refused. Each edition keeps its own bookkeeping (fibers, deferreds,
 * pubsubs) and carries these out on its own Effect, as it runs `Shell`'s instructions.
 *
 * @since 0.5.0
 */
import * as Answers from "./PodmanAnswers.js"
import type { Refusal, RunState } from "./PodmanAnswers.js"

/**
 * What a model container is, as far as a start is concerned.
 *
 * @since 0.5.0
 * @category models
 */
export interface Startable {
  readonly id: string
  readonly state: RunState
  /** The CDI devices it asks for. */
  readonly devices: ReadonlyArray<string>
  /** Whether it runs podman's init (catatonit) as PID 1. */
  readonly init: boolean
  /** Its command (its first word is the program). */
  readonly command: ReadonlyArray<string>
}

/**
 * What a start does: nothing (it runs already), a refusal (podman's, with its words), or a start —
 * the events to publish, in order, and what its main process is: the test's script, the command
 * the model runs, or catatonit saying the program is missing (and exiting 1).
 *
 * @since 0.5.0
 * @category models
 */
export type StartPlan =
  | { readonly _tag: "Running" }
  | { readonly _tag: "Refused"; readonly refusal: Refusal }
  | {
    readonly _tag: "Start"
    readonly state: "running"
    readonly events: ReadonlyArray<"init" | "start">
    readonly main: "scripted" | "command" | "initMissing"
  }

/**
 * How a model starts a container: running or paused, nothing; CDI devices no spec declares, or a
 * program the image lacks without an init, refused as podman refuses them; otherwise it runs, and
 * podman 4 publishes `init` then `start`.
 *
 * @example
 * ```ts
 * import { ModelLifecycle } from "effect-podman-shared"
 *
 * const plan = ModelLifecycle.startPlan(
 *   { id: "abc", state: "created", devices: [], init: true, command: ["no-such-program"] },
 *   { cdiDevices: [], scripted: false, missing: true }
 * )
 * // { _tag: "Start", state: "running", events: ["init", "start"], main: "initMissing" }
 * ```
 *
 * @since 0.5.0
 * @category models
 */
export const startPlan = (
  container: Startable,
  facts: {
    /** The CDI devices the host's specs declare. */
    readonly cdiDevices: ReadonlyArray<string>
    /** Whether a test scripted the main process. */
    readonly scripted: boolean
    /** Whether the image lacks the command's program (`Shell.isMissing`). */
    readonly missing: boolean
    /** The start of a `podman run` (its refusals are worded as run's), not a `podman start`. */
    readonly run?: boolean | undefined
  }
): StartPlan => {
  if (container.state === "running" || container.state === "paused") return { _tag: "Running" }
  const unresolved = container.devices.filter((device) => !facts.cdiDevices.includes(device))
  if (unresolved.length > 0) {
    return { _tag: "Refused", refusal: Answers.cdiUnresolved(unresolved, facts.run === true ? undefined : container) }
  }
  const missing = !facts.scripted && facts.missing
  if (missing && !container.init) {
    return { _tag: "Refused", refusal: Answers.startMissing(container.id, container.command[0] ?? "") }
  }
  return {
    _tag: "Start",
    state: "running",
    events: ["init", "start"],
    main: facts.scripted ? "scripted" : missing ? "initMissing" : "command"
  }
}

/**
 * Whether a container's main process can end now (it runs, or is paused): an end of a container
 * that has ended already changes nothing. When it ends, the container is `exited` with the code and
 * podman 4 publishes `died`.
 *
 * @example
 * ```ts
 * import { ModelLifecycle } from "effect-podman-shared"
 *
 * ModelLifecycle.canEnd("paused") // true
 * ModelLifecycle.canEnd("exited") // false
 * ```
 *
 * @since 0.5.0
 * @category models
 */
export const canEnd = (state: RunState): boolean => state === "running" || state === "paused"

/**
 * What the end of a main process publishes, and the state it leaves.
 *
 * @example
 * ```ts
 * import { ModelLifecycle } from "effect-podman-shared"
 *
 * ModelLifecycle.END.events // ["died"]
 * ```
 *
 * @since 0.5.0
 * @category models
 */
export const END = { state: "exited", events: ["died"] } as const

/**
 * What a forced removal does: a running main process is killed (137, SIGKILL), whoever waits on
 * it hears 137, and podman 4 publishes `remove`. An absent container counts as removed.
 *
 * @example
 * ```ts
 * import { ModelLifecycle } from "effect-podman-shared"
 *
 * ModelLifecycle.REMOVE.exitCode // 137
 * ```
 *
 * @since 0.5.0
 * @category models
 */
export const REMOVE = { exitCode: 137, events: ["remove"] } as const
