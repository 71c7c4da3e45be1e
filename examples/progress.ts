/**
 * Progress you can watch: build an image, push it to a registry and pull it back, drawing each
 * as a progress bar (build steps; blobs and phases for a transfer) — on a terminal in place, in a
 * log one line per step.
 *
 * The registry is `REGISTRY` (default: a throw-away `docker-registry` started here on loopback,
 * over HTTP). Everything made is removed at the end.
 */
import { Command } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Schedule, Stream } from "effect"
import { ContainerRuntime, Podman } from "effect-podman"
import type { Images } from "effect-podman"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

const tty = process.stdout.isTTY === true

/** A bar for `done` of `total`, with what is happening now. */
const bar = (label: string, done: number, total: number, now: string) => {
  const width = 24
  const filled = total === 0 ? 0 : Math.round((done / total) * width)
  return `${label.padEnd(6)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${now}`.slice(0, 100)
}

/** Draws a progress stream: build steps count against their total; a transfer's blobs and phases as they come. */
const draw = (label: string, progress: Stream.Stream<Images.ImageProgress, unknown>) =>
  Effect.gen(function*() {
    let done = 0
    let total = 0
    let blobs = 0
    yield* Stream.runForEach(progress, (p) => {
      switch (p._tag) {
        case "Step":
          done = p.index
          total = p.total
          return show(bar(label, done, total, p.instruction))
        case "Blob":
          blobs++
          return show(bar(label, blobs, blobs, `copying ${p.kind} ${p.digest.slice(7, 19)}`))
        case "Status":
          return show(bar(label, Math.max(done, blobs), Math.max(total, blobs), p.text))
        case "Done":
          return show(bar(label, 1, 1, `done: ${p.id.slice(0, 12)}`), true)
        default:
          return Effect.void // a build step's own output
      }
    })
  })

const show = (line: string, last = false) =>
  tty ? Effect.sync(() => process.stdout.write(`\r\x1b[2K${line}${last ? "\n" : ""}`)) : Console.log(line)

/** A registry on loopback for the example, stopped at the end (unless `REGISTRY` names one). */
const registry = Effect.gen(function*() {
  if (process.env["REGISTRY"]) return process.env["REGISTRY"]
  const dir = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "progress-registry-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  const port = 20000 + Math.floor(Math.random() * 20000)
  yield* Effect.promise(() =>
    writeFile(
      join(dir, "config.yml"),
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`
    )
  )
  yield* Command.start(Command.make("docker-registry", "serve", join(dir, "config.yml")))
  yield* Effect.retry(
    Effect.tryPromise(() => fetch(`http://127.0.0.1:${port}/v2/`)),
    Schedule.spaced("100 millis").pipe(Schedule.upTo("10 seconds"))
  )
  return `127.0.0.1:${port}`
})

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const host = yield* registry
  const context = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "progress-build-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  yield* Effect.promise(() =>
    writeFile(
      join(context, "Containerfile"),
      [
        "FROM localhost/effect-podman-test:latest",
        "LABEL example=progress",
        "RUN echo one > /one && sleep 0.3",
        "RUN echo two > /two && sleep 0.3",
        "RUN echo three > /three && sleep 0.3",
        "CMD [\"cat\", \"/one\", \"/two\", \"/three\"]"
      ].join("\n")
    )
  )
  const ref = `${host}/examples/progress:${Date.now().toString(36)}`
  yield* Effect.addFinalizer(() => Effect.ignore(runtime.removeImage(ref, { force: true })))
  yield* draw("build", runtime.buildProgress(context, { tags: [ref] }))
  yield* draw("push", runtime.pushProgress(ref, ref, { tlsVerify: false }))
  yield* runtime.removeImage(ref)
  yield* draw("pull", runtime.pullProgress(ref, { tlsVerify: false }))
  yield* Console.log(`digest: ${(yield* runtime.image(ref).digest).pipe((d) => d._tag === "Some" ? d.value : "none")}`)
})

program.pipe(
  Effect.scoped,
  Effect.provide(Podman.layer().pipe(Layer.provideMerge(NodeContext.layer))),
  NodeRuntime.runMain
)
