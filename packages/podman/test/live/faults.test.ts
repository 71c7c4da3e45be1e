/**
 * Faults of the live layer, each against a real binary: podman missing, podman hanging, podman
 * killed by a signal, podman refusing one container of a batch, secrets in a failing call.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, ConfigProvider, Duration, Effect, Fiber, Layer, Logger, LogLevel, Option, Stream } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Runner from "../../src/internal/cli/runner.js"
import * as Podman from "../../src/Podman.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { captureLogs, podmanRunner, recordSpans } from "../helpers/live.js"
import { awaitNoProcess, awaitProcess, podmanChildren, processesMatching, stubBinary } from "../helpers/processes.js"
import { tempDir } from "../helpers/tempDir.js"

const withPodman = (options: Podman.PodmanOptions) =>
  Effect.provide(Podman.layer(options).pipe(Layer.provideMerge(NodeContext.layer)))

/** Every operation of the runtime, applied to one container and one image. */
const everyOperation = (runtime: ContainerRuntime.Service, name: string) => {
  const container = runtime.container(name)
  const image = runtime.image(TEST_IMAGE)
  return {
    state: container.state,
    running: container.running,
    id: container.id,
    startedAt: container.startedAt,
    mounts: container.mounts,
    image: container.image,
    rwSize: container.rwSize,
    start: container.start,
    stop: container.stop({ timeout: "500 millis" }),
    wait: container.wait(),
    copyIn: container.copyIn("/etc/hostname", "/tmp/hostname"),
    imageId: image.id,
    imageExists: image.exists,
    imageLabels: image.labels,
    imageHistory: image.history,
    imageRemove: image.remove,
    containersWithPrefix: runtime.containersWithPrefix("ep"),
    images: runtime.images(),
    exec: runtime.exec(name, ["true"]),
    containerStates: runtime.containerStates("ep"),
    containerRwSizes: runtime.containerRwSizes("ep")
  }
}

describe("live layer faults", () => {
  it.live("a missing binary is PodmanMissing from every operation; forceRemove reports it per container", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      for (const [operation, effect] of Object.entries(everyOperation(runtime, "web"))) {
        const error = yield* Effect.flip(effect as Effect.Effect<unknown, { readonly _tag: string }>)
        assert.strictEqual(error._tag, "PodmanMissing", operation)
      }
      // each failed removal is logged at debug, as the reference logs it, with the container and why
      const { layer: capture, logs } = captureLogs()
      const results = yield* runtime.forceRemove(["a", "b"]).pipe(
        Effect.provide(capture),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      assert.deepStrictEqual(results.map((r) => r.removed), [false, false])
      assert.match(Option.getOrThrow(results[0]!.error), /not found/)
      const removals = logs.filter((line) => line.includes("forced removal"))
      assert.strictEqual(removals.length, 2, logs.join("\n"))
      assert.match(removals[0]!, /forced removal of container a failed: podman binary .*not found/)
      assert.match(removals[1]!, /forced removal of container b failed/)
    }).pipe(withPodman({ binary: "/nonexistent/bin/podman" })))

  it.scopedLive("an event line without a time is delivered once; a podman that ends its events at once is read ever less often", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("effect-podman-events-")
      const calls = join(dir, "calls")
      const binary = yield* stubBinary(
        `case "$*" in *events*) echo x >> ${calls}; echo '{"Name":"ep-untimed-1","ID":"abc","Status":"start"}'; exit 0;; esac\nexec podman "$@"`
      )
      const events = yield* Effect.flatMap(
        ContainerRuntime,
        (runtime) =>
          runtime.events("ep-untimed").pipe(Stream.interruptWhen(Effect.sleep("2500 millis")), Stream.runCollect)
      ).pipe(withPodman({ binary }))
      assert.deepStrictEqual(Chunk.toArray(events).map((event) => [event.name, event.status]), [[
        "ep-untimed-1",
        "start"
      ]])
      // read at 0, then after 0.5, 1 and 2 s of nothing new: 4 reads at most in 2.5 s (it was 10)
      const reads = readFileSync(calls, "utf8").split("\n").filter((line) => line !== "").length
      assert.isAtMost(reads, 4)
      assert.isAtLeast(reads, 2)
    }))

  it.live("layerConfig reads its options from Config", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.flatMap(ContainerRuntime, (runtime) => runtime.images()))
      assert.strictEqual(error._tag, "PodmanMissing")
      if (error._tag === "PodmanMissing") assert.strictEqual(error.binary, "/nonexistent/from-config/podman")
    }).pipe(
      Effect.provide(Podman.layerConfig().pipe(Layer.provide(NodeContext.layer))),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PODMAN_BINARY", "/nonexistent/from-config/podman"]])))
    ))

  it.scopedLive("a hanging podman is killed at the bound (SIGTERM ignored, so SIGKILL) and nothing is left", () =>
    Effect.gen(function*() {
      const marker = uniqueName("hang")
      const binary = yield* stubBinary(`trap '' TERM\nsleep 30 # ${marker}`)
      const started = Date.now()
      const error = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (runtime) => runtime.container("web").state).pipe(
          withPodman({ binary, timeout: "500 millis", killGrace: "200 millis" })
        )
      )
      assert.strictEqual(error._tag, "Timeout")
      assert.isBelow(Date.now() - started, 20_000, "the 30 s stub was not waited out")
      assert.deepStrictEqual(yield* awaitNoProcess(() => processesMatching(marker)), [])
    }))

  it.scopedLive("podman killed by a signal is a NonZeroExit naming the signal", () =>
    Effect.gen(function*() {
      const binary = yield* stubBinary("kill -KILL $$")
      const error = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (runtime) => runtime.container("web").start).pipe(withPodman({ binary }))
      )
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag === "NonZeroExit") {
        assert.strictEqual(error.signal, "SIGKILL")
        assert.strictEqual(error.exitCode, 137)
      }
    }))

  it.scopedLive("secrets in a failing call appear nowhere: not in the error, its message, stderr, logs or spans", () => {
    const { layer: capture, logs } = captureLogs()
    const { spans, traced } = recordSpans()
    return Effect.gen(function*() {
      const runner = yield* podmanRunner
      // real podman: an image that does not exist; and a stub that echoes its argv to stderr
      const real = yield* Effect.flip(
        runner.run([
          "run",
          "--rm",
          "-e",
          "API_TOKEN=s3cr3t",
          "--env=DB_PASSWORD=hunter2",
          "localhost/nonexistent-image"
        ])
      )
      const echo = yield* stubBinary("echo \"bad arguments: $*\" >&2; exit 1")
      const echoRunner = yield* Runner.make({
        binary: echo,
        globalArgs: [],
        timeout: Duration.seconds(10),
        killGrace: Duration.seconds(1)
      })
      const echoed = yield* Effect.flip(
        echoRunner.run(["run", "-e", "API_TOKEN=s3cr3t", "-eDB_PASSWORD=hunter2", "img"])
      )
      for (const error of [real, echoed]) {
        assert.strictEqual(error._tag, "NonZeroExit")
        const everything = [error.message, JSON.stringify(error), String(error), ...logs].join("\n")
        assert.notInclude(everything, "s3cr3t")
        assert.notInclude(everything, "hunter2")
        assert.include(error.message, "API_TOKEN=<redacted>")
      }
      assert.include(echoed.message, "bad arguments")
      assert.isAbove(logs.length, 0, "the runner logged its calls")
      const attributes = spans.flatMap((span) => [...span.attributes.values()].map(String))
      assert.isTrue(attributes.some((value) => value.includes("API_TOKEN=<redacted>")), "the spans carry the argv")
      assert.isFalse(attributes.some((value) => value.includes("s3cr3t") || value.includes("hunter2")))
    }).pipe(
      traced,
      Effect.provide(NodeContext.layer),
      Effect.provide(capture),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  })

  it.live("run's one deadline covers creating and starting: past it during the start, WaitFailed, and nothing is left", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const name = uniqueName("deadline")
      const error = yield* Effect.flip(
        Effect.scoped(runtime.run({ image: TEST_IMAGE, name, command: ["sleep", "3600"] }, { deadline: "1 millis" }))
      )
      assert.strictEqual(error._tag, "WaitFailed")
      if (error._tag === "WaitFailed") {
        assert.strictEqual(error.reason, "the deadline of 1ms passed while creating and starting")
        assert.strictEqual(error.container, "(not created)")
      }
      assert.isTrue(Option.isNone(yield* runtime.container(name).state))
    }).pipe(withPodman({})))

  it.scopedLive("forceRemove names the container podman refused and still removes the others", () =>
    Effect.gen(function*() {
      const runner = yield* podmanRunner
      const [parent, child, other, absent] = ["parent", "child", "other", "absent"].map(uniqueName)
      yield* Effect.addFinalizer(() =>
        Effect.ignore(runner.run(["rm", "--force", "--ignore", "--depend", parent!, other!]))
      )
      yield* runner.run(["run", "-d", "--init", "--name", parent!, TEST_IMAGE])
      yield* runner.run(["run", "-d", "--init", "--name", child!, "--network", `container:${parent}`, TEST_IMAGE])
      yield* runner.run(["create", "--name", other!, TEST_IMAGE])
      const runtime = yield* ContainerRuntime
      const results = yield* runtime.forceRemove([parent!, absent!, other!])
      assert.deepStrictEqual(results.map((r) => [r.name, r.removed]), [[parent, false], [absent, true], [other, true]])
      assert.match(Option.getOrThrow(results[0]!.error), /depend/)
      assert.isTrue(Option.isNone(yield* runtime.container(other!).state))
      assert.deepStrictEqual(yield* runtime.container(parent!).state, Option.some("running"))
    }).pipe(withPodman({})))

  it.scopedLive("interrupting a long exec kills its podman child", () =>
    Effect.gen(function*() {
      const runner = yield* podmanRunner
      const name = uniqueName("interrupt")
      yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
      yield* runner.run(["run", "-d", "--init", "--name", name, TEST_IMAGE])
      const runtime = yield* ContainerRuntime
      const fiber = yield* Effect.fork(runtime.exec(name, ["sleep", "300"]))
      yield* awaitProcess(() => podmanChildren("exec", name))
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* awaitNoProcess(() => podmanChildren("exec", name)), [])
    }).pipe(withPodman({})))

  it.scopedLive("global options reach podman: a fresh --root/--runroot has no images", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("effect-podman-root-")
      const images = yield* Effect.flatMap(ContainerRuntime, (runtime) => runtime.images()).pipe(
        withPodman({ root: join(dir, "root"), runroot: join(dir, "runroot") })
      )
      assert.deepStrictEqual(images, [])
      const defaultImages = yield* Effect.flatMap(ContainerRuntime, (runtime) => runtime.images()).pipe(withPodman({}))
      assert.isTrue(defaultImages.some((image) => image.ref === TEST_IMAGE))
    }))
})
