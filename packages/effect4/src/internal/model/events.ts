/**
 * The Effect 4 model's event log, as podman keeps one: every lifecycle event of its containers,
 * and followers that read it from a time on and then get what comes.
 *
 * @internal
 */
import { Effect, PubSub, Stream } from "effect"
import type * as Events from "effect-podman-shared/Events"
import type { Container } from "./core.js"

/** @internal */
export const make = Effect.gen(function*() {
  const log: Array<Events.ContainerEvent> = []
  const feed = yield* PubSub.unbounded<{ readonly index: number; readonly event: Events.ContainerEvent }>()
  /** Logs an event of `c` (its exit code on `died`). */
  const emit = (c: Container, status: Events.ContainerEventStatus, exitCode?: number) =>
    Effect.suspend(() => {
      const event: Events.ContainerEvent = {
        name: c.name,
        id: c.id,
        status,
        time: new Date(),
        image: c.imageName,
        exitCode
      }
      const index = log.push(event) - 1
      return Effect.asVoid(PubSub.publish(feed, { index, event }))
    })
  /** What the log holds from `since` on, then what comes (a follower that never ends by itself). */
  const events = (since: Date): Stream.Stream<Events.ContainerEvent> =>
    Stream.unwrap(Effect.gen(function*() {
      const subscription = yield* PubSub.subscribe(feed)
      // the log so far, then the feed from where the snapshot ends (it repeats what came between)
      const seen = log.length
      return Stream.concat(
        Stream.fromIterable(log.slice(0, seen).filter((event) => event.time.getTime() >= since.getTime())),
        Stream.fromSubscription(subscription).pipe(
          Stream.filter((item) => item.index >= seen),
          Stream.map((item) => item.event)
        )
      )
    }))
  return { emit, events }
})
