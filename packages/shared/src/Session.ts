/**
 * The session labels `create` puts on every container (and network, volume, pod), and the
 * liveness check `sweep` uses to find what a process that is gone left behind — no reaper sidecar.
 * `/proc` is read asynchronously, never on the event loop's own time.
 *
 * @since 0.4.0
 */
import { readFile } from "node:fs/promises"

/**
 * The label naming the session (one per runtime).
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * Session.LABEL_SESSION // "effect-podman.session"
 * ```
 *
 * @since 0.4.0
 * @category labels
 */
export const LABEL_SESSION = "effect-podman.session"

/**
 * The label naming the pid of the process that created the object.
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * Session.LABEL_PID // "effect-podman.pid"
 * ```
 *
 * @since 0.4.0
 * @category labels
 */
export const LABEL_PID = "effect-podman.pid"

/**
 * The label holding that process's start time (a reused pid is another process).
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * Session.LABEL_PID_START // "effect-podman.pid-start"
 * ```
 *
 * @since 0.4.0
 * @category labels
 */
export const LABEL_PID_START = "effect-podman.pid-start"

/** A process's start time in clock ticks since boot (`/proc/PID/stat` field 22), where readable. */
const startTimeOf = (pid: number): Promise<string> =>
  readFile(`/proc/${pid}/stat`, "utf8").then(
    (stat) => stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "",
    () => ""
  )

/**
 * The labels of this process's session.
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * const labels: Promise<Readonly<Record<string, string>>> = Session.labels("3f1c…")
 * ```
 *
 * @since 0.4.0
 * @category labels
 */
export const labels = async (session: string): Promise<Readonly<Record<string, string>>> => ({
  [LABEL_SESSION]: session,
  [LABEL_PID]: String(process.pid),
  [LABEL_PID_START]: await startTimeOf(process.pid)
})

/**
 * Whether the process that labelled an object still runs: its pid exists (signal 0 is delivered,
 * or refused for permission) and, where both are known, started when the label says. Objects
 * without the pid label are not ours to judge: alive.
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * const alive: Promise<boolean> = Session.isAlive({ "effect-podman.pid": String(process.pid) })
 * ```
 *
 * @since 0.4.0
 * @category liveness
 */
export const isAlive = async (objectLabels: Readonly<Record<string, string>>): Promise<boolean> => {
  const pid = Number(objectLabels[LABEL_PID])
  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false
  }
  const labelled = objectLabels[LABEL_PID_START] ?? ""
  const actual = await startTimeOf(pid)
  return labelled === "" || actual === "" || labelled === actual
}

/**
 * The order `sweep` removes what dead sessions left: pods first (each takes its containers with
 * it, and its infra container, which carries the pod's labels and which podman removes only with
 * the pod), then containers, then the networks and volumes they used (podman refuses to remove
 * either while a container uses it).
 *
 * @example
 * ```ts
 * import { Session } from "effect-podman-shared"
 *
 * Session.SWEEP_ORDER // ["pod", "container", "network", "volume"]
 * ```
 *
 * @since 0.5.0
 * @category sweep
 */
export const SWEEP_ORDER = ["pod", "container", "network", "volume"] as const
