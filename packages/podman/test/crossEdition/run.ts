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
import { HOST_MODE } from "../../../shared/test/crossEdition/hostMode.js"
import {
  attemptSpec,
  errorOutcome,
  logOutcome,
  makeBlockingFile,
  operation,
  runOptions,
  scenariosFor,
  specOf
} from "../../../shared/test/crossEdition/interpret.js"
import type { Outcome } from "../../../shared/test/crossEdition/interpret.js"
import type { Scenario, Step } from "../../../shared/test/crossEdition/scenarios.js"
import { testImage } from "../../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import * as TestRuntime from "../../src/TestRuntime.js"
import * as Wait from "../../src/Wait.js"

const step = (runtime: ContainerRuntime.Service, sc: Scenario, s: Step, suffix: string): Effect.Effect<Outcome> => {
  const container = runtime.container(sc.target)
  const op = operation<
    Effect.Effect<unknown, { readonly _tag: string; readonly message: string }>,
    Effect.Effect<Option.Option<unknown>, { readonly _tag: string; readonly message: string }>,
    ReturnType<typeof container.logs>
  >(container, s, suffix)
  const value = op._tag === "option"
    ? Effect.map(op.option, Option.getOrNull)
    : op._tag === "logs"
    ? Effect.map(Stream.runCollect(op.logs), logOutcome)
    : op.effect
  return Effect.match(value, {
    onSuccess: (v): Outcome => ({ step: s.op, value: v ?? null }),
    onFailure: (error) => errorOutcome(s.op, error)
  })
}

const scenario = (runtime: ContainerRuntime.Service, sc: Scenario, suffix: string) =>
  Effect.scoped(Effect.gen(function*() {
    const outcomes: Array<Outcome> = []
    if (sc.run !== undefined) {
      if (sc.run.volume !== undefined) yield* Effect.orDie(runtime.volume({ name: sc.run.volume }))
      const spec = specOf(sc.run, (value) => Redacted.make(value))
      yield* (sc.run.createOnly === true ? runtime.create(spec) : runtime.run(spec, runOptions(Wait, sc.run))).pipe(
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
        yield* Effect.match(Effect.scoped(runtime.run(attemptSpec(sc.attempt), runOptions(Wait, sc.attempt))), {
          onSuccess: (): Outcome => ({ step: "attempt", value: "ran" }),
          onFailure: (error) => errorOutcome("attempt", error)
        })
      )
    }
    for (const s of sc.steps) outcomes.push(yield* step(runtime, sc, s, suffix))
    return { id: sc.id, outcomes }
  }))

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime
  const suffix = process.argv[3] ?? "x"
  yield* Effect.acquireRelease(Effect.sync(() => makeBlockingFile(suffix)), (remove) => Effect.sync(remove))
  return yield* Effect.forEach(scenariosFor(suffix), (sc) => scenario(runtime, sc, suffix))
})

const model = Layer.effectDiscard(
  // the host the live layers run on: what podman refuses there (rootless), the model refuses too
  Effect.flatMap(
    TestRuntime.TestRuntimeControl,
    (control) => Effect.zipRight(control.addImage(testImage), control.setHostInfo(HOST_MODE))
  )
).pipe(
  Layer.provideMerge(TestRuntime.layer)
)

const layer = process.argv[2] === "rest"
  ? PodmanApi.layerService().pipe(Layer.orDie)
  : process.argv[2] === "model"
  ? model
  : Podman.layer()

Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer.pipe(Layer.provide(NodeContext.layer))))).then(
  (results) => console.log(JSON.stringify(results)),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
