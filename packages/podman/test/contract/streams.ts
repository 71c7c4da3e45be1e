/** The contract of logs, waitForLog, events, execStdio and port reservations. */
import { assert, describe } from "@effect/vitest"
import { Chunk, Effect, Fiber, Option, Queue, Sink, Stream } from "effect"
import { createServer } from "node:net"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, uniqueName } from "./fixtures.js"
import { failureReason } from "./helpers.js"
import type { ContractIt } from "./suite.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Whether another socket can bind `port` on 127.0.0.1 right now. */
const canBind = (port: number) =>
  Effect.async<boolean>((resume) => {
    const server = createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resume(Effect.succeed(true))))
  })

export const streamsContract = (it: ContractIt) => {
  describe("logs", () => {
    it.scoped("stdout and stderr lines, without newlines; tail keeps the last ones", () =>
      Effect.gen(function*() {
        const name = uniqueName("logs")
        yield* (yield* Fixtures).exited(name, 0, ["sh", "-c", "echo one; echo two >&2; echo three"])
        const container = (yield* ContainerRuntime).container(name)
        // stdout and stderr reach the log through two pipes: their relative order is not fixed
        const lines = Chunk.toArray(yield* Stream.runCollect(container.logs()))
        assert.deepStrictEqual([...lines].sort(), ["one", "three", "two"])
        // each line with its stream: the order within a stream is kept
        const entries = Chunk.toArray(yield* Stream.runCollect(container.logEntries()))
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stdout").map((e) => e.line), ["one", "three"])
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stderr").map((e) => e.line), ["two"])
        const ordered = uniqueName("tail")
        yield* (yield* Fixtures).exited(ordered, 0, ["sh", "-c", "echo one; echo two; echo three"])
        const tail = (yield* ContainerRuntime).container(ordered).logs({ tail: 2 })
        assert.deepStrictEqual(Chunk.toArray(yield* Stream.runCollect(tail)), ["two", "three"])
      }))

    it.scoped("follow streams new lines as they come; take(2) ends it early", () =>
      Effect.gen(function*() {
        const name = uniqueName("follow")
        yield* (yield* Fixtures).running(name, {
          command: ["sh", "-c", "echo a; sleep 0.3; echo b; sleep 0.3; echo c; sleep 3600"]
        })
        const container = (yield* ContainerRuntime).container(name)
        const first = yield* Stream.runCollect(Stream.take(container.logs({ follow: true }), 2))
        assert.deepStrictEqual(Chunk.toArray(first), ["a", "b"])
      }))

    it.scoped("follow ends when the container stops", () =>
      Effect.gen(function*() {
        const name = uniqueName("followend")
        yield* (yield* Fixtures).running(name, { command: ["sh", "-c", "echo x; sleep 1; echo y"] })
        const lines = yield* Stream.runCollect((yield* ContainerRuntime).container(name).logs({ follow: true }))
        assert.deepStrictEqual(Chunk.toArray(lines), ["x", "y"])
      }))

    it.effect("an absent container is a NonZeroExit, not an empty stream", () =>
      Effect.gen(function*() {
        const logs = (yield* ContainerRuntime).container(uniqueName("absent")).logs()
        assert.strictEqual(yield* failureReason(Stream.runCollect(logs)), "NonZeroExit:NoSuchContainer")
      }))
  })

  describe("waitForLog", () => {
    it.scoped("true when the marker comes (after 0.5 s), each line going to onLine", () =>
      Effect.gen(function*() {
        const name = uniqueName("ready")
        yield* (yield* Fixtures).running(name, {
          command: ["sh", "-c", "echo booting; sleep 0.5; echo READY; sleep 3600"]
        })
        const seen: Array<string> = []
        const ready = yield* (yield* ContainerRuntime).container(name).waitForLog((line) => line === "READY", {
          timeout: "20 seconds",
          onLine: (line) => Effect.sync(() => void seen.push(line))
        })
        assert.isTrue(ready)
        assert.deepStrictEqual(seen, ["booting", "READY"])
      }))

    it.scoped("false when the marker never comes within the bound", () =>
      Effect.gen(function*() {
        const name = uniqueName("never")
        yield* (yield* Fixtures).running(name, { command: ["sh", "-c", "echo booting; sleep 3600"] })
        const container = (yield* ContainerRuntime).container(name)
        assert.isFalse(
          yield* container.waitForLog((line) => line === "READY", { timeout: "2 seconds", onLine: () => Effect.void })
        )
      }))
  })

  describe("events", () => {
    it.scoped("lifecycle of containers named prefix-…, with the exit code on died", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const prefix = uniqueName("events")
        const since = new Date()
        const collected = yield* Effect.fork(
          runtime.events(prefix, { since }).pipe(
            Stream.takeUntil((event) => event.status === "remove"),
            Stream.runCollect
          )
        )
        const fixtures = yield* Fixtures
        yield* fixtures.created(`${prefix}x-other`) // not prefix-…
        yield* fixtures.exited(`${prefix}-job`, 2)
        assert.strictEqual(yield* runtime.container(`${prefix}-job`).wait(), 2)
        yield* runtime.forceRemove([`${prefix}-job`])
        const events = Chunk.toArray(yield* Fiber.join(collected))
        assert.deepStrictEqual(events.map((e) => e.status), ["create", "init", "start", "died", "remove"])
        assert.isTrue(events.every((e) => e.name === `${prefix}-job`))
        assert.deepStrictEqual(events[3]!.exitCode, Option.some(2))
      }))
  })

  describe("execStdio", () => {
    it.scoped("bytes through cat: stdin's end closes the command's stdin, output drained, exit code returned", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("stdio")
        yield* (yield* Fixtures).running(name)
        const input = ["hello ", "stdio\n", "second line\n"].map((text) => encoder.encode(text))
        const out: Array<string> = []
        const code = yield* runtime.execStdio(name, ["cat"], {
          stdin: Stream.fromIterable(input),
          stdout: Sink.forEach((chunk: Uint8Array) => Effect.sync(() => void out.push(decoder.decode(chunk))))
        })
        assert.strictEqual(code, 0)
        assert.strictEqual(out.join(""), "hello stdio\nsecond line\n")
        const failing = yield* runtime.execStdio(name, ["sh", "-c", "exit 4"], {
          stdin: Stream.empty,
          stdout: Sink.drain
        })
        assert.strictEqual(failing, 4)
      }))

    it.scoped("a conversation: each message answered before the next is sent", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("rpc")
        yield* (yield* Fixtures).running(name)
        const requests = yield* Queue.unbounded<Uint8Array>()
        const responses = yield* Queue.unbounded<string>()
        const session = yield* Effect.fork(runtime.execStdio(name, ["cat"], {
          stdin: Stream.fromQueue(requests, { shutdown: true }),
          stdout: Sink.forEach((chunk: Uint8Array) => Queue.offer(responses, decoder.decode(chunk)))
        }))
        for (let id = 0; id < 25; id++) {
          const message = JSON.stringify({ jsonrpc: "2.0", id, method: "echo" })
          yield* Queue.offer(requests, encoder.encode(`${message}\n`))
          let answer = ""
          while (!answer.endsWith("\n")) answer += yield* Queue.take(responses)
          assert.strictEqual(answer, `${message}\n`)
        }
        yield* Queue.shutdown(requests)
        assert.strictEqual(yield* Fiber.join(session), 0)
      }))

    it.scoped("a container that is not running is a NonZeroExit", () =>
      Effect.gen(function*() {
        const name = uniqueName("stdiocreated")
        yield* (yield* Fixtures).created(name)
        const exec = (yield* ContainerRuntime).execStdio(name, ["cat"], { stdin: Stream.empty, stdout: Sink.drain })
        assert.strictEqual(yield* failureReason(exec), "NonZeroExit:NotRunning")
      }))
  })

  describe("reservePort", () => {
    it.effect("holds a real port until its scope closes; a bad host is InvalidArgument", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const port = yield* Effect.scoped(
          Effect.gen(function*() {
            const reservation = yield* runtime.reservePort()
            assert.isAbove(reservation.port, 0)
            assert.isFalse(yield* canBind(reservation.port))
            return reservation.port
          })
        )
        assert.isTrue(yield* canBind(port))
        const error = yield* Effect.flip(Effect.scoped(runtime.reservePort("256.0.0.1")))
        assert.strictEqual(error._tag, "InvalidArgument")
      }))

    it.scoped("release frees the port early, and releasing twice is harmless", () =>
      Effect.gen(function*() {
        const reservation = yield* (yield* ContainerRuntime).reservePort("127.0.0.1")
        yield* reservation.release
        yield* reservation.release
        assert.isTrue(yield* canBind(reservation.port))
      }))
  })
}
