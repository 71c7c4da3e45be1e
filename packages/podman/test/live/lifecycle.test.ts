/**
 * Scoped containers against real podman, beyond the contract: interrupted at random points
 * nothing is left; a crashed session's containers are swept by the next; secrets stay out of argv.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Logger, LogLevel, Option, Random, Redacted, Stream } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as Wait from "../../src/Wait.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { captureLogs } from "../helpers/live.js"

const PodmanLive = Podman.layer().pipe(Layer.provideMerge(NodeContext.layer))

describe("scoped containers on real podman", () => {
  it.live(
    "a scoped run interrupted at random points (50 times) leaves no container behind",
    () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const prefix = uniqueName("interrupt")
        const outcomes = { ready: 0, interrupted: 0 }
        for (let i = 0; i < 50; i++) {
          const fiber = yield* Effect.fork(Effect.scoped(Effect.zipRight(
            runtime.run(
              { image: TEST_IMAGE, namePrefix: prefix, command: ["sh", "-c", "sleep 0.2; echo READY; sleep 3600"] },
              { wait: Wait.forLog(/READY/), deadline: "30 seconds" }
            ),
            Effect.never
          )))
          yield* Effect.sleep(`${yield* Random.nextIntBetween(0, 1500)} millis`)
          const exit = yield* Fiber.interrupt(fiber)
          outcomes[exit._tag === "Failure" ? "interrupted" : "ready"]++
          assert.strictEqual((yield* runtime.containerStates(prefix)).size, 0, `loop ${i}`)
        }
        assert.strictEqual(outcomes.interrupted, 50)
      }).pipe(Effect.provide(PodmanLive)),
    { timeout: 600_000 }
  )

  it.scopedLive(
    "a session killed with SIGKILL: the next sweep removes its containers and leaves others alone",
    () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const prefix = uniqueName("crashed")
        const mine = yield* runtime.create({ image: TEST_IMAGE, namePrefix: uniqueName("alive") })
        const script = fileURLToPath(new URL("../fixtures/crashingSession.ts", import.meta.url))
        const child = spawn(process.execPath, ["--import", "tsx", script, prefix], {
          stdio: ["ignore", "pipe", "inherit"]
        })
        yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
        const created = yield* Effect.async<Array<string>>((resume) => {
          let out = ""
          child.stdout!.on("data", (chunk) => {
            out += chunk
            const line = /created (\S+) (\S+)/.exec(out)
            if (line !== null) resume(Effect.succeed([line[1]!, line[2]!]))
          })
        }).pipe(Effect.timeout("60 seconds"))
        assert.strictEqual((yield* runtime.containerStates(prefix)).size, 2)
        child.kill("SIGKILL")
        yield* Effect.async<void>((resume) => {
          if (child.exitCode !== null || child.signalCode !== null) resume(Effect.void)
          else child.once("exit", () => resume(Effect.void))
        })
        assert.strictEqual((yield* runtime.containerStates(prefix)).size, 2, "SIGKILL ran no finalizer")
        // other test files may sweep concurrently (PodmanTest.layer does): check the outcome
        const swept = yield* runtime.sweep
        assert.notInclude(swept, mine.name)
        for (const name of created) assert.isTrue(Option.isNone(yield* runtime.container(name).state))
        assert.strictEqual((yield* runtime.containerStates(prefix)).size, 0)
        assert.isTrue(Option.isSome(yield* mine.state))
      }).pipe(Effect.provide(PodmanLive)),
    { timeout: 120_000 }
  )

  it.scopedLive("secret env reaches the container without ever being in an argv, a log or an error", () => {
    const { layer: capture, logs } = captureLogs()
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const container = yield* runtime.run(
        {
          image: TEST_IMAGE,
          namePrefix: "ep-secret",
          command: ["sh", "-c", "echo token=$API_TOKEN plain=$PLAIN; sleep 3600"],
          env: { PLAIN: "visible" },
          secretEnv: { API_TOKEN: Redacted.make("s3cr3t-run-value") }
        },
        { wait: Wait.forLog(/token=/), deadline: "30 seconds" }
      )
      const lines = Chunk.toArray(yield* Stream.runCollect(container.logs()))
      assert.deepStrictEqual(lines, ["token=s3cr3t-run-value plain=visible"])
      assert.isTrue(logs.some((line) => line.includes("--env API_TOKEN ")), "the argv names the variable")
      assert.isFalse(logs.some((line) => line.includes("s3cr3t-run-value")))
      const failing = yield* Effect.flip(Effect.scoped(runtime.run({
        image: "localhost/no-such-image:latest",
        secretEnv: { API_TOKEN: Redacted.make("s3cr3t-run-value") }
      })))
      assert.notInclude(`${failing.message} ${JSON.stringify(failing)}`, "s3cr3t-run-value")
    }).pipe(Effect.provide(PodmanLive), Effect.provide(capture), Logger.withMinimumLogLevel(LogLevel.All))
  })

  it.live("an invalid spec is refused before podman is even looked up", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const error = yield* Effect.flip(Effect.scoped(runtime.run({ image: TEST_IMAGE, ports: [{ container: 70000 }] })))
      assert.strictEqual(error._tag, "SpecError") // not PodmanMissing: nothing was spawned
    }).pipe(Effect.provide(Podman.layer({ binary: "/nonexistent/podman" }).pipe(Layer.provide(NodeContext.layer)))))
})
