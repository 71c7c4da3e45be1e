/**
 * `runtime.podman(args)`, the escape hatch, on real podman through both live layers: its output,
 * a failure as a typed `NonZeroExit` with the operation, its bound as a `Timeout`, a secret in its
 * argv redacted from the error. (The test layer refuses it loudly: testRuntime.test.ts.)
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Kube from "../../src/Kube.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE } from "../contract/fixtures.js"

const layers = {
  cli: Podman.layer().pipe(Layer.provideMerge(NodeContext.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer))
}

describe("the escape hatch", () => {
  for (const [label, layer] of Object.entries(layers)) {
    it.live(
      `${label}: output, NonZeroExit with its operation, a bound, a secret redacted`,
      () =>
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
          const slow = yield* Effect.flip(
            runtime.podman(["events", "--filter", "type=container"], { timeout: "1 second" })
          )
          assert.strictEqual(slow._tag, "Timeout")
          const secret = yield* Effect.flip(
            runtime.podman(["run", "--rm", "-e", "API_TOKEN=hunter2-escape", TEST_IMAGE, "sh", "-c", "exit 3"])
          ) // --rm, and it exits by itself: nothing is left
          assert.strictEqual(secret._tag, "NonZeroExit")
          assert.notInclude(secret.message, "hunter2-escape")
          assert.strictEqual(
            yield* Effect.flip(runtime.podman(["version", "a\0b"])).pipe(Effect.map((e) => e._tag)),
            "InvalidArgument"
          )
        }).pipe(Effect.provide(layer)),
      { timeout: 60_000 }
    )

    it.live(
      `${label}: kube play of a manifest Kube.podYaml wrote runs the pod at once; kube down removes it`,
      () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime
          // kube play makes podman's default kube network on first use: remove it after, if it is ours
          const kubeNetwork = "podman-default-kube-network"
          const existed = yield* Effect.isSuccess(runtime.podman(["network", "exists", kubeNetwork]))
          const name = `ep-kube-${label}-${Math.random().toString(36).slice(2, 8)}`
          const yaml = yield* Kube.podYaml({
            name,
            containers: [{ image: TEST_IMAGE, name: "web", command: ["sleep", "3600"], env: { COUNT: "1_000" } }]
          })
          const dir = mkdtempSync(join(tmpdir(), "ep-kube-"))
          const file = join(dir, "pod.yaml")
          writeFileSync(file, yaml)
          const started = Date.now()
          yield* Effect.gen(function*() {
            yield* runtime.podman(["kube", "play", file], { timeout: "30 seconds" })
            assert.isBelow(Date.now() - started, 15_000, "not the whole bound")
            const env = yield* runtime.exec(`${name}-web`, ["sh", "-c", "echo $COUNT"])
            assert.strictEqual(env.stdout, "1_000\n", "a string stays a string through podman's YAML reader")
            yield* runtime.podman(["kube", "down", file], { timeout: "30 seconds" })
            const gone = yield* Effect.flip(runtime.podman(["pod", "exists", name]))
            assert.strictEqual(gone._tag, "NonZeroExit")
          }).pipe(
            Effect.ensuring(Effect.ignore(runtime.podman(["pod", "rm", "--force", "--ignore", name]))),
            Effect.ensuring(
              existed ? Effect.void : Effect.ignore(runtime.podman(["network", "rm", "--force", kubeNetwork]))
            )
          )
          rmSync(dir, { recursive: true, force: true })
        }).pipe(Effect.provide(layer)),
      { timeout: 60_000 }
    )
  }
})
