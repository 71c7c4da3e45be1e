// The same scenarios (packages/shared/test/crossEdition/scenarios.ts) on both editions, against real
// podman: the Effect 3 edition in a child process on the machine's Node (its CLI layer), this one
// here. Every outcome — values, error tags, reasons, operations, exit codes, messages — must match.
import { NodeServices } from "@effect/platform-node"
import { assert, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { ContainerRuntime, Podman, PodmanApi, Wait } from "../src/index.js"
import { errorOutcome, IMAGE, operation, scenarios, scenariosFor, specOf } from "../../shared/test/crossEdition/scenarios.js"
import type { Outcome, Scenario, Step } from "../../shared/test/crossEdition/scenarios.js"

const root = join(import.meta.dirname, "../../..")

const step = (runtime: ContainerRuntime.Service, target: string, s: Step): Effect.Effect<Outcome> => {
  const container = runtime.container(target)
  const op = operation<Effect.Effect<unknown, { readonly _tag: string; readonly message: string }>, typeof container.state, ReturnType<typeof container.logs>>(container, s)
  const value = op._tag === "state"
    ? Effect.map(op.state, Option.getOrNull)
    : op._tag === "logs"
    ? Effect.map(Stream.runCollect(op.logs), (lines) => [...lines].sort())
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
        : runtime.run(spec, ready === undefined ? undefined : { wait: Wait.forLog(new RegExp(`^${ready}$`)) })).pipe(Effect.orDie)
      if (sc.run.again === true) {
        outcomes.push(yield* Effect.match(Effect.scoped(runtime.run(spec)), {
          onSuccess: (): Outcome => ({ step: "run again", value: "ran" }),
          onFailure: (error) => errorOutcome("run again", error)
        }))
      }
    }
    if (sc.attempt !== undefined) {
      outcomes.push(yield* Effect.match(Effect.scoped(runtime.run({ image: IMAGE, namePrefix: "ep-cross-attempt", env: sc.attempt.env })), {
        onSuccess: (): Outcome => ({ step: "attempt", value: "ran" }),
        onFailure: (error) => errorOutcome("attempt", error)
      }))
    }
    for (const s of sc.steps) outcomes.push(yield* step(runtime, sc.target, s))
    return { id: sc.id, outcomes }
  }))

const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeServices.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
}

for (const [label, layer] of Object.entries(LAYERS)) {
  it.live(`${label} layer: the Effect 3 and Effect 4 editions give the same outcomes on the same scenarios`, () =>
    Effect.gen(function*() {
      // the Effect 3 edition first (the scenarios reuse container names), on the machine's Node
      const suffix = Math.random().toString(36).slice(2, 8)
      const effect3 = JSON.parse(execFileSync("node", ["--import", "tsx", "packages/podman/test/crossEdition/run.ts", label, suffix], {
        cwd: root,
        encoding: "utf8"
      })) as Array<{ readonly id: string; readonly outcomes: ReadonlyArray<Outcome> }>
      const runtime = yield* ContainerRuntime.ContainerRuntime
      // as JSON, as the other side printed it
      const mine = scenariosFor(suffix)
      const effect4 = JSON.parse(JSON.stringify(yield* Effect.forEach(mine, (sc) => scenario(runtime, sc)))) as typeof effect3
      assert.strictEqual(effect3.length, scenarios.length)
      for (const [i, sc] of scenarios.entries()) {
        assert.deepStrictEqual(effect4[i], effect3[i], sc.id)
      }
      // and nothing secret in any of it
      assert.notInclude(JSON.stringify(effect4.map((s) => s.outcomes.filter((o) => "error" in o))), "s3cr3t")
    }).pipe(Effect.provide(layer)), { timeout: 120_000 })
}
