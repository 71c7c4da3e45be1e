// Unit-testing code that runs containers, builds and pushes images, with no podman: the in-memory
// layer of the Effect 4 edition (`TestRuntime.layer`) answers as podman does — its registries are
// the ones a test declares. Run with the edition's tests
// (`make test`), or alone: `node node_modules/vitest/vitest.mjs run examples/testRuntime.test.ts`.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import { ContainerRuntime, TestRuntime, Wait } from "effect-podman-4"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

// the code under test: starts a worker, checks it answers, and reports what it logged
const checkWorker = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const worker = yield* runtime.run(
    {
      image: "localhost/worker:latest",
      namePrefix: "worker",
      command: ["sh", "-c", "echo booting; echo ready; sleep 3600"]
    },
    { wait: Wait.forLog(/^ready$/), deadline: "10 seconds" }
  )
  const probe = yield* worker.exec(["sh", "-c", "cat /etc/worker.conf && echo ok"])
  const logged = yield* Stream.runCollect(worker.logs())
  return { name: worker.name, probe, logged: [...logged] }
})

const Test = TestRuntime.layer({
  // a registry the model reaches (a push stores images there; a pull takes them back)
  registries: ["registry.test:5000"],
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
      if (error._tag === "NonZeroExit") assert.strictEqual(error.reason._tag, "NoSuchImage")
    }).pipe(Effect.provide(Test)))
})

// more code under test: a release — build the app, push it, and run what the registry holds
const release = (context: string) =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime.ContainerRuntime
    const ref = "registry.test:5000/shop/app:1"
    yield* runtime.build(context, { tags: [ref], buildArgs: { VERSION: "1.0" } })
    yield* runtime.push(ref, ref, { tlsVerify: false })
    yield* runtime.removeImage(ref)
    yield* runtime.pull(ref, { tlsVerify: false })
    const app = yield* runtime.run({ image: ref }, { wait: Wait.forSuccessfulExit(), deadline: "10 seconds" })
    return [...yield* Stream.runCollect(app.logs())]
  })

/** A build context holding this Containerfile, removed with the test. */
const context = (containerfile: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(join(tmpdir(), "release-"))
      await writeFile(join(dir, "Containerfile"), containerfile)
      return dir
    }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

describe("release (on the in-memory layer: a build, a registry)", () => {
  it.effect("builds, pushes, pulls back and runs the app", () =>
    Effect.gen(function*() {
      const dir = yield* context(
        "FROM localhost/worker:latest\nARG VERSION\nRUN echo \"$VERSION\" > /version\nCMD [\"cat\", \"/version\"]\n"
      )
      assert.deepStrictEqual(yield* release(dir), ["1.0"])
    }).pipe(Effect.provide(Test)))

  it.effect("a failing step is BuildFailed, with the step and what it printed", () =>
    Effect.gen(function*() {
      const dir = yield* context("FROM localhost/worker:latest\nRUN echo no compiler here && exit 2\n")
      const error = yield* Effect.flip(release(dir))
      assert.strictEqual(error._tag, "BuildFailed")
      if (error._tag === "BuildFailed") {
        assert.deepStrictEqual([error.step, error.outputTail, error.exitCode], ["RUN echo no compiler here && exit 2", [
          "no compiler here"
        ], 2])
      }
    }).pipe(Effect.provide(Test)))
})
