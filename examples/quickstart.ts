/**
 * Quickstart (`make demo`): a real podman container as a scoped resource.
 *
 * It runs busybox httpd from the local test image on a free host port, waits until it answers
 * HTTP, fetches the page, runs commands inside, copies a file in, reads the logs — and the
 * container is removed when the scope closes, whatever happens. Every failure is typed; the end
 * of the program handles each.
 */
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Stream } from "effect"
import { ContainerRuntime, Podman, Wait } from "effect-podman"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const IMAGE = "localhost/effect-podman-test:latest"

/** Reports a failure and makes the process exit non-zero. */
const fail = (text: string) =>
  Console.error(text).pipe(Effect.zipRight(Effect.sync(() => {
    process.exitCode = 1
  })))

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime

  // created, started and ready under one deadline; removed when this scope closes
  const web = yield* runtime.run(
    {
      image: IMAGE,
      namePrefix: "quickstart",
      command: ["sh", "-c", "echo starting httpd; httpd -f -v -p 80 -h /www"],
      ports: [{ container: 80 }] // the host port is a free one, reserved for us
    },
    { wait: Wait.forHttp("/", { port: 80 }), deadline: "30 seconds" }
  )
  const port = Option.getOrThrow(web.hostPort(80))
  yield* Console.log(`${web.name} is ready on 127.0.0.1:${port}`)

  const page = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()))
  yield* Console.log(`GET / → ${page.trim()}`)

  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "quickstart-"))),
    (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
  )
  writeFileSync(join(dir, "hello.txt"), "hello from the host\n")
  yield* web.copyIn(join(dir, "hello.txt"), "/www/hello.txt")
  const hello = yield* runtime.exec(web, ["cat", "/www/hello.txt"])
  yield* Console.log(`exec cat → exit ${hello.exitCode}: ${hello.stdout.trim()}`)
  const failing = yield* runtime.exec(web, ["sh", "-c", "exit 3"])
  yield* Console.log(`a failing command is a result, not an error: exit ${failing.exitCode}`)

  const states = yield* runtime.containerStates("quickstart")
  yield* Console.log(`containers named quickstart-…: ${JSON.stringify(Object.fromEntries(states))}`)

  const logs = yield* Stream.runCollect(web.logs())
  yield* Console.log(`its logs so far: ${[...logs].join(" | ")}`)
}).pipe(
  Effect.scoped,
  Effect.catchTags({
    PodmanMissing: (e) => fail(`podman is not installed: ${e.message}`),
    Timeout: (e) => fail(`podman took too long: ${e.message}`),
    NonZeroExit: (e) => fail(`${e.operation} failed (${e.reason}): ${e.stderr}`),
    InvalidArgument: (e) => fail(e.message),
    GpuConfigError: (e) => fail(e.hint),
    SpecError: (e) => fail(e.message),
    WaitFailed: (e) => fail(e.message)
  })
)

const MainLive = Podman.layer({ timeout: "30 seconds" }).pipe(Layer.provideMerge(NodeContext.layer))

NodeRuntime.runMain(program.pipe(Effect.provide(MainLive)))
