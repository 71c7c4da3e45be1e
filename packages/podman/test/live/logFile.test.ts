/**
 * A log dump read from the container's k8s-file says what `podman logs` says: per stream, line for
 * line — partial lines joined, a character split across records, invalid UTF-8, an unterminated
 * last line — on both live layers, with `tail` too; and following says the same.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { podmanRunner } from "../helpers/live.js"
import { stubBinary } from "../helpers/processes.js"
import { tempDir } from "../helpers/tempDir.js"

const layers = {
  cli: Podman.layer().pipe(Layer.provideMerge(NodeContext.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer))
}

/** The same layers on a podman that notes each call's first two words in `calls`. */
const recording = (calls: string) =>
  Effect.map(stubBinary(`echo "$1 $2" >> ${calls}\nexec podman "$@"`), (binary) => ({
    cli: Podman.layer({ binary }).pipe(Layer.provideMerge(NodeContext.layer)),
    rest: PodmanApi.layerService({ binary }).pipe(Layer.orDie, Layer.provideMerge(NodeContext.layer))
  }))

const SCRIPT = [
  "printf 'part1'; sleep 0.2; printf 'part2\\n'",
  "echo err >&2",
  "printf 'caf\\303'; sleep 0.2; printf '\\251 au lait\\n'",
  "printf 'a\\377b\\n'",
  "seq 1 300",
  "printf 'no newline at the end'"
].join("; ")

/** podman's own output, split as the CLI driver splits a pipe: decoded, on newlines. */
const linesOf = (text: string) => {
  const lines = text.split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines
}

describe("logs from the log file", () => {
  for (const [label, layer] of Object.entries(layers)) {
    it.scopedLive(
      `${label}: line for line what podman logs prints, per stream, with tail`,
      () =>
        Effect.gen(function*() {
          const runner = yield* podmanRunner
          const runtime = yield* ContainerRuntime
          const name = uniqueName("logfile")
          yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
          yield* runner.run(["run", "--name", name, TEST_IMAGE, "sh", "-c", SCRIPT])
          const raw = yield* runner.run(["logs", name])
          const entries = Chunk.toArray(yield* Stream.runCollect(runtime.container(name).logEntries()))
          assert.deepStrictEqual(entries.filter((e) => e.stream === "stdout").map((e) => e.line), linesOf(raw.stdout))
          assert.deepStrictEqual(entries.filter((e) => e.stream === "stderr").map((e) => e.line), linesOf(raw.stderr))
          assert.include(entries.map((e) => e.line), "café au lait")
          // following (podman's own follower) says the same, in the same order per stream
          const followed = Chunk.toArray(yield* Stream.runCollect(runtime.container(name).logEntries({ follow: true })))
          for (const stream of ["stdout", "stderr"] as const) {
            assert.deepStrictEqual(
              followed.filter((e) => e.stream === stream),
              entries.filter((e) => e.stream === stream)
            )
          }
          // tail, on a log that ends with a newline: podman 4.3 joins an unterminated last record to
          // the line before it under --tail (`5no newline…`), which this library does not copy
          const counted = uniqueName("logtail")
          yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", counted])))
          yield* runner.run(["run", "--name", counted, TEST_IMAGE, "sh", "-c", "seq 1 300; echo err >&2; echo last"])
          const tailRaw = yield* runner.run(["logs", "--tail", "3", counted])
          const tail = Chunk.toArray(yield* Stream.runCollect(runtime.container(counted).logEntries({ tail: 3 })))
          assert.deepStrictEqual(tail.filter((e) => e.stream === "stdout").map((e) => e.line), linesOf(tailRaw.stdout))
          assert.deepStrictEqual(tail.filter((e) => e.stream === "stderr").map((e) => e.line), linesOf(tailRaw.stderr))
        }).pipe(Effect.provide(layer)),
      { timeout: 60_000 }
    )
  }

  for (const label of ["cli", "rest"] as const) {
    it.scopedLive(
      `${label}: following a running container reads its file as it grows, and ends when it exits`,
      () =>
        Effect.gen(function*() {
          const runner = yield* podmanRunner
          const calls = join(yield* tempDir("logfollow-"), "calls")
          writeFileSync(calls, "")
          const layer = (yield* recording(calls))[label]
          const name = uniqueName("logfollow")
          yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
          yield* runner.run([
            "run",
            "-d",
            "--init",
            "--name",
            name,
            TEST_IMAGE,
            "sh",
            "-c",
            `sleep 0.5; ${SCRIPT}; sleep 0.3; echo after`
          ])
          const followed = yield* Effect.provide(
            Effect.flatMap(
              ContainerRuntime,
              (runtime) => Stream.runCollect(runtime.container(name).logEntries({ follow: true }))
            ),
            layer
          ).pipe(Effect.map(Chunk.toArray), Effect.timeout("30 seconds"))
          const raw = yield* runner.run(["logs", name])
          assert.deepStrictEqual(followed.filter((e) => e.stream === "stdout").map((e) => e.line), linesOf(raw.stdout))
          assert.deepStrictEqual(
            followed.filter((e) => e.stream === "stderr").map((e) => e.line),
            linesOf(raw.stderr)
          )
          assert.strictEqual(followed.at(-1)?.line, "no newline at the endafter") // written 0.3 s after the rest
          assert.notInclude(readFileSync(calls, "utf8"), "logs", "no podman logs ran")
        }).pipe(Effect.provide(NodeContext.layer)),
      { timeout: 60_000 }
    )
  }
})
