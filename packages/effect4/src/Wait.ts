/**
 * What `run` waits for before it hands the container over.
 *
 * @since 0.4.0
 */
import { Effect, Option, Schedule, Stream } from "effect"
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
