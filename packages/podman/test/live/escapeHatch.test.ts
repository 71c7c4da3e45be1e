/**
 * `runtime.podman(args)`, the escape hatch, on real podman through both live layers: its output,
 * a failure as a typed `NonZeroExit` with the operation, its bound as a `Timeout`, a secret in its
 * argv redacted from the error. (The test layer refuses it loudly: testRuntime.test.ts.)
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE } from "../contract/fixtures.js"

const layers = {
  cli: Podman.layer().pipe(Layer.provideMerge(NodeContext.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer))
}

describe("the escape hatch", () => {
  for (const [label, layer] of Object.entries(layers)) {
    it.live(`${label}: output, NonZeroExit with its operation, a bound, a secret redacted`, () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const version = yield* runtime.podman(["version", "--format", "{{.Client.Version}}"])
        assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/)
        const failed = yield* Effect.flip(runtime.podman(["container", "inspect", "ep-no-such-container"]))
        assert.strictEqual(failed._tag, "NonZeroExit")
        if (failed._tag === "NonZeroExit") {
          assert.strictEqual(failed.reason, "NoSuchContainer")
          assert.strictEqual(failed.operation, "container.inspect")
        }
        // `podman events` follows until killed (and, unlike a killed `podman run`, leaves nothing)
        const slow = yield* Effect.flip(runtime.podman(["events", "--filter", "type=container"], { timeout: "1 second" }))
        assert.strictEqual(slow._tag, "Timeout")
        const secret = yield* Effect.flip(
          runtime.podman(["run", "--rm", "-e", "API_TOKEN=hunter2-escape", TEST_IMAGE, "sh", "-c", "exit 3"])
        ) // --rm, and it exits by itself: nothing is left
        assert.strictEqual(secret._tag, "NonZeroExit")
        assert.notInclude(secret.message, "hunter2-escape")
        assert.strictEqual(yield* Effect.flip(runtime.podman(["version", "a\0b"])).pipe(Effect.map((e) => e._tag)), "InvalidArgument")
      }).pipe(Effect.provide(layer)), { timeout: 60_000 })
  }
})
