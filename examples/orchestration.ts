/**
 * Orchestration with typed errors: start a small fleet, survive the failures that happen in
 * production, and report each by its type.
 *
 * - each worker is started with a wait strategy under a deadline; a worker that crashes on start
 *   fails with `WaitFailed`, whose log tail says why, and the fleet carries on without it;
 * - podman calls that pass their bound (`Timeout`) are retried with backoff;
 * - a GPU worker whose CDI setup is missing (`GpuConfigError`) falls back to a CPU spec;
 * - everything started is removed when the program's scope closes, on success or failure.
 */
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Schedule } from "effect"
import { ContainerRuntime, Podman, Wait } from "effect-podman"
import type { ContainerSpec } from "effect-podman"

const IMAGE = "localhost/effect-podman-test:latest"
const FLEET = "fleet"

const worker = (
  id: number,
  options: { readonly crash?: boolean; readonly gpu?: boolean } = {}
): ContainerSpec.ContainerSpecInput => ({
  image: IMAGE,
  name: `${FLEET}-worker-${id}-${Date.now().toString(36)}`,
  command: options.crash === true
    ? ["sh", "-c", "echo 'config error: QUEUE_URL is not set' >&2; exit 78"]
    : ["sh", "-c", `echo worker ${id} ready; sleep 3600`],
  env: { WORKER_ID: String(id) },
  ...(options.gpu === true ? { gpu: true } : {})
})

/** Starts one worker: retried on Timeout; CPU fallback on GpuConfigError; crashes reported, not fatal. */
const startWorker = (id: number, options?: { readonly crash?: boolean; readonly gpu?: boolean }) =>
  Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => {
    const start = (spec: ContainerSpec.ContainerSpecInput) =>
      runtime.run(spec, { wait: Wait.forLog(/ready/), deadline: "30 seconds" }).pipe(
        Effect.retry({
          while: (e) => e._tag === "Timeout",
          schedule: Schedule.exponential("500 millis").pipe(Schedule.upTo("10 seconds"))
        })
      )
    return start(worker(id, options)).pipe(
      Effect.catchTag(
        "GpuConfigError",
        (e) =>
          Console.log(`worker ${id}: no GPU here (${e.stderr.split("\n")[0]}); starting it on CPU`).pipe(
            Effect.zipRight(start(worker(id, { ...options, gpu: false })))
          )
      ),
      Effect.map((container) => ({ id, container })),
      Effect.catchTag(
        "WaitFailed",
        (e) =>
          Console.log(`worker ${id} did not start: ${e.reason}\n  its last words: ${e.logTail.join(" / ")}`).pipe(
            Effect.as(null)
          )
      )
    )
  })

const program = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const started = yield* Effect.all(
    [startWorker(1), startWorker(2, { gpu: true }), startWorker(3, { crash: true })],
    { concurrency: 3 }
  )
  const running = started.filter((w) => w !== null)
  yield* Console.log(`fleet: ${running.length} of ${started.length} workers running`)
  const states = yield* runtime.containerStates(FLEET)
  yield* Console.log(`states: ${JSON.stringify(Object.fromEntries(states))}`)
  for (const { container, id } of running) {
    const result = yield* runtime.exec(container, ["sh", "-c", "echo $WORKER_ID"])
    yield* Console.log(`worker ${id} answers: ${result.stdout.trim()}`)
  }
  if (running.length !== 2) return yield* Effect.dieMessage(`expected 2 running workers, got ${running.length}`)
}).pipe(
  Effect.scoped, // every worker is removed here
  Effect.catchTags({
    PodmanMissing: (e) => Console.error(`install podman: ${e.message}`),
    NonZeroExit: (e) => Console.error(`podman failed: ${e.message}`),
    Timeout: (e) => Console.error(`podman kept timing out: ${e.message}`),
    InvalidArgument: (e) => Console.error(e.message),
    SpecError: (e) => Console.error(e.message),
    GpuConfigError: (e) => Console.error(e.message)
  }),
  Effect.tapErrorCause(() =>
    Effect.sync(() => {
      process.exitCode = 1
    })
  )
)

NodeRuntime.runMain(program.pipe(Effect.provide(Podman.layer().pipe(Layer.provide(NodeContext.layer)))))
