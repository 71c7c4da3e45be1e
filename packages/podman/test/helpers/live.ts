/** Helpers of the tests that run real podman. */
import { Duration, Effect, Logger, Tracer } from "effect"
import * as Runner from "../../src/internal/cli/runner.js"

/** The library's own argv runner, for setting scenes outside the API under test. */
export const podmanRunner = Runner.make({
  binary: "podman",
  globalArgs: [],
  timeout: Duration.seconds(60),
  killGrace: Duration.seconds(2)
})

/** A logger layer that keeps every message (as JSON) in `logs`. */
export const captureLogs = () => {
  const logs: Array<string> = []
  const layer = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(JSON.stringify(message))))
  return { logs, layer }
}

/** A tracer that keeps every span it makes in `spans`; `traced(effect)` runs an effect under it. */
export const recordSpans = () => {
  const spans: Array<Tracer.Span> = []
  const traced = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(Effect.tracer, (base) =>
      Effect.withTracer(
        effect,
        Tracer.make({
          span: (...args) => {
            const span = base.span(...args)
            spans.push(span)
            return span
          },
          context: base.context
        })
      ))
  return { spans, traced }
}
