/**
 * Quickstart of the Effect 4 edition (`make demo` runs it on Node 22): a real podman container as
 * a scoped resource — run, waited for by its log line, a command inside, its logs — removed when
 * the scope closes. Every failure is typed; the end of the program handles each.
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Console, Effect, Layer, Stream } from "effect"
import { ContainerRuntime, Podman, Wait } from "effect-podman-4"

const IMAGE = "localhost/effect-podman-test:latest"

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime

  // created and started in one podman call, ready when its log says so; removed when this scope closes
  const job = yield* runtime.run(
    {
      image: IMAGE,
      namePrefix: "quickstart4",
      command: ["sh", "-c", "echo warming up; sleep 0.3; echo ready; sleep 3600"]
    },
    { wait: Wait.forLog(/^ready$/), deadline: "30 seconds" }
  )
  yield* Console.log(`${job.name} is ready (Effect 4 edition)`)

  const hello = yield* job.exec(["sh", "-c", "echo hello from inside"])
  yield* Console.log(`exec → exit ${hello.exitCode}: ${hello.stdout.trim()}`)

  const lines = yield* Stream.runCollect(job.logs())
  yield* Console.log(`logs → ${lines.join(" | ")}`)
}).pipe(
  Effect.scoped,
  Effect.catchTags({
    PodmanMissing: (error) => Console.error(`podman is not there: ${error.message}`),
    NonZeroExit: (error) => Console.error(`podman failed (${error.reason._tag}): ${error.message}`),
    Timeout: (error) => Console.error(error.message),
    WaitFailed: (error) => Console.error(error.message),
    SpecError: (error) => Console.error(error.message),
    InvalidArgument: (error) => Console.error(error.message)
  })
)

NodeRuntime.runMain(program.pipe(Effect.provide(Podman.layer().pipe(Layer.provide(NodeServices.layer)))))
