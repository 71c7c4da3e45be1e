/**
 * What `run` waits for before it hands the container over.
 *
 * @since 0.4.0
 */
import { Effect, Option, Schedule, Stream } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import type { ManagedContainer } from "./ContainerRuntime.js"
import type { PodmanError } from "./PodmanError.js"

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
  readonly await: (container: ManagedContainer) => Effect.Effect<void, string | PodmanError>
  /** Whether the container exits to be ready (`forSuccessfulExit`): its exit is not a failure then. */
  readonly exits?: boolean | undefined
}

/**
 * Ready when a log line matches: the log is followed from its start.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forLog(/listening on/)
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forLog = (pattern: RegExp): WaitStrategy => ({
  description: `a log line matching ${pattern}`,
  await: (container) =>
    container.logs({ follow: true }).pipe(
      Stream.filter((line) => pattern.test(line)),
      Stream.runHead,
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(`its log ended without a line matching ${pattern}`),
        onSome: () => Effect.void
      }))
    )
})

/**
 * Ready when a command run in the container exits 0 (tried again every 100 ms).
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
export const forExec = (argv: ReadonlyArray<string>): WaitStrategy => ({
  description: `\`${argv.join(" ")}\` to exit 0`,
  await: (container) => untilTrue(Effect.map(container.exec(argv), (result) => result.exitCode === 0))
})

/**
 * Ready when the container's health check passes (run again every 100 ms): a spec with
 * `healthcheck: { command }`. One without a check fails the wait at once, with podman's words.
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
export const forHealthy = (): WaitStrategy => ({
  description: "its health check to pass",
  await: (container) => untilTrue(container.healthcheck)
})

/** Tries `check` every 100 ms until it is true. */
const untilTrue = <E>(check: Effect.Effect<boolean, E>) =>
  check.pipe(
    Effect.flatMap((ok) => ok ? Effect.void : Effect.fail("not yet" as const)),
    Effect.retry({ while: (error) => error === "not yet", schedule: Schedule.spaced("100 millis") })
  )

/**
 * Ready when an HTTP GET of `path` on a published port answers with a status below 400 (tried
 * every 100 ms; each try bounded by 2 seconds).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forHttp("/health", { port: 8080 })
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forHttp = (path: string, options: { readonly port: number }): WaitStrategy => ({
  description: `GET ${path} on port ${options.port} to answer`,
  await: (container) =>
    Effect.suspend(() => {
      const url = container.url(options.port, path)
      return Effect.tryPromise({
        try: (signal) => fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) }).then((response) => response.status),
        catch: () => "not yet"
      })
    }).pipe(
      Effect.flatMap((status) => status < 400 ? Effect.void : Effect.fail("not yet")),
      Effect.retry({ while: (error) => error === "not yet", schedule: Schedule.spaced("100 millis") })
    )
})

/** The published port a wait names (the first published one when none is named). */
const publishedPort = (container: ManagedContainer, port: number | undefined) => {
  const found = port === undefined ? container.ports[0] : container.ports.find((p) => p.container === port)
  return found === undefined
    ? Effect.fail(port === undefined
      ? "no port is published: add the spec's ports, or wait for something else"
      : `port ${port} is not published: add it to the spec's ports`)
    : Effect.succeed(found)
}

/**
 * Ready when a published port (`port` inside the container; default the first published one)
 * accepts TCP connections on the host (tried every 100 ms). A port the spec does not publish fails
 * the wait at once.
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
export const forPort = (port?: number): WaitStrategy => ({
  description: `port ${port ?? "(first published)"} accepting connections`,
  await: (container) => Effect.flatMap(publishedPort(container, port), (p) => untilTrue(Effect.promise((signal) => Ports.accepts(p.hostIp, p.host, signal))))
})

/**
 * Ready when every published TCP port accepts connections; none published fails at once.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.forAllPorts() // an app on 8080 and its metrics on 9090
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const forAllPorts = (): WaitStrategy => ({
  description: "every published port accepting connections",
  await: (container) =>
    container.ports.length === 0
      ? Effect.fail("no port is published: add the spec's ports, or wait for something else")
      : all(...container.ports.filter((p) => p.protocol === "tcp").map((p) => forPort(p.container))).await(container)
})

/**
 * Ready when the container exits with code 0 (a one-shot job: a migration, a seed); another code
 * fails the run.
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
  description: "exit with code 0",
  exits: true,
  await: (container) =>
    Effect.flatMap(container.wait(), (code) => code === 0 ? Effect.void : Effect.fail(`the container exited with code ${code}`))
})

/**
 * Ready when every strategy is (run together).
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.all(Wait.forLog(/ready/), Wait.forHttp("/health", { port: 8080 }))
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const all = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: strategies.map((s) => s.description).join(" and "),
  exits: strategies.some((s) => s.exits === true),
  await: (container) => Effect.asVoid(Effect.all(strategies.map((s) => s.await(container)), { concurrency: "unbounded" }))
})

/**
 * Ready when the first strategy is; fails only when all fail.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 *
 * const ready = Wait.any(Wait.forLog(/ready/), Wait.forExec(["test", "-f", "/tmp/ready"]))
 * ```
 *
 * @since 0.4.0
 * @category waits
 */
export const any = (...strategies: ReadonlyArray<WaitStrategy>): WaitStrategy => ({
  description: strategies.map((s) => s.description).join(" or "),
  exits: strategies.some((s) => s.exits === true),
  await: (container) =>
    strategies.length === 0
      ? Effect.void
      : Effect.raceAll(strategies.map((s) => s.await(container)))
})
