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
import * as SharedEvents from "effect-podman-shared/Events"
import type { ContainerEvent } from "../../Container.js"
import type { PodmanError } from "../../PodmanError.js"

/**
 * Every event from `since` on, however often `read` ends: each end is followed, after a pause
 * (longer each time a round gave nothing new), by a new `read` from shortly before the last event
 * delivered; what was delivered already is dropped, and an event whose line had no time is
 * delivered once (`effect-podman-shared/Events.resumption`).
 *
 * @internal
 */
export const resumed = (
  read: (since: Date) => Stream.Stream<ContainerEvent, PodmanError>,
  since: Date
): Stream.Stream<ContainerEvent, PodmanError> =>
  Stream.suspend(() => {
    const rounds = SharedEvents.resumption(since)
    const round = (from: Date, pause: boolean): Stream.Stream<ContainerEvent, PodmanError> =>
      Stream.unwrap(Effect.as(pause ? Effect.sleep(Duration.millis(rounds.pause())) : Effect.void, read(from))).pipe(
        Stream.filter(rounds.accept),
        Stream.concat(Stream.suspend(() => round(rounds.since(), true)))
      )
    return round(since, false)
  })
