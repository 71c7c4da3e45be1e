// LogFile.read on k8s-file records as conmon writes them: partial records joined per stream, a
// character split across records, invalid UTF-8, a partial line at the end, tail and since.
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Stream } from "effect"
import { appendFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as LogFile from "../../src/internal/core/logFile.js"
import { tempDir } from "../helpers/tempDir.js"

const T = (n: number) => `2026-11-29T07:50:20.${String(n * 1_000_000 + 123).padStart(9, "0")}+00:00`

const file = Buffer.concat([
  Buffer.from(`${T(1)} stdout P part1\n`),
  Buffer.from(`${T(2)} stderr F err one\n`),
  Buffer.from(`${T(3)} stdout F part2\n`),
  // "é" (0xc3 0xa9) split across two records
  Buffer.concat([Buffer.from(`${T(4)} stdout P caf`), Buffer.from([0xc3]), Buffer.from("\n")]),
  Buffer.concat([Buffer.from(`${T(5)} stdout F `), Buffer.from([0xa9]), Buffer.from("\n")]),
  Buffer.concat([Buffer.from(`${T(6)} stdout F a`), Buffer.from([0xff]), Buffer.from("b\n")]),
  Buffer.from(`${T(7)} stdout F \n`),
  Buffer.from(`${T(8)} stdout P no end\n`)
])

const read = (options: { readonly since?: Date; readonly tail?: number; readonly chunkSize?: number } = {}) =>
  Effect.flatMap(tempDir("logfile-"), (dir) => {
    const path = join(dir, "ctr.log")
    writeFileSync(path, file)
    return Effect.map(
      Stream.runCollect(LogFile.read(path, options)),
      (chunk) => Chunk.toArray(chunk).map((e) => `${e.stream}:${e.line}`)
    )
  })

describe("LogFile.read", () => {
  it.scoped("joins partial records per stream, decodes whole lines, keeps a partial last line", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* read(), [
        "stderr:err one",
        "stdout:part1part2",
        "stdout:café",
        "stdout:a\uFFFDb",
        "stdout:",
        "stdout:no end"
      ])
    }))

  it.scoped("reads the same in reads of any size (records cut by a read's end, records longer than a read)", () =>
    Effect.gen(function*() {
      const whole = yield* read()
      for (const chunkSize of [1, 7, 40, 64, 1000]) {
        assert.deepStrictEqual(yield* read({ chunkSize }), whole, `chunk ${chunkSize}`)
      }
    }))

  it.scoped("tail keeps the last lines; since drops records written before it", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* read({ tail: 2 }), ["stdout:", "stdout:no end"])
      assert.deepStrictEqual(yield* read({ tail: 0 }), [])
      assert.deepStrictEqual(yield* read({ since: new Date("2026-11-29T07:50:20.006Z") }), [
        "stdout:a\uFFFDb",
        "stdout:",
        "stdout:no end"
      ])
    }))
})

describe("LogFile.read, following", () => {
  it.scopedLive("goes on as records are appended, and ends once the writer is gone and the file is read", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("logfollow-")
      const path = join(dir, "ctr.log")
      writeFileSync(path, `${T(1)} stdout F first\n${T(2)} stdout P par`)
      let writing = true
      const seen: Array<string> = []
      const fiber = yield* Stream.runForEach(
        LogFile.read(path, { follow: { alive: () => writing, pollMillis: 20 } }),
        (entry) => Effect.sync(() => seen.push(`${entry.stream}:${entry.line}`))
      ).pipe(Effect.fork)
      yield* Effect.sleep("100 millis")
      assert.deepStrictEqual(seen, ["stdout:first"])
      // the rest of a cut record, a partial line, its end, another stream
      appendFileSync(path, `tial\n${T(3)} stderr F oops\n${T(4)} stdout F  done\n`)
      yield* Effect.sleep("100 millis")
      assert.deepStrictEqual(seen, ["stdout:first", "stderr:oops", "stdout:partial done"])
      // written just before the writer goes: still read; an unterminated last line is a line
      appendFileSync(path, `${T(5)} stdout F last\n${T(6)} stdout P no end\n`)
      writing = false
      yield* Fiber.join(fiber).pipe(Effect.timeout("2 seconds"))
      assert.deepStrictEqual(seen, [
        "stdout:first",
        "stderr:oops",
        "stdout:partial done",
        "stdout:last",
        "stdout:no end"
      ])
    }))

  it.scopedLive("interrupted while it waits at the end of the file, it stops at once", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("logfollow-")
      const path = join(dir, "ctr.log")
      writeFileSync(path, `${T(1)} stdout F only\n`)
      const fiber = yield* Effect.fork(
        Stream.runCollect(LogFile.read(path, { follow: { alive: () => true, pollMillis: 60_000 } }))
      )
      yield* Effect.sleep("50 millis")
      const exit = yield* Fiber.interrupt(fiber).pipe(Effect.timeout("1 second"))
      assert.isTrue(Exit.isInterrupted(exit))
    }))
})
