/**
 * The session labels that `create` puts on every container, and the liveness check `sweep` uses
 * to find containers whose creating process is gone (no reaper sidecar needed).
 *
 * @internal
 */
import { readFileSync } from "node:fs"

/** @internal */
export const LABEL_SESSION = "effect-podman.session"
/** @internal */
export const LABEL_PID = "effect-podman.pid"
/** @internal */
export const LABEL_PID_START = "effect-podman.pid-start"

/** A process's start time in clock ticks since boot (`/proc/PID/stat` field 22), where readable. */
const startTimeOf = (pid: number): string => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? ""
  } catch {
    return ""
  }
}

/** The labels of this process's session. @internal */
export const labels = (session: string): Readonly<Record<string, string>> => ({
  [LABEL_SESSION]: session,
  [LABEL_PID]: String(process.pid),
  [LABEL_PID_START]: startTimeOf(process.pid)
})

/**
 * Whether the process that labelled a container still runs: its pid exists (signal 0 is
 * delivered, or refused for permission) and, where both are known, started when the label says —
 * a reused pid is another process.
 *
 * @internal
 */
export const isAlive = (containerLabels: Readonly<Record<string, string>>): boolean => {
  const pid = Number(containerLabels[LABEL_PID])
  if (!Number.isInteger(pid) || pid <= 0) return true // not ours to judge: leave it alone
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false
  }
  const labelled = containerLabels[LABEL_PID_START] ?? ""
  const actual = startTimeOf(pid)
  return labelled === "" || actual === "" || labelled === actual
}
