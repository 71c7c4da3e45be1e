/**
 * Container lifecycle events as both editions read them — a line of `podman events --format
 * '{{json .}}'` or of the API's event stream, decoded — and how a stream of them goes on when
 * podman's reader stops (its event log rotated): read again from a little before the last event,
 * what was already delivered dropped. No Effect.
 *
 * @since 0.4.0
 */

/**
 * The lifecycle statuses (podman's others — `cleanup`, `exec`, `restart`, … — are skipped).
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerEventStatus = "create" | "init" | "start" | "died" | "stop" | "kill" | "remove" | "pause" | "unpause"

/**
 * A lifecycle event of a container.
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerEvent {
  readonly name: string
  readonly id: string
  readonly status: ContainerEventStatus
  readonly time: Date
  readonly image: string | undefined
  /** The exit code, on `died`. */
  readonly exitCode: number | undefined
}

const LIFECYCLE: ReadonlySet<string> = new Set<ContainerEventStatus>(["create", "init", "start", "died", "stop", "kill", "remove", "pause", "unpause"])

const text = (value: unknown): string | undefined => typeof value === "string" ? value : undefined
const number = (value: unknown): number | undefined => typeof value === "number" ? value : undefined

/**
 * A lifecycle event from one line podman printed (both the CLI's `Status` / `status` spellings
 * and the API's Docker-compatible form), or `undefined` for another status or a line that is not
 * an event.
 *
 * @example
 * ```ts
 * import { Events } from "effect-podman-shared"
 *
 * Events.decodeEvent(`{"ID":"ab12","Name":"web","Status":"died","Time":"2026-11-29T10:00:00Z","ContainerExitCode":3}`)
 * // { name: "web", id: "ab12", status: "died", exitCode: 3, … }
 * ```
 *
 * @since 0.4.0
 */
export const decodeEvent = (line: string): ContainerEvent | undefined => {
  let raw: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(line)
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined
    raw = parsed as Record<string, unknown>
  } catch {
    return undefined
  }
  const actor = typeof raw["Actor"] === "object" && raw["Actor"] !== null ? raw["Actor"] as Record<string, unknown> : undefined
  const attributes = typeof actor?.["Attributes"] === "object" && actor["Attributes"] !== null
    ? actor["Attributes"] as Record<string, unknown>
    : {}
  const name = text(raw["Name"]) ?? text(raw["name"]) ?? text(attributes["name"])
  const status = (text(raw["Status"]) ?? text(raw["status"]))?.toLowerCase()
  if (name === undefined || status === undefined || !LIFECYCLE.has(status)) return undefined
  const time = raw["Time"] ?? raw["time"]
  const timeNano = number(raw["timeNano"])
  const exitCode = number(raw["ContainerExitCode"]) ?? number(raw["containerExitCode"]) ?? text(attributes["containerExitCode"])
  return {
    name,
    id: text(raw["ID"]) ?? text(raw["id"]) ?? text(actor?.["ID"]) ?? "",
    status: status as ContainerEventStatus,
    // the API's nanoseconds (a float: millisecond precision survives)
    time: timeNano !== undefined
      ? new Date(Math.floor(timeNano / 1e6))
      : typeof time === "number"
      ? new Date(time * 1000)
      : typeof time === "string"
      ? new Date(time)
      : new Date(),
    image: text(raw["Image"]) ?? text(raw["image"]) ?? text(raw["from"]) ?? text(attributes["image"]),
    // the API reports the exit code on every event of the container: it means something on died
    exitCode: (status === "died" || actor === undefined) && exitCode !== undefined ? Number(exitCode) : undefined
  }
}

/**
 * How far back a resumed reader starts, before the last event delivered: podman's reader may stop
 * mid-second, and events of one second may come in any order.
 *
 * @since 0.4.0
 */
export const OVERLAP_MILLIS = 2_000

/**
 * How long to wait before reading again, so a reader that keeps ending cannot spin.
 *
 * @since 0.4.0
 */
export const RESUME_PAUSE_MILLIS = 250

/**
 * The state of a stream of events read in rounds (each from `since()`): `accept` says whether an
 * event is new — one read again in a later round, within the overlap, is dropped; two alike in one
 * round (the same container, status and millisecond) are both new — and `since` where the next
 * round starts.
 *
 * @example
 * ```ts
 * import { Events } from "effect-podman-shared"
 *
 * const rounds = Events.resumption(new Date())
 * const fresh = (event: Events.ContainerEvent) => rounds.accept(event)
 * const nextFrom = () => rounds.since()
 * ```
 *
 * @since 0.4.0
 */
export const resumption = (from: Date): {
  readonly accept: (event: Pick<ContainerEvent, "id" | "status" | "time">) => boolean
  readonly since: () => Date
} => {
  let latest = from.getTime()
  // how many of each were delivered, within the overlap: a resumed reader gives them again
  const delivered = new Map<string, { readonly time: number; readonly count: number }>()
  let thisRound = new Map<string, number>()
  return {
    accept: (event) => {
      const key = `${event.id}\u0000${event.status}\u0000${event.time.getTime()}`
      const seen = (thisRound.get(key) ?? 0) + 1
      thisRound.set(key, seen)
      if (seen <= (delivered.get(key)?.count ?? 0)) return false
      delivered.set(key, { time: event.time.getTime(), count: seen })
      latest = Math.max(latest, event.time.getTime())
      return true
    },
    since: () => {
      const next = Math.max(from.getTime(), latest - OVERLAP_MILLIS)
      for (const [key, { time }] of delivered) if (time < next) delivered.delete(key)
      thisRound = new Map()
      return new Date(next)
    }
  }
}
