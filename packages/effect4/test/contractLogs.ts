/**
 * The contract of logs, on the three layers: entries with their streams, `waitForLog`, a followed
 * log that ends with its container, `tail` and `since` as podman applies them, and what is
 * refused before podman runs (a bad `tail`, an invalid `Date`, a name podman would misread) or
 * by podman (an absent container: `NoSuchContainer`, never an empty stream).
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, Wait } from "../src/index.js"

const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

export const logsContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) =>
  describe("logs", () => {
    it.effect("logEntries: each line with its stream, in order within a stream", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const job = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-entries",
          command: ["sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2"]
        })
        assert.strictEqual(yield* job.wait(), 0)
        const entries = [...yield* Stream.runCollect(job.logEntries())]
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stdout").map((e) => e.line), ["out1", "out2"])
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stderr").map((e) => e.line), ["err1", "err2"])
        assert.deepStrictEqual([...yield* Stream.runCollect(job.logs())].sort(), ["err1", "err2", "out1", "out2"])
      }))

    it.effect("waitForLog: true when the marker comes, each line to onLine; false at the bound; false when the container stops first", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-waitlog",
          command: ["sh", "-c", "echo one; sleep 0.5; echo MARK; sleep 3600"]
        })
        const seen: Array<string> = []
        const found = yield* c.waitForLog((line) => line === "MARK", {
          timeout: "20 seconds",
          onLine: (line) => Effect.sync(() => void seen.push(line))
        })
        assert.isTrue(found)
        assert.deepStrictEqual(seen, ["one", "MARK"])
        assert.isFalse(
          yield* c.waitForLog((line) => line === "never", { timeout: "1 second", onLine: () => Effect.void })
        )
        const job = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-waitlog-job",
          command: ["sh", "-c", "echo done"]
        })
        assert.strictEqual(yield* job.wait(), 0)
        assert.isFalse(
          yield* job.waitForLog((line) => line === "never", { timeout: "20 seconds", onLine: () => Effect.void })
        )
      }))

    it.effect("a followed log ends when the container exits, its last line without a newline included", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const job = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-follow",
          command: [
            "sh",
            "-c",
            "echo line 1; sleep 0.2; echo line 2; sleep 0.2; echo line 3; sleep 0.2; echo -n 'no newline'"
          ]
        })
        const followed = yield* Stream.runCollect(job.logs({ follow: true })).pipe(Effect.timeout("30 seconds"))
        assert.deepStrictEqual(followed, ["line 1", "line 2", "line 3", "no newline"])
        assert.strictEqual(yield* job.wait(), 0)
        assert.deepStrictEqual(yield* Stream.runCollect(job.logs()), followed)
      }))

    it.effect("tail keeps the last lines, since the lines written at or after it, followed or not", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = yield* runtime.run(
          {
            image: TEST_IMAGE,
            namePrefix: "ep4-tail",
            command: ["sh", "-c", "echo a; echo b; echo c; sleep 2; echo late; sleep 3600"]
          },
          { wait: Wait.forLog(/^c$/), deadline: "30 seconds" }
        )
        // what came before this mark was written before it (a Date has milliseconds: the mark is
        // taken a little after "c", not in its millisecond); "late" comes 2 seconds after "c"
        yield* Effect.sleep("50 millis")
        const mark = new Date()
        yield* Wait.forLog(/^late$/).await(c)
        assert.deepStrictEqual([...yield* Stream.runCollect(c.logs({ tail: 2 }))], ["c", "late"])
        assert.deepStrictEqual([...yield* Stream.runCollect(c.logs({ tail: 0 }))], [])
        assert.deepStrictEqual([...yield* Stream.runCollect(c.logEntries({ since: mark }))], [{
          stream: "stdout",
          line: "late"
        }])
        assert.deepStrictEqual([...yield* Stream.runCollect(c.logs({ since: new Date(Date.now() + 60_000) }))], [])
        // followed: the lines asked for, then what comes (here: until the container stops)
        const followed = yield* Effect.forkChild(Stream.runCollect(c.logs({ follow: true, tail: 1 })))
        yield* c.stop({ timeout: "1 second" })
        assert.deepStrictEqual([...yield* Fiber.join(followed)], ["late"])
      }))

    it.effect("a bad tail or an invalid Date is InvalidArgument before podman runs; an absent container is NoSuchContainer, not an empty stream", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = runtime.container(unique("absent"))
        const fails = (options: ContainerRuntime.LogsOptions) => Effect.flip(Stream.runCollect(c.logs(options)))
        for (const tail of [-1, 1.5, Number.NaN]) {
          const refused = yield* fails({ tail })
          assert.deepStrictEqual([refused._tag, refused.message.includes("must be a whole number ≥ 0")], [
            "InvalidArgument",
            true
          ])
        }
        const since = yield* fails({ since: new Date("not a date") })
        assert.deepStrictEqual([since._tag, since.message.includes("must be a valid Date")], ["InvalidArgument", true])
        const absent = yield* fails({})
        assert.strictEqual(absent._tag === "NonZeroExit" ? absent.reason._tag : absent._tag, "NoSuchContainer")
        const followed = yield* fails({ follow: true })
        assert.strictEqual(followed._tag === "NonZeroExit" ? followed.reason._tag : followed._tag, "NoSuchContainer")
        const flag = yield* Effect.flip(Stream.runCollect(runtime.container("--all").logs()))
        assert.strictEqual(flag._tag, "InvalidArgument")
      }))
  })
