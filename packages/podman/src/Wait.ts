/**
 * Wait strategies: when a container `run` started counts as ready. Values, composed with
 * `all` / `any`, retried on a `Schedule`, all under the one deadline of the run.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schedule, Stream } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import * as Readiness from "effect-podman-shared/Readiness"
import type { Container } from "./Container.js"
import type { PublishedPort } from "./ContainerSpec.js"
import type { PodmanError } from "./PodmanError.js"

/**
 * What a strategy can look at.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Wait } from "effect-podman"
 *
 * const describeContext = (context: Wait.WaitContext) =>
 *   Effect.log(`${context.container.name}: ${context.ports.length} published port(s)`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitContext {
  readonly container: Container
  readonly ports: ReadonlyArray<PublishedPort>
}

/**
 * A wait strategy: succeeds once the container is ready, fails with a reason (a string) when it can
 * tell it never will be, or with podman's own error when podman fails under it (the container is
 * gone, podman is missing): `run` fails with that error as it is. The run's deadline bounds it from
 * outside.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Wait } from "effect-podman"
 *
 * // a strategy of your own: ready when a marker file exists inside the container
 * const forFile = (path: string): Wait.WaitStrategy => ({
 *   description: `file ${path}`,
 *   await: ({ container }) =>
 *     container.exec(["test", "-e", path]).pipe(
 *       Effect.mapError((error) => error.message),
 *       Effect.flatMap((result) => (result.exitCode === 0 ? Effect.void : Effect.fail("not yet"))),
 *       Effect.retry({ times: 100 })
 *     )
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitStrategy {
  readonly description: string
  readonly await: (context: WaitContext) => Effect.Effect<void, string | PodmanError>
  /** The strategy waits for the container to exit (a one-shot job): `run` does not count the exit as a failure. */
  readonly exits?: boolean | undefined
}

/**
 * Options of the retrying strategies.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect"
 * import { Wait } from "effect-podman"
 *
 * const patient = Wait.forPort(5432, { schedule: Schedule.exponential("50 millis").pipe(Schedule.upTo("5 seconds")) })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** How to space the attempts (default: every 100 ms). The run's deadline ends them. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
}

/** "Not yet": the one failure a retried strategy tries again. */
class NotYet {
  readonly _tag = "NotYet"
}

// tries `attempt` on the schedule until it is true (`Readiness`: podman's own failures end it)
const retried = (
  description: string,
  attempt: (context: WaitContext) => Effect.Effect<boolean, PodmanError>,
  options?: RetryOptions
): WaitStrategy => ({
  description,
  await: (context) =>
    attempt(context).pipe(
      Effect.flatMap((ready) => (ready ? Effect.void : Effect.fail(new NotYet()))),
      Effect.retry({
        while: (error) => error instanceof NotYet,
        schedule: options?.schedule ?? Schedule.spaced(Readiness.RETRY_EVERY_MILLIS)
      }),
      Effect.mapError((error) => error instanceof NotYet ? Readiness.gaveUp(description) : error)
    )
})

const published = (context: WaitContext, port: number | undefined): Effect.Effect<PublishedPort, string> =>
  Option.match(
    Option.fromNullable(port === undefined ? context.ports[0] : context.ports.find((p) => p.container === port)),
    { onNone: () => Effect.fail(Readiness.notPublished(port)), onSome: Effect.succeed }
  )

/**
 * Ready when log lines match `pattern` `times` times (default once). Logs are read from the
 * container's start (podman replays them), so a line printed in the first millisecond counts.
 * Fails if the logs end — the container stopped — before that.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.forLog(/database system is ready to accept connections/, { times: 2 })
 * ```
 *
 * @since 0.1.0
 * @category strategies
 */
export const forLog = (
  pattern: RegExp | ((line: string) => boolean),
  options?: { readonly times?: number | undefined }
): WaitStrategy => {
  const matches = typeof pattern === "function" ? pattern : (line: string) => pattern.test(line)
  const times = options?.times ?? 1
  const regex = typeof pattern === "function" ? undefined : pattern
  const problem = Readiness.timesProblem(times)
  return {
    description: Readiness.logDescription(regex, times),
    await: ({ container }) =>
      problem !== undefined
        ? Effect.fail(problem)
        : container.logs({ follow: true }).pipe(
          Stream.filter(matches),
          Stream.take(times),
          Stream.runCount,
          Effect.flatMap((count) => count >= times ? Effect.void : Effect.fail(Readiness.logEnded(regex, times, count)))
        )
  }
}

/**
 * Ready when a TCP connection to the published host side of `port` succeeds (default: the first
 * published port).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.forPort(5432)
 * ```
 *
 * @since 0.1.0
 * @category strategies
 */
export const forPort = (port?: number, options?: RetryOptions): WaitStrategy => {
  const description = Readiness.portDescription(port)
  return {
    description,
    // a port missing from the spec fails at once: no retry can publish it
    await: (context) =>
      Effect.flatMap(
        published(context, port),
        (p) =>
          retried(description, () => Effect.promise((signal) => Ports.accepts(p.hostIp, p.host, signal)), options)
            .await(context)
      )
  }
}

/**
 * Ready when the spec's health check passes (`podman healthcheck run`).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.forHealthy() // with a spec holding healthcheck: { command: ["pg_isready"] }
 * ```
 *
 * @since 0.1.0
 * @category strategies
 */
export const forHealthy = (options?: RetryOptions): WaitStrategy =>
  retried(Readiness.HEALTHY, ({ container }) => container.healthcheck, options)

/**
 * Ready when `argv` run inside the container exits 0.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.forExec(["pg_isready", "-U", "postgres"])
 * ```
 *
 * @since 0.1.0
 * @category strategies
 */
export const forExec = (
  argv: readonly [string, ...Array<string>],
  options?: RetryOptions
): WaitStrategy =>
  retried(
    Readiness.execDescription(argv),
    ({ container }) =>
      container.exec(argv, { timeout: Readiness.EXEC_PROBE_MILLIS }).pipe(
        Effect.map((r) => r.exitCode === 0),
        // a try that outlives its bound is "not yet"
        Effect.catchTag("Timeout", () => Effect.succeed(false))
      ),
    options
  )

/**
 * Ready when `GET http://HOST:PORT{path}` on the published port answers `status` (default 200).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.forHttp("/health", { port: 8080, status: 204 })
 * ```
 *
 * @since 0.1.0
 * @category strategies
 */
export const forHttp = (
  path: string,
  options?: RetryOptions & { readonly port?: number | undefined; readonly status?: number | undefined }
): WaitStrategy => {
  const status = options?.status ?? 200
  const description = Readiness.httpDescription(path, options?.port, status)
  return {
    description,
    // a port missing from the spec fails at once: no retry can publish it
    await: (context) =>
      Effect.flatMap(
        published(context, options?.port),
        (p) =>
          retried(description, () =>
            Effect.promise((signal) => Ports.answers(Ports.url(p, path), status, signal)), options)
            .await(context)
      )
  }
}

/**
 * Ready when every strategy is (they wait concurrently).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.all(Wait.forPort(8080), Wait.forLog(/migrations done/))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const all = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: Readiness.allDescription(strategies.map((s) => s.description)),
  exits: strategies.some((s) => s.exits === true),
  await: (context) => Effect.asVoid(Effect.all(strategies.map((s) => s.await(context)), { concurrency: "unbounded" }))
})

/**
 * Ready when any strategy is; fails only when all of them fail.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const ready = Wait.any(Wait.forHttp("/health"), Wait.forLog(/ready/))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const any = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: Readiness.anyDescription(strategies.map((s) => s.description)),
  exits: strategies.some((s) => s.exits === true),
  await: (context) => strategies.length === 0 ? Effect.void : Effect.raceAll(strategies.map((s) => s.await(context)))
})

/**
 * Ready when every port the spec publishes accepts connections. A spec that publishes none fails
 * at once (there is nothing to wait for; say which port you mean with `forPort`).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman"
 *
 * const wait = Wait.forAllPorts() // e.g. an app on 8080 and its metrics on 9090
 * ```
 *
 * @since 0.3.0
 * @category strategies
 */
export const forAllPorts = (options?: RetryOptions): WaitStrategy => ({
  description: Readiness.ALL_PORTS,
  await: (context) =>
    context.ports.length === 0
      ? Effect.fail(Readiness.notPublished(undefined))
      : all(...context.ports.filter((p) => p.protocol === "tcp").map((p) => forPort(p.container, options))).await(
        context
      )
})

/**
 * For a one-shot container (a migration, a seed job): ready when it has exited with code 0; any
 * other exit code fails the run with it (and the log tail says why).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, Wait } from "effect-podman"
 *
 * const migrate = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) =>
 *   rt.run({ image: "localhost/migrations:latest" }, { wait: Wait.forSuccessfulExit(), deadline: "5 minutes" })
 * )
 * ```
 *
 * @since 0.3.0
 * @category strategies
 */
export const forSuccessfulExit = (): WaitStrategy => ({
  description: Readiness.SUCCESSFUL_EXIT,
  exits: true,
  await: ({ container }) =>
    Effect.flatMap(container.wait(), (code) => (code === 0 ? Effect.void : Effect.fail(Readiness.exitedWith(code))))
})
