/**
 * Unit tests of a job runner on the in-memory model (`TestRuntime.layer`), on the TestClock: a
 * retry test (a job whose process fails twice, then succeeds; a start that podman refuses twice)
 * and a timeout test (a job that hangs is given up after its bound). No podman runs here; the
 * contract suite proves the model answers as podman does.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Duration } from "effect"
import { Effect, Fiber, Option, Schedule, TestClock } from "effect"
import { ContainerRuntime, PodmanError, TestRuntime } from "effect-podman"

/** The code under test: runs a job container to completion, retrying a failed run up to 3 times. */
const runJob = (name: string, options: { readonly bound: Duration.DurationInput }) =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime.ContainerRuntime
    const job = runtime.container(name)
    const attempt = Effect.gen(function*() {
      yield* job.start
      const exitCode = yield* job.wait({ timeout: options.bound })
      if (exitCode !== 0) return yield* Effect.fail(new JobFailed({ exitCode }))
    })
    yield* Effect.retry(attempt, {
      while: (error) => error._tag !== "Timeout",
      schedule: Schedule.intersect(Schedule.recurs(3), Schedule.exponential("1 second"))
    })
  })

class JobFailed {
  readonly _tag = "JobFailed"
  constructor(readonly props: { readonly exitCode: number }) {}
}

const withJob = Effect.gen(function*() {
  const control = yield* TestRuntime.TestRuntimeControl
  yield* control.addImage({ name: "jobs" })
  yield* control.create({ name: "job-1", image: "jobs", command: ["/usr/bin/job"] })
  return control
})

describe("runJob", () => {
  it.effect("retries a job whose process fails twice, and returns when it succeeds", () =>
    Effect.gen(function*() {
      const control = yield* withJob
      const starts: Array<number> = []
      yield* control.scriptProcess((process) => {
        starts.push(process.start)
        return Option.some(
          process.start < 3
            ? Effect.as(Effect.zipRight(Effect.sleep("2 seconds"), process.log("connection refused", "stderr")), 1)
            : Effect.as(process.log("done"), 0)
        )
      })
      const run = yield* Effect.fork(runJob("job-1", { bound: "1 minute" }))
      yield* TestClock.adjust("1 minute") // the job's sleeps and the retry back-off, on the TestClock
      yield* Fiber.join(run)
      assert.deepStrictEqual(starts, [1, 2, 3])
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("retries a start that podman refuses twice (a targeted fault), then runs", () =>
    Effect.gen(function*() {
      const control = yield* withJob
      yield* control.scriptProcess(() => Option.some(Effect.succeed(0)))
      const refused = new PodmanError.NonZeroExit({
        operation: "container.start",
        argv: ["podman", "start", "job-1"],
        exitCode: 125,
        stderr: "Error: OCI runtime error"
      })
      yield* control.fail(refused, { operation: "container.start", target: "job-1", times: 2 })
      const run = yield* Effect.fork(runJob("job-1", { bound: "1 minute" }))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(run)
      assert.deepStrictEqual(
        yield* (yield* ContainerRuntime.ContainerRuntime).container("job-1").state,
        Option.some("exited")
      )
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("gives up on a job that hangs once its bound passes, with a Timeout", () =>
    Effect.gen(function*() {
      const control = yield* withJob
      yield* control.scriptProcess(() => Option.some(Effect.as(Effect.sleep("1 hour"), 0)))
      const run = yield* Effect.fork(Effect.flip(runJob("job-1", { bound: "30 seconds" })))
      yield* TestClock.adjust("30 seconds")
      const error = yield* Fiber.join(run)
      assert.strictEqual(error._tag, "Timeout")
      assert.isTrue(yield* (yield* ContainerRuntime.ContainerRuntime).container("job-1").running, "the job runs on")
    }).pipe(Effect.provide(TestRuntime.layer)))
})
