// The Effect 4 edition's helpers, as the Effect 3 edition's answer: GPU argv (AMD and Intel keep
// the user's groups), the bypass network argv for root and rootless (the mode asked of the runtime),
// sizes, the init binary, a spec's argv. Pure, or on the in-memory layer: no podman.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted, Result, Schema } from "effect"
import { ContainerSpec, Gpu, HumanSize, Init, Network, TestRuntime } from "../src/index.js"

describe("Gpu.gpuRunArgs", () => {
  it("NVIDIA's variables; AMD and Intel keep the user's groups; a bad selector is an InvalidArgument", () => {
    assert.deepStrictEqual(
      Gpu.gpuRunArgs(true),
      Result.succeed([
        "--device",
        "nvidia.com/gpu=all",
        "-e",
        "NVIDIA_VISIBLE_DEVICES=all",
        "-e",
        "NVIDIA_DRIVER_CAPABILITIES=all"
      ])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("amd"),
      Result.succeed(["--device", "amd.com/gpu=all", "--group-add", "keep-groups"])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("intel"),
      Result.succeed(["--device", "intel.com/gpu=all", "--group-add", "keep-groups"])
    )
    assert.deepStrictEqual(
      Gpu.gpuRunArgs("intel:1,amd:0"),
      Result.succeed(["--device", "intel.com/gpu=1", "--device", "amd.com/gpu=0", "--group-add", "keep-groups"])
    )
    assert.deepStrictEqual(Gpu.gpuRunArgs(false), Result.succeed([]))
    const bad = Gpu.gpuRunArgs("tpu")
    assert.isTrue(Result.isFailure(bad))
    if (Result.isFailure(bad)) assert.match(bad.failure.message, /invalid GPU selector "tpu": valid forms: /)
    assert.isTrue(
      Option.isSome(Gpu.classifyGpuError("Error: setting up CDI devices: unresolvable CDI devices amd.com/gpu=all"))
    )
    assert.isTrue(Option.isNone(Gpu.classifyGpuError("Error: no such container")))
  })
})

describe("Network.bypassNetworkArgs", () => {
  it.effect("root: none; rootless: the mode podman reports (pasta), else slirp4netns", () =>
    Effect.gen(function*() {
      const asRoot = yield* Network.bypassNetworkArgs(8080).pipe(
        Effect.provideService(Network.EffectiveUid, 0),
        Effect.provide(TestRuntime.layer())
      )
      assert.deepStrictEqual(asRoot, [])
      const pasta = yield* Network.bypassNetworkArgs(8080).pipe(
        Effect.provideService(Network.EffectiveUid, 1000),
        Effect.provide(TestRuntime.layer({ host: { rootlessNetworkCmd: "pasta" } }))
      )
      assert.deepStrictEqual(pasta, [
        "--network",
        "pasta:--map-host-loopback,169.254.1.2",
        "--add-host",
        "host.containers.internal:169.254.1.2"
      ])
      const silent = yield* Network.bypassNetworkArgs().pipe(
        Effect.provideService(Network.EffectiveUid, 1000),
        Effect.provide(TestRuntime.layer())
      )
      assert.deepStrictEqual(silent, [
        "--network",
        "slirp4netns:allow_host_loopback=true",
        "--add-host",
        "host.containers.internal:10.0.2.2"
      ])
    }))
})

describe("HumanSize, Init, ContainerSpec.toCreateArgs", () => {
  it.effect("sizes as podman prints them; the init binary where podman looks; a spec's argv with no secret in it", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(HumanSize.parseHumanSize("12.5MB (virtual 1.23GB)"), Option.some(12_500_000))
      assert.deepStrictEqual(HumanSize.parseHumanSize("lots"), Option.none())
      assert.deepStrictEqual(yield* Init.findInitBinary(["/nonexistent/catatonit"]), Option.none())
      const spec = Schema.decodeUnknownSync(ContainerSpec.ContainerSpec)({
        image: "localhost/web:latest",
        secretEnv: { API_TOKEN: Redacted.make("s3cr3t") },
        command: ["httpd"]
      })
      const { args, env } = ContainerSpec.toCreateArgs(spec, { name: "web-1", ports: [], init: false, labels: {} })
      assert.isFalse(args.some((arg) => arg.includes("s3cr3t")))
      assert.include(args, "API_TOKEN")
      assert.strictEqual(env["API_TOKEN"], "s3cr3t")
    }))
})
