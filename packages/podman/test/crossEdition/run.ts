/**
 * The cross-edition scenarios (packages/shared/test/crossEdition/scenarios.ts) on a layer of the
 * Effect 3 edition (`cli`, the default, `rest`, or `model`: the in-memory layer holding the test
 * image): prints each scenario's outcomes as JSON, for
 * the Effect 4 edition's test to compare with its own
 * (`node --import tsx packages/podman/test/crossEdition/run.ts rest SUFFIX`: SUFFIX makes the
 * container names this run's).
 */
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import {
  attemptSpec,
  errorOutcome,
  logOutcome,
  operation,
  scenariosFor,
  specOf
} from "../../../shared/test/crossEdition/scenarios.js"
import type { Outcome, Scenario, Step } from "../../../shared/test/crossEdition/scenarios.js"
import { testImage } from "../../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import * as TestRuntime from "../../src/TestRuntime.js"
import * as Wait from "../../src/Wait.js"

const step = (runtime: ContainerRuntime.Service, target: string, s: Step): Effect.Effect<Outcome> => {
  const container = runtime.container(target)
  const op = operation<
    Effect.Effect<unknown, { readonly _tag: string; readonly message: string }>,
    typeof container.state,
    ReturnType<typeof container.logs>
  >(container, s)
  const value = op._tag === "state"
    ? Effect.map(op.state, Option.getOrNull)
    : op._tag === "logs"
    ? Effect.map(Stream.runCollect(op.logs), logOutcome)
    : op.effect
  return Effect.match(value, {
    onSuccess: (v): Outcome => ({ step: s.op, value: v ?? null }),
    onFailure: (error) => errorOutcome(s.op, error)
  })
}

const scenario = (runtime: ContainerRuntime.Service, sc: Scenario) =>
  Effect.scoped(Effect.gen(function*() {
    const outcomes: Array<Outcome> = []
    if (sc.run !== undefined) {
      const spec = specOf(sc.run, (value) => Redacted.make(value))
      const ready = sc.run.ready
      yield* (sc.run.createOnly === true
        ? runtime.create(spec)
        : runtime.run(spec, ready === undefined ? undefined : { wait: Wait.forLog(new RegExp(`^${ready}$`)) })).pipe(
          Effect.orDie
        )
      if (sc.run.again === true) {
        outcomes.push(
          yield* Effect.match(Effect.scoped(runtime.run(spec)), {
            onSuccess: (): Outcome => ({ step: "run again", value: "ran" }),
            onFailure: (error) => errorOutcome("run again", error)
          })
        )
      }
    }
    if (sc.attempt !== undefined) {
      outcomes.push(
        yield* Effect.match(Effect.scoped(runtime.run(attemptSpec(sc.attempt))), {
          onSuccess: (): Outcome => ({ step: "attempt", value: "ran" }),
          onFailure: (error) => errorOutcome("attempt", error)
        })
      )
    }
    for (const s of sc.steps) outcomes.push(yield* step(runtime, sc.target, s))
    return { id: sc.id, outcomes }
  }))

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime
  return yield* Effect.forEach(scenariosFor(process.argv[3] ?? "x"), (sc) => scenario(runtime, sc))
})

const model = Layer.effectDiscard(
  Effect.flatMap(TestRuntime.TestRuntimeControl, (control) => control.addImage(testImage))
).pipe(
  Layer.provideMerge(TestRuntime.layer)
)

const layer = process.argv[2] === "rest"
  ? PodmanApi.layerService().pipe(Layer.orDie)
  : process.argv[2] === "model"
  ? model
  : Podman.layer()

Effect.runPromise(program.pipe(Effect.provide(layer.pipe(Layer.provide(NodeContext.layer))))).then(
  (results) => console.log(JSON.stringify(results)),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
