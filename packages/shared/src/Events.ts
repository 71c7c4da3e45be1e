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

const LIFECYCLE: ReadonlySet<string> = new Set<ContainerEventStatus>([
  "create",
  "init",
  "start",
  "died",
  "stop",
  "kill",
  "remove",
  "pause",
  "unpause"
])

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
  const actor = typeof raw["Actor"] === "object" && raw["Actor"] !== null
    ? raw["Actor"] as Record<string, unknown>
    : undefined
  const attributes = typeof actor?.["Attributes"] === "object" && actor["Attributes"] !== null
    ? actor["Attributes"] as Record<string, unknown>
    : {}
  const name = text(raw["Name"]) ?? text(raw["name"]) ?? text(attributes["name"])
  const status = (text(raw["Status"]) ?? text(raw["status"]))?.toLowerCase()
  if (name === undefined || status === undefined || !LIFECYCLE.has(status)) return undefined
  const time = raw["Time"] ?? raw["time"]
  const timeNano = number(raw["timeNano"])
  const exitCode = number(raw["ContainerExitCode"]) ?? number(raw["containerExitCode"]) ??
    text(attributes["containerExitCode"])
  const event: ContainerEvent = {
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
  // a line without a time cannot be placed: its time is when it was read, and `resumption` delivers it once
  if (timeNano === undefined && typeof time !== "number" && typeof time !== "string") untimed.add(event)
  return event
}

/** The decoded events whose line carried no time (their `time` is when they were read). */
const untimed = new WeakSet<object>()

/**
 * Carries the mark of an event whose line had no time (`decodeEvent` sets it) to an event made
 * from it (an edition's own shape), so `resumption` still delivers it once.
 *
 * @example
 * ```ts
 * import { Events } from "effect-podman-shared"
 *
 * const decoded = Events.decodeEvent(JSON.stringify({ Name: "web-1", Status: "start" }))
 * const mine = decoded === undefined ? undefined : Events.carryUntimed(decoded, { ...decoded, image: null })
 * ```
 *
 * @since 0.4.0
 */
export const carryUntimed = <A extends object>(from: object, to: A): A => {
  if (untimed.has(from)) untimed.add(to)
  return to
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
 * The longest pause between reads: a reader that ends at once again and again (and gives nothing
 * new) is read ever less often, up to this.
 *
 * @since 0.4.0
 */
export const MAX_RESUME_PAUSE_MILLIS = 8_000

/** At most this many events without a time are remembered, to deliver each once. */
const UNTIMED_KEPT = 10_000

/**
 * The state of a stream of events read in rounds (each from `since()`): `accept` says whether an
 * event is new — one read again in a later round, within the overlap, is dropped; two alike in one
 * round (the same container, status and millisecond) are both new; one whose line had no time is
 * delivered once —, `since` where the next round starts, and `pause` how long to wait before it
 * (longer each time a round gave nothing new, up to `MAX_RESUME_PAUSE_MILLIS`).
 *
 * @example
 * ```ts
 * import { Events } from "effect-podman-shared"
 *
 * const rounds = Events.resumption(new Date())
 * const fresh = (event: Events.ContainerEvent) => rounds.accept(event)
 * const nextFrom = () => rounds.since()
 * const wait = () => rounds.pause() // milliseconds before the next read
 * ```
 *
 * @since 0.4.0
 */
export const resumption = (from: Date): {
  readonly accept: (
    event: Pick<ContainerEvent, "id" | "status" | "time"> & { readonly name?: string | undefined }
  ) => boolean
  readonly since: () => Date
  readonly pause: () => number
} => {
  let latest = from.getTime()
  // how many of each were delivered, within the overlap: a resumed reader gives them again
  const delivered = new Map<string, { readonly time: number; readonly count: number }>()
  let thisRound = new Map<string, number>()
  // events whose line had no time: the same line every round, with another read time — once each
  const deliveredUntimed = new Set<string>()
  let fresh = false
  let pause = RESUME_PAUSE_MILLIS
  return {
    accept: (event) => {
      if (untimed.has(event)) {
        const key = `${event.id}\u0000${event.name ?? ""}\u0000${event.status}`
        if (deliveredUntimed.has(key)) return false
        deliveredUntimed.add(key)
        if (deliveredUntimed.size > UNTIMED_KEPT) deliveredUntimed.delete(deliveredUntimed.values().next().value!)
        fresh = true
        return true
      }
      const key = `${event.id}\u0000${event.status}\u0000${event.time.getTime()}`
      const seen = (thisRound.get(key) ?? 0) + 1
      thisRound.set(key, seen)
      if (seen <= (delivered.get(key)?.count ?? 0)) return false
      delivered.set(key, { time: event.time.getTime(), count: seen })
      latest = Math.max(latest, event.time.getTime())
      fresh = true
      return true
    },
    since: () => {
      const next = Math.max(from.getTime(), latest - OVERLAP_MILLIS)
      for (const [key, { time }] of delivered) if (time < next) delivered.delete(key)
      thisRound = new Map()
      return new Date(next)
    },
    pause: () => {
      // a round that gave something new: read again soon; one that gave nothing: twice as late
      pause = fresh ? RESUME_PAUSE_MILLIS : Math.min(pause * 2, MAX_RESUME_PAUSE_MILLIS)
      fresh = false
      return pause
    }
  }
}
