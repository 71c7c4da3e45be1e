/**
 * Streams against real podman, beyond the contract: nothing outlives its scope when interrupted at
 * random points (children and file descriptors counted), volume and latency of execStdio, bytes
 * that are not UTF-8, secrets in execStdio's environment.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Layer, Logger, LogLevel, Queue, Random, Schedule, Sink, Stream } from "effect"
import { createHash } from "node:crypto"
import { readdirSync, watch } from "node:fs"
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { captureLogs, podmanRunner } from "../helpers/live.js"
import { awaitNoProcess, podmanChildren, stubBinary } from "../helpers/processes.js"
// podman's event log here (the `file` logger): where a rotation can be seen — asked of podman
import { EVENTS_LOG } from "../../../shared/test/crossEdition/hostMode.js"

const PodmanLive = Podman.layer().pipe(Layer.provideMerge(NodeContext.layer))
const ApiLive = PodmanApi.layerService().pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer))

/**
 * A podman that rotates its event log soon: the same podman, whose containers.conf adds an
 * `events_logfile_max_size` a few kilobytes above the log's size now.
 */
const rotatingPodman = Effect.gen(function*() {
  const size = (yield* Effect.promise(() => stat(EVENTS_LOG).catch(() => undefined)))?.size
  if (size === undefined) {
    return yield* Effect.dieMessage(`podman's event log is not at ${EVENTS_LOG}: this test needs it`)
  }
  const base = process.env["CONTAINERS_CONF"]
    ? yield* Effect.promise(() => readFile(process.env["CONTAINERS_CONF"]!, "utf8"))
    : ""
  const limit = `events_logfile_max_size = ${size + 6000}`
  const conf = base.includes("[engine]")
    ? base.replace("[engine]", `[engine]\n${limit}`)
    : `${base}\n[engine]\n${limit}\n`
  const dir = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "effect-podman-rotate-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  yield* Effect.promise(() => writeFile(join(dir, "containers.conf"), conf))
  return { size, binary: yield* stubBinary(`CONTAINERS_CONF='${join(dir, "containers.conf")}' exec podman "$@"`) }
})

/** The event stream goes on across a rotation of podman's event log, each event once. */
const eventsAcrossRotation = (size: number) =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime
    const prefix = uniqueName("rotate")
    const collected = yield* Effect.fork(
      runtime.events(prefix).pipe(
        Stream.takeUntil((event) => event.name === `${prefix}-last` && event.status === "remove"),
        Stream.runCollect
      )
    )
    yield* Effect.sleep("500 millis") // the reader is reading
    const names: Array<string> = []
    let rotated = false
    let before = size
    for (let i = 0; i < 60 && !rotated; i++) {
      names.push(`${prefix}-${i}`)
      yield* runtime.create({ name: `${prefix}-${i}`, image: TEST_IMAGE, command: ["true"] })
      yield* runtime.forceRemove([`${prefix}-${i}`])
      const now = (yield* Effect.promise(() => stat(EVENTS_LOG))).size
      rotated = now < before
      before = now
    }
    assert.isTrue(rotated, "the event log was rotated")
    names.push(`${prefix}-last`)
    yield* runtime.create({ name: `${prefix}-last`, image: TEST_IMAGE, command: ["true"] })
    yield* runtime.forceRemove([`${prefix}-last`])
    const events = Chunk.toArray(yield* Fiber.join(collected).pipe(Effect.timeout("20 seconds")))
    assert.deepStrictEqual(
      events.map((event) => `${event.name} ${event.status}`),
      names.flatMap((name) => [`${name} create`, `${name} remove`])
    )
  })

const openFds = () => readdirSync("/proc/self/fd").length

/** A running container for the test, removed when its scope closes. */
const runningContainer = (label: string, command: ReadonlyArray<string> = []) =>
  Effect.gen(function*() {
    const runner = yield* podmanRunner
    const name = uniqueName(label)
    yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", "--time", "0", name])))
    yield* runner.run(["run", "-d", "--init", "--name", name, TEST_IMAGE, ...command])
    return name
  })

const LOOPS = 50

/** Interrupts `effect` at a random point (0–400 ms in) `LOOPS` times; no child nor fd is left. */
/**
 * libuv opens one inotify descriptor per process at its first file watch (a followed log file is
 * watched) and keeps it: opened here first, so it is not counted as a leak.
 */
const openInotify = () => watch(tmpdir(), () => {}).close()

const interruptLoop = <A, E>(verb: string, needle: string, effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    openInotify()
    const fdsBefore = openFds()
    for (let i = 0; i < LOOPS; i++) {
      const fiber = yield* Effect.fork(effect)
      yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(0, 400)))
      yield* Fiber.interrupt(fiber)
      // a followed log may read the file after an inspect: neither child may be left
      assert.deepStrictEqual(
        yield* awaitNoProcess(() => [...podmanChildren(verb, needle), ...podmanChildren("inspect", needle)]),
        [],
        `loop ${i}`
      )
    }
    // pipes are closed by libuv shortly after the child is reaped: wait for that, bounded
    const fdsAfter = yield* Effect.suspend(() => {
      const open = openFds()
      return open <= fdsBefore ? Effect.succeed(open) : Effect.fail(open)
    }).pipe(Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))), Effect.merge)
    assert.isAtMost(fdsAfter, fdsBefore)
  })

/** 50 MiB through `cat` in a fresh container: every byte comes back, in order. */
const bulkThroughCat = (label: string) =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime
    const name = yield* runningContainer(label)
    const chunk = new Uint8Array(64 * 1024).map((_, i) => (i * 31 + 7) % 256)
    const chunks = 800 // 800 × 64 KiB = 50 MiB
    const sent = createHash("sha256")
    for (let i = 0; i < chunks; i++) sent.update(chunk)
    const received = createHash("sha256")
    let bytes = 0
    const code = yield* runtime.execStdio(name, ["cat"], {
      stdin: Stream.range(1, chunks).pipe(Stream.map(() => chunk)),
      stdout: Sink.forEach((data: Uint8Array) =>
        Effect.sync(() => {
          bytes += data.length
          received.update(data)
        })
      ),
      timeout: "3 minutes"
    })
    assert.strictEqual(code, 0)
    assert.strictEqual(bytes, chunks * chunk.length)
    assert.strictEqual(received.digest("hex"), sent.digest("hex"))
  })

describe("streams against real podman", () => {
  it.scopedLive(
    "interrupting logs, waitForLog, events and execStdio at random points leaves no child and no fd",
    () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = yield* runningContainer("chatty", ["sh", "-c", "while true; do echo tick; sleep 0.05; done"])
        const container = runtime.container(name)
        yield* interruptLoop("logs", name, Stream.runDrain(container.logs({ follow: true })))
        yield* interruptLoop(
          "logs",
          name,
          container.waitForLog((line) => line === "never", { timeout: "1 minute", onLine: () => Effect.void })
        )
        yield* interruptLoop("events", "--since", Stream.runDrain(runtime.events(name)))
        yield* interruptLoop(
          "exec",
          name,
          runtime.execStdio(name, ["cat"], { stdin: Stream.never, stdout: Sink.drain })
        )
      }).pipe(Effect.provide(PodmanLive)),
    { timeout: 600_000 }
  )

  it.scopedLive("a JSON-RPC style echo of 1,000 messages, each answered before the next", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const name = yield* runningContainer("rpc")
      const requests = yield* Queue.unbounded<Uint8Array>()
      const responses = yield* Queue.unbounded<string>()
      const decoder = new TextDecoder()
      const session = yield* Effect.fork(runtime.execStdio(name, ["cat"], {
        stdin: Stream.fromQueue(requests, { shutdown: true }),
        stdout: Sink.forEach((chunk: Uint8Array) => Queue.offer(responses, decoder.decode(chunk)))
      }))
      for (let id = 0; id < 1000; id++) {
        const message = `${JSON.stringify({ jsonrpc: "2.0", id, method: "ping", params: [id] })}\n`
        yield* Queue.offer(requests, new TextEncoder().encode(message))
        let answer = ""
        while (answer.length < message.length) answer += yield* Queue.take(responses)
        assert.strictEqual(answer, message)
      }
      yield* Queue.shutdown(requests)
      assert.strictEqual(yield* Fiber.join(session), 0)
    }).pipe(Effect.provide(PodmanLive)), { timeout: 300_000 })

  it.scopedLive(
    "REST layer: interrupting logs, events and execStdio leaves no connection (fd) open",
    () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = yield* runningContainer("restchatty", ["sh", "-c", "while true; do echo tick; sleep 0.05; done"])
        openInotify()
        const fdsBefore = openFds()
        for (let i = 0; i < 20; i++) {
          for (
            const effect of [
              Stream.runDrain(runtime.container(name).logs({ follow: true })),
              Stream.runDrain(runtime.events(name)),
              runtime.execStdio(name, ["cat"], { stdin: Stream.never, stdout: Sink.drain })
            ]
          ) {
            const fiber = yield* Effect.fork(effect)
            yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(0, 300)))
            yield* Fiber.interrupt(fiber)
          }
        }
        const fdsAfter = yield* Effect.suspend(() => {
          const open = openFds()
          return open <= fdsBefore + 2 ? Effect.succeed(open) : Effect.fail(open)
        }).pipe(Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo("10 seconds"))), Effect.merge)
        // + 2: the kept-alive connections of the pool may stay open, as they should
        assert.isAtMost(fdsAfter, fdsBefore + 2)
      }).pipe(Effect.provide(ApiLive)),
    { timeout: 300_000 }
  )

  it.scopedLive("50 MB through cat, byte-exact", () => bulkThroughCat("bulk").pipe(Effect.provide(PodmanLive)), {
    timeout: 300_000
  })

  it.scopedLive(
    "REST layer: 50 MB through cat over the hijacked connection, byte-exact",
    () => bulkThroughCat("restbulk").pipe(Effect.provide(ApiLive)),
    { timeout: 300_000 }
  )

  it.scopedLive("execStdio: environment reaches the command, secrets never reach the logs; the bound kills", () => {
    const { layer: capture, logs } = captureLogs()
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const name = yield* runningContainer("env")
      const out: Array<string> = []
      const code = yield* runtime.execStdio(name, ["sh", "-c", "echo $GREETING $API_TOKEN"], {
        stdin: Stream.empty,
        stdout: Sink.forEach((chunk: Uint8Array) => Effect.sync(() => void out.push(new TextDecoder().decode(chunk)))),
        env: { GREETING: "hello", API_TOKEN: "s3cr3t-value" }
      })
      assert.strictEqual(code, 0)
      assert.strictEqual(out.join(""), "hello s3cr3t-value\n")
      // the secret travels in podman's environment: its argv names the key alone
      assert.isTrue(logs.some((line) => line.includes("-e API_TOKEN ") && line.includes("-e GREETING=hello")))
      assert.isFalse(logs.some((line) => line.includes("s3cr3t-value")))
      const timeout = yield* Effect.flip(
        runtime.execStdio(name, ["cat"], { stdin: Stream.never, stdout: Sink.drain, timeout: "300 millis" })
      )
      assert.strictEqual(timeout._tag, "Timeout")
      assert.deepStrictEqual(yield* awaitNoProcess(() => podmanChildren("exec", name)), [])
    }).pipe(Effect.provide(PodmanLive), Effect.provide(capture), Logger.withMinimumLogLevel(LogLevel.All))
  })

  it.scopedLive(
    "events go on across a rotation of podman's event log (podman's own reader stops there)",
    () =>
      Effect.flatMap(rotatingPodman, ({ binary, size }) =>
        eventsAcrossRotation(size).pipe(
          Effect.provide(Podman.layer({ binary }).pipe(Layer.provideMerge(NodeContext.layer)))
        )),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "REST layer: events go on across a rotation of podman's event log",
    () =>
      Effect.flatMap(rotatingPodman, ({ binary, size }) =>
        eventsAcrossRotation(size).pipe(
          Effect.provide(PodmanApi.layerService({ binary }).pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer)))
        )),
    { timeout: 60_000 }
  )

  it.scopedLive("log bytes that are not UTF-8 are replaced, not fatal", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const name = yield* runningContainer("bytes", ["sh", "-c", "printf 'a\\377b\\n'; echo after; sleep 3600"])
      const lines = yield* Stream.runCollect(Stream.take(runtime.container(name).logs({ follow: true }), 2))
      assert.deepStrictEqual(Chunk.toArray(lines), ["a\uFFFDb", "after"])
    }).pipe(Effect.provide(PodmanLive)))
})
