// Unit-testing code that runs containers, with no podman: the in-memory layer of the Effect 4
// edition (`TestRuntime.layer`) answers as podman does. Run with the edition's tests
// (`make test`), or alone: `node node_modules/vitest/vitest.mjs run examples/testRuntime.test.ts`.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import { ContainerRuntime, TestRuntime, Wait } from "effect-podman-4"

// the code under test: starts a worker, checks it answers, and reports what it logged
const checkWorker = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const worker = yield* runtime.run(
    { image: "localhost/worker:latest", namePrefix: "worker", command: ["sh", "-c", "echo booting; echo ready; sleep 3600"] },
    { wait: Wait.forLog(/^ready$/), deadline: "10 seconds" }
  )
  const probe = yield* worker.exec(["sh", "-c", "cat /etc/worker.conf && echo ok"])
  const logged = yield* Stream.runCollect(worker.logs())
  return { name: worker.name, probe, logged: [...logged] }
})

const Test = TestRuntime.layer({
  images: [{
    name: "localhost/worker:latest",
    executables: ["sh", "echo", "cat", "sleep"],
    files: { "/etc/worker.conf": "threads=4\n" }
  }]
})

describe("checkWorker (on the in-memory layer)", () => {
  it.effect("runs the worker, probes it and returns its log; the worker is gone with the scope", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const result = yield* Effect.scoped(checkWorker)
      assert.deepStrictEqual(result.probe, { exitCode: 0, stdout: "threads=4\nok\n", stderr: "" })
      assert.deepStrictEqual(result.logged, ["booting", "ready"])
      assert.deepStrictEqual(yield* runtime.container(result.name).state, Option.none())
    }).pipe(Effect.provide(Test)))

  it.effect("an image the layer does not hold, with pull: never, fails as podman does", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.run({ image: "localhost/absent:latest", pull: "never" }))
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag === "NonZeroExit") assert.strictEqual(error.reason, "NoSuchImage")
    }).pipe(Effect.provide(Test)))
})
