/**
 * What podman leaves on the host when a call ends, on real podman: podman 4.3 writes
 * `podman cp -`'s archive to its temporary folder and never removes it, and a `podman build`
 * killed during a `RUN` step leaves buildah's working container, the step's process (still
 * running) and its bundle folder. None of it may outlive the call — and a concurrent build's
 * working container is not touched.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Stream } from "effect"
import { rmSync } from "node:fs"
import * as Leftovers from "../../../shared/test/crossEdition/leftovers.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"

const live = (layer: Layer.Layer<ContainerRuntime, unknown, never>) => Effect.provide(Layer.orDie(layer))
const cli = live(Podman.layer().pipe(Layer.provide(NodeContext.layer)))
const rest = live(PodmanApi.layerService().pipe(Layer.provide(NodeContext.layer)))

describe("copyFiles leaves no archive behind", () => {
  for (const [layerName, provide] of Object.entries({ cli, rest })) {
    it.scopedLive(
      `${layerName}: podman's temporary copy of the archive is gone after the call`,
      () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime
          const secret = `copied-${crypto.randomUUID()}`
          const box = yield* runtime.run({
            image: TEST_IMAGE,
            name: uniqueName("leftover-cp"),
            command: ["sleep", "600"]
          })
          yield* box.copyFiles({ "/srv/secret.txt": secret })
          assert.strictEqual((yield* runtime.exec(box, ["cat", "/srv/secret.txt"])).stdout, secret)
          assert.deepStrictEqual(yield* Effect.promise(() => Leftovers.filesHolding(secret)), [])
        }).pipe(Effect.scoped, provide),
      60_000
    ) // the container goes before the layer's service
  }
})

describe("a build interrupted in a RUN step", () => {
  for (const [layerName, provide] of Object.entries({ cli, rest })) {
    it.scopedLive(
      `${layerName}: leaves no working container, step process or bundle; a concurrent build finishes`,
      () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime
          const { killed, other, root, step } = Leftovers.buildContexts()
          yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(root, { recursive: true, force: true })))
          const otherTag = `localhost/${uniqueName("leftover-other")}:1`
          yield* Effect.addFinalizer(() => Effect.ignore(runtime.image(otherTag).remove))
          const before = new Set(yield* Effect.promise(Leftovers.workingContainers))

          const fiber = yield* Effect.fork(
            Stream.runDrain(runtime.buildProgress(killed, { tags: [`localhost/${uniqueName("leftover")}:1`] }))
          )
          const concurrent = yield* Effect.fork(runtime.build(other, { tags: [otherTag] }))
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
          // the concurrent build removed its own when it finished; nothing new is left
          assert.deepStrictEqual(
            (yield* Effect.promise(Leftovers.workingContainers)).filter((id) => !before.has(id)),
            []
          )
          assert.deepStrictEqual(yield* Effect.promise(() => Leftovers.filesHolding(step)), [])
        }).pipe(Effect.scoped, provide),
      120_000
    )
  }
})
