/**
 * The session labels that `create` puts on every container, and the liveness check `sweep` uses
 * to find containers whose creating process is gone (`effect-podman-shared/Session`, which reads
 * `/proc` asynchronously), as Effects.
 *
 * @internal
 */
import { Effect } from "effect"
import * as Shared from "effect-podman-shared/Session"

/** @internal */
export const LABEL_SESSION = Shared.LABEL_SESSION
/** @internal */
export const LABEL_PID = Shared.LABEL_PID
/** @internal */
export const LABEL_PID_START = Shared.LABEL_PID_START
/** @internal */
export const SWEEP_ORDER = Shared.SWEEP_ORDER

const read = new Map<string, Promise<Readonly<Record<string, string>>>>()

/** The labels of this process's session (its start time read once). @internal */
export const labels = (session: string): Effect.Effect<Readonly<Record<string, string>>> =>
  Effect.promise(() => {
    const known = read.get(session)
    if (known !== undefined) return known
    const labels = Shared.labels(session)
    read.set(session, labels)
    return labels
  })

/** Whether the process that labelled an object still runs. @internal */
export const isAlive = (objectLabels: Readonly<Record<string, string>>): Effect.Effect<boolean> =>
  Effect.promise(() => Shared.isAlive(objectLabels))
