// The same scenarios (packages/shared/test/crossEdition/scenarios.ts) on both editions: the Effect 3
// edition in a child process on the machine's Node, this one here — on the CLI and REST layers
// against real podman, and on both editions' in-memory models against what real podman gave.
// Every outcome — values, error tags, reasons, operations, exit codes, messages — must match.
import { NodeServices } from "@effect/platform-node"
import { assert, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { isDeepStrictEqual } from "node:util"
import { HOST_MODE } from "../../shared/test/crossEdition/hostMode.js"
import {
  attemptSpec,
  errorOutcome,
  logOutcome,
  makeBlockingFile,
  operation,
  runOptions,
  scenariosFor,
  specOf,
  unmet,
  withoutAttachRace
} from "../../shared/test/crossEdition/interpret.js"
import type { Outcome } from "../../shared/test/crossEdition/interpret.js"
import { scenarios } from "../../shared/test/crossEdition/scenarios.js"
import type { Scenario, Step } from "../../shared/test/crossEdition/scenarios.js"
import { testImage } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, Podman, PodmanApi, TestRuntime, Wait } from "../src/index.js"

const root = join(import.meta.dirname, "../../..")

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

type Results = Array<{ readonly id: string; readonly outcomes: ReadonlyArray<Outcome> }>

/** The Effect 3 edition's outcomes on one of its layers, on the machine's Node. */
const effect3 = (label: "cli" | "rest" | "model", suffix: string): Results =>
  JSON.parse(execFileSync("node", ["--import", "tsx", "packages/podman/test/crossEdition/run.ts", label, suffix], {
    cwd: root,
    encoding: "utf8"
  })) as Results

/** This edition's outcomes on the layer provided. */
const effect4 = (suffix: string) =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime.ContainerRuntime
    // as JSON, as the other side printed it
    return JSON.parse(
      JSON.stringify(
        yield* Effect.scoped(Effect.andThen(
          Effect.acquireRelease(Effect.sync(() => makeBlockingFile(suffix)), (remove) => Effect.sync(remove)),
          Effect.forEach(scenariosFor(suffix), (sc) => scenario(runtime, sc, suffix))
        ))
      )
    ) as Results
  })

const assertSame = (raw: Results, rawExpected: Results, what: string, suffix: string) => {
  const actual = withoutAttachRace(raw)
  const expected = withoutAttachRace(rawExpected)
  assert.strictEqual(expected.length, scenarios.length)
  // every scenario that differs, at once
  const differing = scenarios.flatMap((sc, i) =>
    isDeepStrictEqual(actual[i], expected[i]) ? [] : [{ id: sc.id, outcomes: actual[i]?.outcomes }]
  )
  assert.deepStrictEqual(
    differing,
    scenarios.flatMap((sc, i) =>
      isDeepStrictEqual(actual[i], expected[i]) ? [] : [{ id: sc.id, outcomes: expected[i]?.outcomes }]
    ),
    what
  )
  // and what the contract says, beyond agreeing
  assert.deepStrictEqual(unmet(actual, suffix), [], `${what}: the scenarios' expectations`)
  // and nothing secret in any of it
  assert.notInclude(JSON.stringify(actual.map((s) => s.outcomes.filter((o) => "error" in o))), "s3cr3t")
}

const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeServices.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
}

for (const [label, layer] of Object.entries(LAYERS)) {
  it.live(
    `${label} layer: the Effect 3 and Effect 4 editions give the same outcomes on the same scenarios`,
    () =>
      Effect.gen(function*() {
        // the Effect 3 edition first (the scenarios reuse container names)
        const suffix = Math.random().toString(36).slice(2, 8)
        const expected = effect3(label as "cli" | "rest", suffix)
        assertSame(yield* effect4(suffix), expected, `Effect 4 vs Effect 3, ${label}`, suffix)
      }).pipe(Effect.provide(layer)),
    { timeout: 120_000 }
  )
}

it.live(
  "the models of both editions give the outcomes real podman gives (through its CLI)",
  () =>
    Effect.gen(function*() {
      const suffix = Math.random().toString(36).slice(2, 8)
      const podman = yield* Effect.provide(effect4(suffix), LAYERS.cli)
      assertSame(
        yield* Effect.provide(effect4(suffix), TestRuntime.layer({ images: [testImage], host: HOST_MODE })),
        podman,
        "the Effect 4 model vs podman",
        suffix
      )
      assertSame(effect3("model", suffix), podman, "the Effect 3 model vs podman", suffix)
    }),
  { timeout: 120_000 }
)
