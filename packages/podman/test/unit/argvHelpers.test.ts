// The argv helpers (GPU, network, init) as pure functions, and their Effects on the test layer.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import { chmodSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Gpu from "../../src/Gpu.js"
import * as Init from "../../src/Init.js"
import * as Network from "../../src/Network.js"
import { PodmanMissing } from "../../src/PodmanError.js"
import * as TestRuntime from "../../src/TestRuntime.js"
import { tempDir } from "../helpers/tempDir.js"

const NVIDIA_ALL = [
  "--device",
  "nvidia.com/gpu=all",
  "-e",
  "NVIDIA_VISIBLE_DEVICES=all",
  "-e",
  "NVIDIA_DRIVER_CAPABILITIES=all"
]

describe("gpuRunArgs", () => {
  it("every valid selector", () => {
    assert.deepStrictEqual(Gpu.gpuRunArgs(false), Either.right([]))
    assert.deepStrictEqual(Gpu.gpuRunArgs(undefined), Either.right([]))
    for (const selector of [true, "all", "nvidia"] as const) {
      assert.deepStrictEqual(Gpu.gpuRunArgs(selector), Either.right(NVIDIA_ALL))
    }
    // AMD and Intel: the container keeps the user's render/video groups (rootless), as the reference does
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("amd"),
      Either.right(["--device", "amd.com/gpu=all", "--group-add", "keep-groups"])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("intel"),
      Either.right(["--device", "intel.com/gpu=all", "--group-add", "keep-groups"])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("nvidia:0,nvidia:1"),
      Either.right([
        "--device",
        "nvidia.com/gpu=0",
        "--device",
        "nvidia.com/gpu=1",
        "-e",
        "NVIDIA_VISIBLE_DEVICES=0,1",
        "-e",
        "NVIDIA_DRIVER_CAPABILITIES=all"
      ])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("amd:2"),
      Either.right(["--device", "amd.com/gpu=2", "--group-add", "keep-groups"])
    )
  })

  it("an invalid selector is an InvalidArgument listing the valid forms", () => {
    for (const selector of ["tpu", "", "nvidia:x", "nvidia:0,", "NVIDIA"]) {
      const result = Gpu.gpuRunArgs(selector)
      assert.isTrue(Either.isLeft(result), selector)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidArgument")
        assert.include(result.left.message, "\"nvidia:0,nvidia:1\"")
      }
    }
  })
})

describe("checkGpuAvailable", () => {
  it.scoped("reads the spec folders podman reports, per vendor; no spec, or an unreadable folder, is false", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("cdi-")
      const control = yield* TestRuntime.TestRuntimeControl
      yield* control.setHostInfo({ cdiSpecDirs: [dir, "/nonexistent/cdi"] })
      assert.isFalse(yield* Gpu.checkGpuAvailable("amd"))
      writeFileSync(join(dir, "amd.yaml"), "cdiVersion: 0.5.0\nkind: amd.com/gpu\ndevices: []\n")
      writeFileSync(join(dir, "notes.txt"), "kind: nvidia.com/gpu\n") // not a spec file
      assert.isTrue(yield* Gpu.checkGpuAvailable("amd"))
      assert.isFalse(yield* Gpu.checkGpuAvailable("nvidia"))
      assert.isFalse(yield* Gpu.checkGpuAvailable("intel"))
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("a podman that fails is false, not a crash", () =>
    Effect.gen(function*() {
      const control = yield* TestRuntime.TestRuntimeControl
      yield* control.failNext(new PodmanMissing({ binary: "podman", argv: ["podman", "info"] }))
      assert.isFalse(yield* Gpu.checkGpuAvailable())
    }).pipe(Effect.provide(TestRuntime.layer)))
})

describe("network args", () => {
  it("networkArgsFor, every branch", () => {
    assert.deepStrictEqual(Network.networkArgsFor({ root: true, mode: "pasta" }), [])
    assert.deepStrictEqual(Network.networkArgsFor({ root: false, mode: "pasta" }), [
      "--network",
      "pasta:--map-host-loopback,169.254.1.2",
      "--add-host",
      "host.containers.internal:169.254.1.2"
    ])
    assert.deepStrictEqual(Network.networkArgsFor({ root: false, mode: "slirp4netns" }), [
      "--network",
      "slirp4netns:allow_host_loopback=true",
      "--add-host",
      "host.containers.internal:10.0.2.2"
    ])
  })

  it.effect("bypassNetworkArgs: root gets nothing; rootless follows what podman reports, slirp4netns when it cannot say", () =>
    Effect.gen(function*() {
      const control = yield* TestRuntime.TestRuntimeControl
      assert.deepStrictEqual(
        yield* Network.bypassNetworkArgs(8080).pipe(Effect.provideService(Network.EffectiveUid, 0)),
        []
      )
      const rootless = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.provideService(effect, Network.EffectiveUid, 1000)
      assert.strictEqual(yield* Network.detectRootlessNetworkMode, "slirp4netns")
      assert.strictEqual((yield* rootless(Network.bypassNetworkArgs(8080)))[1], "slirp4netns:allow_host_loopback=true")
      yield* control.setHostInfo({ rootlessNetworkCmd: "pasta" })
      assert.strictEqual(yield* Network.detectRootlessNetworkMode, "pasta")
      assert.strictEqual((yield* rootless(Network.bypassNetworkArgs(8080)))[1], "pasta:--map-host-loopback,169.254.1.2")
    }).pipe(Effect.provide(TestRuntime.layer)))
})

describe("findInitBinary", () => {
  it.scoped("the first executable candidate, or none", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("init-")
      const plain = join(dir, "plain")
      const executable = join(dir, "catatonit")
      writeFileSync(plain, "")
      writeFileSync(executable, "#!/bin/sh\n")
      chmodSync(executable, 0o755)
      assert.deepStrictEqual(
        yield* Init.findInitBinary([join(dir, "missing"), plain, executable]),
        Option.some(executable)
      )
      assert.deepStrictEqual(yield* Init.findInitBinary([plain]), Option.none())
    }))

  it.effect("on this machine podman's catatonit is found (the Debian package installs it)", () =>
    Effect.map(
      Init.findInitBinary(),
      (found) => assert.deepStrictEqual(found, Option.some("/usr/libexec/podman/catatonit"))
    ))
})
