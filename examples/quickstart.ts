/**
 * Quickstart (`make demo`): drive a real podman container through effect-podman.
 *
 * It creates a container from the local test image, copies a file in, starts it, runs commands
 * inside, lists containers by prefix, stops it and reads its exit code — and removes it when the
 * scope closes, whatever happens. Every failure is typed; the end of the program handles each.
 */
import { Command } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ContainerRuntime, Podman } from "effect-podman"

const IMAGE = "localhost/effect-podman-test:latest"
const PREFIX = "quickstart"

/** `podman create` — container creation comes to the library with `ContainerRuntime.run`. */
const createContainer = (name: string) =>
  Command.make("podman", "create", "--init", "--name", name, IMAGE).pipe(
    Command.exitCode,
    Effect.filterOrDieMessage((code) => code === 0, `podman create ${name} failed`)
  )

/** Reports a failure and makes the process exit non-zero. */
const fail = (text: string) =>
  Console.error(text).pipe(Effect.zipRight(Effect.sync(() => {
    process.exitCode = 1
  })))

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime

  const image = runtime.image(IMAGE)
  const labels = yield* image.labels
  const history = yield* image.history
  yield* Console.log(`image ${IMAGE}: ${Object.keys(labels).length} labels, ${history.length} history steps`)

  // The container lives exactly as long as this scope.
  const name = `${PREFIX}-${Date.now().toString(36)}`
  yield* Effect.acquireRelease(createContainer(name), () => runtime.forceRemove([name]))
  const container = runtime.container(name)

  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "quickstart-"))),
    (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
  )
  writeFileSync(join(dir, "hello.txt"), "hello from the host\n")
  yield* container.copyIn(dir, "/data")

  yield* container.start
  yield* Console.log(`${name}: ${Option.getOrElse(yield* container.state, () => "absent")}`)

  const greeting = yield* runtime.exec(container, ["cat", "/data/hello.txt", "/data/greeting.txt"])
  yield* Console.log(`exec cat → exit ${greeting.exitCode}:\n${greeting.stdout.trimEnd()}`)
  const failing = yield* runtime.exec(container, ["sh", "-c", "exit 3"])
  yield* Console.log(`a failing command is a result, not an error: exit ${failing.exitCode}`)

  const states = yield* runtime.containerStates(PREFIX)
  yield* Console.log(`containers named ${PREFIX}-…: ${JSON.stringify(Object.fromEntries(states))}`)

  yield* container.stop({ timeout: 2 })
  yield* Console.log(`stopped; exit code ${yield* container.wait({ timeout: "10 seconds" })}`)
}).pipe(
  Effect.scoped,
  Effect.catchTags({
    PodmanMissing: (e) => fail(`podman is not installed: ${e.message}`),
    Timeout: (e) => fail(`podman took too long: ${e.message}`),
    NonZeroExit: (e) => fail(`podman failed (exit ${e.exitCode}): ${e.stderr}`),
    InvalidArgument: (e) => fail(e.message),
    GpuConfigError: (e) => fail(e.hint)
  })
)

const MainLive = Podman.layer({ timeout: "30 seconds" }).pipe(Layer.provideMerge(NodeContext.layer))

NodeRuntime.runMain(program.pipe(Effect.provide(MainLive)))
