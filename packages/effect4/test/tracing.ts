/**
 * A tracer that keeps every span it makes, for tests that read what was traced: `traced(effect)`
 * runs an effect under it, `spans` holds what it made (the base tracer still gets every span).
 */
import { Effect, Tracer } from "effect"

export const recordSpans = () => {
  const spans: Array<Tracer.Span> = []
  const traced = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Effect.tracer, (base) =>
      Effect.withTracer(
        effect,
        Tracer.make({
          span(options) {
            const span = base.span(options)
            spans.push(span)
            return span
          },
          ...(base.context === undefined ? {} : { context: base.context })
        })
      ))
  return { spans, traced }
}
