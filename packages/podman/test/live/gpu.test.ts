/**
 * GPU passthrough against real podman, without a GPU: a CDI device that does not resolve is a
 * GpuConfigError at start; with a CDI spec in /etc/cdi declaring it (writing there needs root) the
 * same container starts and sees what the spec injects, and checkGpuAvailable flips to true.
 * The tests of this file run one after the other: the spec they write changes podman's answers.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Option, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Gpu from "../../src/Gpu.js"
import * as Podman from "../../src/Podman.js"
import * as TestRuntime from "../../src/TestRuntime.js"
import { BASE_IMAGE, uniqueName } from "../contract/fixtures.js"
import { podmanRunner } from "../helpers/live.js"

const PodmanLive = Podman.layer().pipe(Layer.provideMerge(NodeContext.layer))
const isRoot = process.geteuid?.() === 0
const SPEC_DIR = "/etc/cdi"

/** A CDI spec declaring nvidia.com/gpu=all whose edits only set an env var; removed afterwards. */
const cdiSpec = Effect.acquireRelease(
  Effect.sync(() => {
    const createdDir = !existsSync(SPEC_DIR)
    mkdirSync(SPEC_DIR, { recursive: true })
    const file = `${SPEC_DIR}/${uniqueName("cdi")}.json`
    writeFileSync(
      file,
      JSON.stringify({
        cdiVersion: "0.5.0",
        kind: "nvidia.com/gpu",
        devices: [{ name: "all", containerEdits: { env: ["EFFECT_PODMAN_CDI=visible"] } }]
      })
    )
    return { file, createdDir }
  }),
  ({ createdDir, file }) =>
    Effect.sync(() => {
      rmSync(file, { force: true })
      if (createdDir) rmdirSync(SPEC_DIR)
    })
)

/** Creates (not starts) a container with the GPU args; removed when the scope closes. */
const gpuContainer = (command: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const runner = yield* podmanRunner
    const name = uniqueName("gpu")
    yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
    const args = yield* Gpu.gpuRunArgs(true)
    yield* runner.run(["create", "--name", name, ...args, BASE_IMAGE, ...command])
    return name
  })

describe.runIf(isRoot)("GPU passthrough on real podman (root)", () => {
  it.scopedLive("podman 4 does not report CDI spec dirs: checkGpuAvailable takes the default folders", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      assert.isTrue(Option.isNone(yield* runtime.host.cdiSpecDirs))
      assert.isFalse(yield* Gpu.checkGpuAvailable("nvidia"))
    }).pipe(Effect.provide(PodmanLive)))

  it.scopedLive("without a CDI spec, start fails with GpuConfigError", () =>
    Effect.gen(function*() {
      const name = yield* gpuContainer(["true"])
      const error = yield* Effect.flip(Effect.flatMap(ContainerRuntime, (runtime) => runtime.container(name).start))
      assert.strictEqual(error._tag, "GpuConfigError")
      if (error._tag === "GpuConfigError") {
        assert.match(error.stderr, /unresolvable CDI devices nvidia.com\/gpu=all/)
        assert.match(error.hint, /nvidia-ctk cdi generate/)
        assert.match(error.message, /^Container launch failed \(GPU misconfiguration\)/)
      }
    }).pipe(Effect.provide(PodmanLive)))

  it.scopedLive("with a spec in /etc/cdi: checkGpuAvailable flips to true and the container sees the edit", () =>
    Effect.gen(function*() {
      assert.isFalse(yield* Gpu.checkGpuAvailable())
      yield* cdiSpec
      assert.isTrue(yield* Gpu.checkGpuAvailable("nvidia"))
      assert.isFalse(yield* Gpu.checkGpuAvailable("amd"))
      const runtime = yield* ContainerRuntime
      const name = yield* gpuContainer(["sh", "-c", "echo CDI=$EFFECT_PODMAN_CDI GPUS=$NVIDIA_VISIBLE_DEVICES"])
      yield* runtime.container(name).start
      assert.strictEqual(yield* runtime.container(name).wait(), 0)
      const lines = yield* Stream.runCollect(runtime.container(name).logs())
      assert.deepStrictEqual(Chunk.toArray(lines), ["CDI=visible GPUS=all"])
    }).pipe(Effect.provide(PodmanLive)))

  it.scopedLive("a podman that reports [] for its CDI folders: the default folders are read, a FIFO there is skipped", () =>
    Effect.gen(function*() {
      const control = yield* TestRuntime.TestRuntimeControl
      yield* control.setHostInfo({ cdiSpecDirs: [] })
      assert.isFalse(yield* Gpu.checkGpuAvailable("nvidia"))
      yield* cdiSpec
      // a FIFO named like a spec would block a read for ever: it is not a regular file, so it is skipped
      const fifo = `${SPEC_DIR}/${uniqueName("fifo")}.yaml`
      yield* Effect.acquireRelease(
        Effect.sync(() => execFileSync("mkfifo", [fifo])),
        () => Effect.sync(() => rmSync(fifo, { force: true }))
      )
      assert.isTrue(yield* Gpu.checkGpuAvailable("nvidia").pipe(Effect.timeout("10 seconds")))
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.live("afterwards the spec is gone and the answer is false again", () =>
    Effect.gen(function*() {
      assert.isFalse(yield* Gpu.checkGpuAvailable())
      assert.isTrue(Either.isRight(Gpu.gpuRunArgs(false)))
    }).pipe(Effect.provide(PodmanLive)))
})
