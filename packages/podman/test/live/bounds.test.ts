/**
 * Nothing hangs, and a podman service that dies fails the calls it was serving with a typed
 * error: a podman that stops answering a log dump, a socket that accepts and never answers, a
 * service killed under a following stream, and a ten-megabyte log line.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Stream } from "effect"
import type { Scope } from "effect"
import { readdirSync } from "node:fs"
import { createServer } from "node:net"
import type { Socket } from "node:net"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import type { PodmanError } from "../../src/PodmanError.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { podmanRunner } from "../helpers/live.js"
import { awaitNoProcess, awaitProcess, processesMatching, stubBinary } from "../helpers/processes.js"
import { tempDir } from "../helpers/tempDir.js"

/** A container made outside the API under test, running `script`; removed when the scope closes. */
const container = (label: string, script: string): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    const runner = yield* Effect.orDie(podmanRunner)
    const name = uniqueName(label)
    yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", "--time", "0", name])))
    yield* Effect.orDie(runner.run(["run", "-d", "--init", "--name", name, TEST_IMAGE, "sh", "-c", script]))
    return name
  }).pipe(Effect.provide(NodeContext.layer))

/** A unix socket that accepts connections and never answers; closed with the scope. */
const silentSocket = (path: string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: ReturnType<typeof createServer>; readonly sockets: Array<Socket> }>((resume) => {
      const sockets: Array<Socket> = []
      const server = createServer((socket) => void sockets.push(socket))
      server.listen(path, () => resume(Effect.succeed({ server, sockets })))
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resume(Effect.void))
      })
  )

/** A TCP server on loopback that accepts connections and never answers (a registry gone silent). */
const silentRegistry = Effect.acquireRelease(
  Effect.async<{ readonly port: number; readonly close: () => void }>((resume) => {
    const sockets: Array<Socket> = []
    const server = createServer((socket) => void sockets.push(socket))
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        port: (server.address() as { port: number }).port,
        close: () => {
          sockets.forEach((socket) => socket.destroy())
          server.close()
        }
      })))
  }),
  ({ close }) => Effect.sync(close)
)

const withLayer = <E>(layer: Layer.Layer<ContainerRuntime, E, never>) => Effect.provide(Layer.orDie(layer))

describe("every call that can hang has a bound", () => {
  it.scopedLive("cli: a log dump from a podman that stops answering fails with Timeout, and the child is reaped", () =>
    Effect.gen(function*() {
      const name = yield* container("dump", "echo one; sleep 600")
      const marker = uniqueName("hung-logs")
      // the real podman for everything but `logs`, which hangs and ignores SIGTERM; its inspect
      // says the log driver is journald, so the dump asks `podman logs` instead of reading the file
      const binary = yield* stubBinary([
        `if [ "$1" = logs ]; then trap '' TERM; sleep 60; echo ${marker} >/dev/null`,
        `elif [ "$1" = container ] && [ "$2" = inspect ]; then podman "$@" | sed 's/"k8s-file"/"journald"/'`,
        `else exec podman "$@"; fi`
      ].join("\n"))
      const error = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (runtime) => Stream.runCollect(runtime.container(name).logs())).pipe(
          withLayer(
            Podman.layer({ binary, timeout: "1 second", killGrace: "200 millis" }).pipe(
              Layer.provide(NodeContext.layer)
            )
          )
        )
      )
      assert.strictEqual(error._tag, "Timeout")
      // the layer's bound, not one the caller set: podman itself did not answer
      if (error._tag === "Timeout") assert.strictEqual(error.reason, "LayerBound")
      assert.deepStrictEqual(
        yield* awaitNoProcess(() => processesMatching(binary).filter((p) => p.argv.includes("logs"))),
        []
      )
    }))

  it.scopedLive("cli: a copyOut whose podman cp stalls fails with Timeout after the layer's bound, the child reaped", () =>
    Effect.gen(function*() {
      const name = yield* container("stall", "sleep 600")
      const binary = yield* stubBinary([
        `if [ "$1" = cp ]; then trap '' TERM; sleep 60`,
        `else exec podman "$@"; fi`
      ].join("\n"))
      const dest = join(yield* tempDir("effect-podman-stall-"), "out")
      const started = Date.now()
      const error = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (runtime) => runtime.container(name).copyOut("/etc", dest)).pipe(
          withLayer(
            Podman.layer({ binary, timeout: "1 second", killGrace: "200 millis" }).pipe(
              Layer.provide(NodeContext.layer)
            )
          )
        )
      )
      assert.strictEqual(error._tag, "Timeout")
      assert.isBelow(Date.now() - started, 15_000)
      assert.deepStrictEqual(
        yield* awaitNoProcess(() => processesMatching(binary).filter((p) => p.argv.includes("cp"))),
        []
      )
    }))

  for (const backend of ["cli", "rest"] as const) {
    it.scopedLive(`${backend}: a pull from a registry that accepts and never answers fails with Timeout, no podman left pulling, nothing left in the temporary folder`, () =>
      Effect.gen(function*() {
        // podman's temporary files go to TMPDIR: a folder of this test's own, empty at the end
        const tmp = yield* tempDir("ep-tmpdir-")
        const previous = process.env["TMPDIR"]
        yield* Effect.acquireRelease(
          Effect.sync(() => void (process.env["TMPDIR"] = tmp)),
          () =>
            Effect.sync(() =>
              void (previous === undefined ? delete process.env["TMPDIR"] : (process.env["TMPDIR"] = previous))
            )
        )
        const { port } = yield* silentRegistry
        const ref = `127.0.0.1:${port}/${uniqueName("never").toLowerCase()}:1`
        const layer = backend === "cli"
          ? Podman.layer({ timeout: "2 seconds", killGrace: "200 millis" })
          : PodmanApi.layerService({ timeout: "2 seconds", killGrace: "200 millis" })
        const started = Date.now()
        const error = yield* Effect.flip(
          Effect.flatMap(ContainerRuntime, (runtime) => runtime.pull(ref, { tlsVerify: false })).pipe(
            withLayer(layer.pipe(Layer.provide(NodeContext.layer)))
          )
        )
        assert.strictEqual(error._tag, "Timeout")
        assert.isBelow(Date.now() - started, 20_000)
        assert.deepStrictEqual(yield* awaitNoProcess(() => processesMatching(ref)), [])
        assert.deepStrictEqual(readdirSync(tmp), [])
      }))
  }

  it.scopedLive("rest: a socket that accepts and never answers is a Timeout for calls, dumps and layerService", () =>
    Effect.gen(function*() {
      const socket = join(yield* tempDir("effect-podman-silent-"), "silent.sock")
      yield* silentSocket(socket)
      const runtime = PodmanApi.layer({ socket, timeout: "500 millis" }).pipe(Layer.provide(NodeContext.layer))
      const state = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (rt) => rt.container("web").state).pipe(withLayer(runtime))
      )
      assert.strictEqual(state._tag, "Timeout")
      if (state._tag === "Timeout") assert.strictEqual(state.reason, "LayerBound")
      const logs = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (rt) => Stream.runDrain(rt.container("web").logs())).pipe(withLayer(runtime))
      )
      assert.strictEqual(logs._tag, "Timeout")
      const service = yield* Effect.flip(Layer.build(
        PodmanApi.layerService({ socket, timeout: "500 millis" }).pipe(Layer.provide(NodeContext.layer))
      ))
      assert.strictEqual(service._tag, "Timeout")
    }))
})

describe("a podman service that dies under a stream", () => {
  for (const stream of ["logs", "events"] as const) {
    it.scopedLive(`rest: ${stream} following fails with PodmanMissing (ConnectionLost), not a defect`, () =>
      Effect.gen(function*() {
        const name = yield* container("ticks", "while true; do echo tick; sleep 0.2; done")
        const socket = join(yield* tempDir("effect-podman-dies-"), "api.sock")
        yield* Effect.gen(function*() {
          const runtime = yield* ContainerRuntime
          const source: Stream.Stream<unknown, PodmanError> = stream === "logs"
            // with `tail` the API follows (without, a local container's log file is followed:
            // that reader does not need the service, and goes on without it)
            ? runtime.container(name).logs({ follow: true, tail: 10 })
            : runtime.events(name.slice(0, name.lastIndexOf("-")), { since: new Date(0) })
          const seen: Array<unknown> = []
          const fiber = yield* Effect.fork(Stream.runForEach(source, (item) => Effect.sync(() => void seen.push(item))))
          if (stream === "logs") yield* Effect.repeat(Effect.sync(() => seen.length), { until: (n) => n >= 2 })
          else yield* Effect.sleep("500 millis")
          const [service] = yield* awaitProcess(() =>
            processesMatching(socket).filter((p) => p.argv.includes("service"))
          )
          process.kill(service!.pid, "SIGKILL")
          const error = yield* Effect.flip(Fiber.join(fiber))
          assert.strictEqual(error._tag, "PodmanMissing")
          if (error._tag === "PodmanMissing") assert.strictEqual(error.reason, "ConnectionLost")
        }).pipe(withLayer(PodmanApi.layerService({ socket }).pipe(Layer.provide(NodeContext.layer))))
      }))
  }
})

const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeContext.layer)),
  rest: PodmanApi.layerService().pipe(Layer.provide(NodeContext.layer))
}

describe("a ten-megabyte log line", () => {
  for (const layerName of ["cli", "rest"] as const) {
    it.scopedLive(`${layerName}: arrives whole, as one line`, () =>
      Effect.gen(function*() {
        const size = 10_000_000
        const name = yield* container(
          "longline",
          `head -c ${size} /dev/zero | /bin/busybox tr '\\0' a; echo; echo done; sleep 600`
        )
        const runtime = yield* ContainerRuntime
        const lines = yield* Effect.repeat(
          Effect.map(Stream.runCollect(runtime.container(name).logs()), Chunk.toArray),
          { until: (lines) => lines.includes("done") }
        )
        assert.strictEqual(lines.length, 2)
        assert.strictEqual(lines[0]!.length, size)
        assert.isTrue(/^a+$/.test(lines[0]!))
      }).pipe(withLayer(LAYERS[layerName])))
  }
})
