/**
 * The event stream, resumed across the ends podman gives it.
 *
 * podman's `file` event logger rotates its log when it outgrows `events_logfile_max_size` (1 MB by
 * default), and a reader that asked for `--since` then stops as if the stream were over: `podman
 * events` exits 0 and the API's response ends. Measured on podman 4.3: an hour of a busy test
 * suite rotates the log. A caller's event stream never ends for that reason: it is resumed from the
 * last event it delivered, and an event read twice across the seam is delivered once.
 *
 * @internal
 */
import { Duration, Effect, Stream } from "effect"
import type { ContainerEvent } from "../../Container.js"
import type { PodmanError } from "../../PodmanError.js"

/** How long to wait before asking again, so a reader that keeps ending cannot spin. */
const RESUME_PAUSE = Duration.millis(250)

/**
 * How far before the last event a resumed reader starts: podman writes an event's time before it
 * takes the log's lock, so the log is not quite in time order across processes.
 */
const OVERLAP_MILLIS = 2_000

const keyOf = (event: ContainerEvent) => `${event.id}\u0000${event.status}\u0000${event.time.getTime()}`

/**
 * Every event from `since` on, however often `read` ends: each end is followed, after a short
 * pause, by a new `read` from shortly before the last event delivered; what was delivered already
 * is dropped.
 *
 * @internal
 */
export const resumed = (
  read: (since: Date) => Stream.Stream<ContainerEvent, PodmanError>,
  since: Date
): Stream.Stream<ContainerEvent, PodmanError> =>
  Stream.suspend(() => {
    let latest = since.getTime()
    // what was delivered within the overlap: a resumed reader gives it again
    const delivered = new Map<string, number>()
    const round = (from: number, pause: boolean): Stream.Stream<ContainerEvent, PodmanError> =>
      Stream.unwrap(Effect.as(pause ? Effect.sleep(RESUME_PAUSE) : Effect.void, read(new Date(from)))).pipe(
        Stream.filter((event) => {
          const key = keyOf(event)
          if (delivered.has(key)) return false
          delivered.set(key, event.time.getTime())
          latest = Math.max(latest, event.time.getTime())
          return true
        }),
        Stream.concat(Stream.suspend(() => {
          const next = Math.max(since.getTime(), latest - OVERLAP_MILLIS)
          for (const [key, time] of delivered) if (time < next) delivered.delete(key)
          return round(next, true)
        }))
      )
    return round(since.getTime(), false)
  })
