/**
 * Where the time of one call goes: a tracer that keeps every span's start and end, so the bench can
 * print a call's phases (each span's median start and duration from the call's own start) — the
 * library's spans (`podman container.run`, each libpod request) and what lies between them.
 */
import { Effect, Tracer } from "effect"

interface Recorded {
  readonly name: string
  readonly start: bigint
  end: bigint | undefined
}

/** A tracer that records; `take` returns and forgets what it recorded. */
export const recorder = () => {
  let spans: Array<Recorded> = []
  let next = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const recorded: Recorded = { name, start: startTime, end: undefined }
      spans.push(recorded)
      const id = String(next++)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: id,
        traceId: "bench",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: new Map(),
        links,
        sampled: true,
        kind,
        end: (endTime) => {
          recorded.end = endTime
        },
        attribute: () => {},
        event: () => {},
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
  return {
    /** Runs an effect under this tracer. */
    traced: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.withTracer(effect, tracer),
    take: () => {
      const taken = spans
      spans = []
      return taken
    }
  }
}

/** One phase of a call: a span's name, and its median start and duration (ms from the call's start). */
export interface Phase {
  readonly name: string
  readonly at: number
  readonly took: number
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const ms = (ns: bigint) => Number(ns) / 1e6

/**
 * The phases of calls, each call's spans measured from `start` (a span named so, which every call
 * has once); spans of one name that occur more than once in a call are numbered in their order.
 */
export const phases = (calls: ReadonlyArray<ReadonlyArray<Recorded>>, start: string): Array<Phase> => {
  const byName = new Map<string, { at: Array<number>; took: Array<number> }>()
  for (const spans of calls) {
    const origin = spans.find((s) => s.name === start)
    if (origin === undefined) continue
    const seen = new Map<string, number>()
    for (const span of [...spans].sort((a, b) => Number(a.start - b.start))) {
      if (span.end === undefined) continue
      const count = (seen.get(span.name) ?? 0) + 1
      seen.set(span.name, count)
      const key = count === 1 ? span.name : `${span.name} #${count}`
      const entry = byName.get(key) ?? { at: [], took: [] }
      entry.at.push(ms(span.start - origin.start))
      entry.took.push(ms(span.end - span.start))
      byName.set(key, entry)
    }
  }
  return [...byName.entries()]
    .map(([name, { at, took }]) => ({ name, at: median(at), took: median(took) }))
    .sort((a, b) => a.at - b.at)
}
