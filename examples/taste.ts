// examples/taste.ts — the README's second example, type-checked by `make test`
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option } from "effect"
import { ContainerRuntime, Podman } from "effect-podman"

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const web = runtime.container("web-1") // a handle: nothing runs yet
  if (Option.contains(yield* web.state, "exited")) yield* web.start
  const result = yield* runtime.exec(web, ["cat", "/etc/hostname"], { timeout: "5 seconds" })
  yield* Console.log(`exit ${result.exitCode}: ${result.stdout}`) // a failing command is a result
  const states = yield* runtime.containerStates("web") // one podman call: Map { "web-1" => "running" }
  const removed = yield* runtime.forceRemove(states.keys()) // never fails: one result per container
  yield* Console.log(removed.filter((r) => !r.removed))
}).pipe(
  Effect.catchTags({
    PodmanMissing: (e) => Console.error(e.message), // podman is not installed
    Timeout: (e) => Console.error(e.message), // the call passed its bound; the child was killed
    NonZeroExit: (e) => Console.error(`${e.operation}: ${e.reason}: ${e.stderr}`),
    InvalidArgument: (e) => Console.error(e.message), // refused before anything ran
    GpuConfigError: (e) => Console.error(e.hint) // only operations that start a container
  })
)

NodeRuntime.runMain(program.pipe(Effect.provide(Podman.layer().pipe(Layer.provide(NodeContext.layer)))))
