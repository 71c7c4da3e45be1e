// What podman leaves on the host when a call ends, on real podman (as the Effect 3 edition's
// test/live/leftovers.test.ts): `podman cp -`'s archive in podman's temporary folder, and a build
// killed in a `RUN` step — its working container, its step's process, its bundle (on the REST layer
// too: podman's service goes on with a build whose client went away). None of it may outlive the
// call, and a concurrent build is not touched.
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Stream } from "effect"
import { rmSync } from "node:fs"
import * as Leftovers from "../../shared/test/crossEdition/leftovers.js"
import { ContainerRuntime, Podman, PodmanApi } from "../src/index.js"

const IMAGE = "localhost/effect-podman-test:latest"
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`
const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeServices.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
}

for (const [label, PodmanLive] of Object.entries(LAYERS)) {
  layer(PodmanLive, { excludeTestServices: true })(`what podman leaves (${label} layer)`, (it) => {
    it.effect("copyFiles: podman's temporary copy of the archive is gone after the call", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const secret = `copied-${crypto.randomUUID()}`
        const box = yield* runtime.run({ image: IMAGE, name: unique("leftover-cp"), command: ["sleep", "600"] })
        yield* box.copyFiles({ "/srv/secret.txt": secret })
        assert.strictEqual((yield* runtime.exec(box, ["cat", "/srv/secret.txt"])).stdout, secret)
        assert.deepStrictEqual(yield* Effect.promise(() => Leftovers.filesHolding(secret)), [])
      }), 60_000)
  })
}

describe("a pull from a registry that accepts and never answers", () => {
  for (const label of ["cli", "rest"] as const) {
    it.live(
      `${label}: fails with Timeout, and what the killed pull left in the temporary folder goes with it`,
      () =>
        Effect.promise(() =>
          Leftovers.inOwnTmpdir(async () => {
            const registry = await Leftovers.silentServer()
            try {
              const options = { timeout: "2 seconds", killGrace: "200 millis" } as const
              const live = label === "cli"
                ? Podman.layer(options).pipe(Layer.provide(NodeServices.layer))
                : PodmanApi.layerService(options).pipe(Layer.orDie, Layer.provide(NodeServices.layer))
              const ref = `127.0.0.1:${registry.port}/${unique("never")}:1`
              return await Effect.runPromise(
                Effect.flip(
                  Effect.flatMap(
                    ContainerRuntime.ContainerRuntime,
                    (runtime) => runtime.pull(ref, { tlsVerify: false })
                  )
                ).pipe(
                  Effect.provide(live)
                )
              )
            } finally {
              registry.close()
            }
          })
        ).pipe(Effect.map(({ left, result }) => {
          assert.strictEqual(result._tag, "Timeout")
          assert.deepStrictEqual(left, [])
        })),
      60_000
    )
  }
})

describe("a build interrupted in a RUN step", () => {
  for (const [label, PodmanLive] of Object.entries(LAYERS)) {
    layer(PodmanLive, { excludeTestServices: true })(`${label} layer`, (it) => {
      it.effect(
        "leaves no working container, step process or bundle; a concurrent build finishes",
        () =>
          Effect.gen(function*() {
            const runtime = yield* ContainerRuntime.ContainerRuntime
            const { killed, other, root, step } = Leftovers.buildContexts()
            yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(root, { recursive: true, force: true })))
            const otherTag = `localhost/${unique("leftover-other")}:1`
            yield* Effect.addFinalizer(() => Effect.ignore(runtime.image(otherTag).remove))
            const before = new Set(yield* Effect.promise(Leftovers.workingContainers))

            const fiber = yield* Effect.forkChild(
              Stream.runDrain(runtime.buildProgress(killed, { tags: [`localhost/${unique("leftover")}:1`] }))
            )
            const concurrent = yield* Effect.forkChild(runtime.build(other, { tags: [otherTag] }))
            assert.isTrue(
              yield* Effect.promise(() =>
                Leftovers.eventually(async () => (await Leftovers.processesHolding(step)).length > 0)
              ),
              "the step runs"
            )
            yield* Fiber.interrupt(fiber)

            assert.isTrue(
              yield* Effect.promise(() =>
                Leftovers.eventually(async () => (await Leftovers.processesHolding(step)).length === 0)
              ),
              "the step ended"
            )
            assert.isTrue(yield* (yield* Fiber.join(concurrent)).exists)
            assert.deepStrictEqual(
              (yield* Effect.promise(Leftovers.workingContainers)).filter((id) => !before.has(id)),
              []
            )
            assert.deepStrictEqual(yield* Effect.promise(() => Leftovers.filesHolding(step)), [])
          }),
        120_000
      )
    })
  }
})
