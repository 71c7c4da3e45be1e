/**
 * What `run` waits for before it hands the container over. A wait fails typed: `NotReady` (it
 * gave up, or cannot succeed — `run` turns it into a `WaitFailed` holding the container's last log
 * lines) or one of podman's errors. The retrying waits take a `schedule` (`RetryOptions`).
 *
 * @since 0.4.0
 */
import { Effect, Schedule, Schema, Stream } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import * as Readiness from "effect-podman-shared/Readiness"
import type { ManagedContainer } from "./Container.js"
import { TypeId } from "./internal/core/errors.js"
import type { PodmanError } from "./PodmanError.js"

/**
 * A wait could not see the container ready: `strategy` is what it waited for, `detail` why it
 * stopped (it gave up, the log ended, a port is not published, the container exited). `run` turns
 * it into a `WaitFailed` whose `reason` is `detail`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Wait } from "effect-podman-4"
 *
 * // a wait of your own: ready when a file is there, else not ready, typed
 * const forFile = (path: string): Wait.WaitStrategy => ({
 *   description: `${path} to exist`,
 *   await: (container) =>
 *     Effect.flatMap(container.exec(["test", "-e", path]), (result) =>
 *       result.exitCode === 0 ? Effect.void : Effect.fail(new Wait.NotReady({ strategy: `${path} to exist`, detail: `${path} is not there` })))
 * })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class NotReady extends Schema.TaggedError<NotReady>("effect-podman-4/NotReady")("NotReady", {
  strategy: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return `not ready (waiting for ${this.strategy}): ${this.detail}`
  }
}

/**
 * A wait: an Effect that succeeds when the container is ready, or fails with why it is not.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Wait } from "effect-podman-4"
 *
 * const always: Wait.WaitStrategy = { description: "nothing", await: () => Effect.void }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface WaitStrategy {
  readonly description: string
  readonly await: (container: ManagedContainer) => Effect.Effect<void, NotReady | PodmanError>
  /** Whether the container exits to be ready (`forSuccessfulExit`): its exit is not a failure then. */
  readonly exits?: boolean | undefined
}

/**
 * How a retrying wait tries again: its `schedule` (default: every 100 ms, until `run`'s deadline).
 * When the schedule ends first, the wait fails with `NotReady` ("gave up").
 *
 * @example
 * ```ts
 * import { Schedule } from "effect"
 * import { Wait } from "effect-podman-4"
 *
 * const patient = Wait.forHealthy({ schedule: Schedule.max([Schedule.spaced("1 second"), Schedule.recurs(30)]) })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface RetryOptions {
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined
}

/**
 * Tries `check` on the schedule until it is true; a schedule that ends first gives up (`Readiness`:
 * podman's own failures end it).
 */
const untilTrue = <E>(description: string, check: Effect.Effect<boolean, E>, options?: RetryOptions) => {
  const notYet = new NotReady({ strategy: description, detail: "not yet" })
  return check.pipe(
    Effect.flatMap((ok) => ok ? Effect.void : Effect.fail(notYet)),
    Effect.retry({
      while: (error) => error === notYet,
      schedule: options?.schedule ?? Schedule.spaced(Readiness.RETRY_EVERY_MILLIS)
    }),
    Effect.mapError((error) =>
      error === notYet ? new NotReady({ strategy: description, detail: Readiness.gaveUp(description) }) : error
    )
  )
}

/**
 * Ready when a log line matches — a pattern or a predicate — `times` times (default once): the
 * log is followed from its start.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forLog(/listening on/)
 * // postgres starts twice in its image's entrypoint: the second start is the real one
 * const postgres = Wait.forLog((line) => line.includes("ready to accept connections"), { times: 2 })
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forLog = (
  pattern: RegExp | ((line: string) => boolean),
  options?: { readonly times?: number | undefined }
): WaitStrategy => {
  const matches = typeof pattern === "function" ? pattern : (line: string) => pattern.test(line)
  const times = options?.times ?? 1
  const regex = typeof pattern === "function" ? undefined : pattern
  const description = Readiness.logDescription(regex, times)
  const problem = Readiness.timesProblem(times)
  return {
    description,
    await: (container) =>
      problem === undefined
        ? container.logs({ follow: true }).pipe(
          Stream.filter(matches),
          Stream.take(times),
          Stream.runCount,
          Effect.flatMap((count) =>
            count >= times
              ? Effect.void
              : Effect.fail(new NotReady({ strategy: description, detail: Readiness.logEnded(regex, times, count) }))
          )
        )
        : Effect.fail(new NotReady({ strategy: description, detail: problem }))
  }
}

/**
 * Ready when a command run in the container exits 0 (tried again on the schedule; every 100 ms by
 * default). A container that stops fails the wait with podman's `NotRunning`.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forExec(["test", "-f", "/tmp/ready"])
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forExec = (argv: ReadonlyArray<string>, options?: RetryOptions): WaitStrategy => {
  const description = Readiness.execDescription(argv)
  return {
    description,
    await: (container) =>
      untilTrue(
        description,
        container.exec(argv, { timeout: Readiness.EXEC_PROBE_MILLIS }).pipe(
          Effect.map((result) => result.exitCode === 0),
          // a try that outlives its bound is "not yet"
          Effect.catchTag("Timeout", () => Effect.succeed(false))
        ),
        options
      )
  }
}

/**
 * Ready when the container's health check passes (run again on the schedule; every 100 ms by
 * default): a spec with `healthcheck: { command }`, or an image's own. One without a check fails
 * the wait at once, with podman's words.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forHealthy() // with a spec holding healthcheck: { command: ["pg_isready"] }
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forHealthy = (options?: RetryOptions): WaitStrategy => ({
  description: Readiness.HEALTHY,
  await: (container) => untilTrue(Readiness.HEALTHY, container.healthcheck, options)
})

/** The published port a wait names (the first published one when none is named). */
const publishedPort = (container: ManagedContainer, port: number | undefined, strategy: string) => {
  const found = port === undefined ? container.ports[0] : container.ports.find((p) => p.container === port)
  return found === undefined
    ? Effect.fail(
      new NotReady({
        strategy,
        detail: Readiness.notPublished(port)
      })
    )
    : Effect.succeed(found)
}

/**
 * Ready when an HTTP GET of `path` on a published port (`port` inside the container; default the
 * first published one) answers `status` (default 200). Tried on the schedule (every 100 ms by
 * default), each try bounded by 2 seconds; a port the spec does not publish fails at once.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forHttp("/health", { port: 8080 })
 * const accepted = Wait.forHttp("/jobs", { status: 202 })
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forHttp = (
  path: string,
  options?: RetryOptions & { readonly port?: number | undefined; readonly status?: number | undefined }
): WaitStrategy => {
  const status = options?.status ?? 200
  const description = Readiness.httpDescription(path, options?.port, status)
  return {
    description,
    await: (container) =>
      Effect.flatMap(
        publishedPort(container, options?.port, description),
        (p) =>
          untilTrue(
            description,
            Effect.promise((signal) => Ports.answers(Ports.url(p, path), status, signal)),
            options
          )
      )
  }
}

/**
 * Ready when a published port (`port` inside the container; default the first published one)
 * accepts TCP connections on the host (tried on the schedule; every 100 ms by default). A port the
 * spec does not publish fails the wait at once.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forPort(5432)
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forPort = (port?: number, options?: RetryOptions): WaitStrategy => {
  const description = Readiness.portDescription(port)
  return {
    description,
    await: (container) =>
      Effect.flatMap(
        publishedPort(container, port, description),
        (p) => untilTrue(description, Effect.promise((signal) => Ports.accepts(p.hostIp, p.host, signal)), options)
      )
  }
}

/**
 * Ready when every published TCP port accepts connections.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forAllPorts()
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forAllPorts = (options?: RetryOptions): WaitStrategy => ({
  description: Readiness.ALL_PORTS,
  await: (container) =>
    container.ports.length === 0
      ? Effect.fail(new NotReady({ strategy: Readiness.ALL_PORTS, detail: Readiness.notPublished(undefined) }))
      : all(...container.ports.filter((p) => p.protocol === "tcp").map((p) => forPort(p.container, options))).await(
        container
      )
})

/**
 * Ready when the container exits 0 (a job, a migration): `run` returns once it has.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const done = Wait.forSuccessfulExit()
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forSuccessfulExit = (): WaitStrategy => ({
  description: Readiness.SUCCESSFUL_EXIT,
  exits: true,
  await: (container) =>
    Effect.flatMap(
      container.wait(),
      (code) =>
        code === 0
          ? Effect.void
          : Effect.fail(new NotReady({ strategy: Readiness.SUCCESSFUL_EXIT, detail: Readiness.exitedWith(code) }))
    )
})

/**
 * Ready when every one of the waits is (they run at once).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.all(Wait.forLog(/ready/), Wait.forPort(8080))
 * ```
 *
 * @since 0.4.0
 * @category combinators
 */
export const all = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: Readiness.allDescription(strategies.map((s) => s.description)),
  exits: strategies.some((s) => s.exits === true),
  await: (container) =>
    Effect.asVoid(Effect.all(strategies.map((s) => s.await(container)), { concurrency: "unbounded" }))
})

/**
 * Ready when the first of the waits is.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.any(Wait.forLog(/ready/), Wait.forHttp("/health", { port: 8080 }))
 * ```
 *
 * @since 0.4.0
 * @category combinators
 */
export const any = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: Readiness.anyDescription(strategies.map((s) => s.description)),
  exits: strategies.some((s) => s.exits === true),
  await: (container) =>
    strategies.length === 0
      ? Effect.void
      : Effect.raceAll(strategies.map((s) => s.await(container)))
})
