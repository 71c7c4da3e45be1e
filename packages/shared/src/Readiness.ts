/**
 * The rules of the wait strategies both editions' `Wait` modules follow, decided once: what each
 * strategy is called, what it says when it cannot succeed, how often it tries and how long one try
 * may take. Each edition only runs them on its own Effect.
 *
 * What a failed try means is decided here too: a probe that answers "not yet" (a port that refuses,
 * an HTTP status that differs, a command that exits non-zero, a probe that outlives its bound) is
 * tried again until `run`'s deadline; podman failing to run the probe (the container is gone, podman
 * is missing) ends the wait with podman's own typed error.
 *
 * @since 0.5.0
 */

/**
 * How long a strategy waits between two tries when its `schedule` is not given.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.RETRY_EVERY_MILLIS // 100
 * ```
 *
 * @since 0.5.0
 * @category bounds
 */
export const RETRY_EVERY_MILLIS = 100

/**
 * How long one `forExec` try may take before it counts as "not yet" (the command is then tried again).
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.EXEC_PROBE_MILLIS // 10000
 * ```
 *
 * @since 0.5.0
 * @category bounds
 */
export const EXEC_PROBE_MILLIS = 10_000

/**
 * How long one `forHttp` request may take before it counts as "not yet".
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.HTTP_PROBE_MILLIS // 2000
 * ```
 *
 * @since 0.5.0
 * @category bounds
 */
export const HTTP_PROBE_MILLIS = 2_000

/**
 * What `forLog` waits for: a pattern (as a regular expression prints) or a predicate, `times` times.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.logDescription(/^ready$/, 1) // "a log line matching /^ready$/"
 * Readiness.logDescription(undefined, 3) // "a log line the predicate accepts ×3"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const logDescription = (pattern: RegExp | undefined, times: number): string => {
  const what = logLine(pattern)
  return times === 1 ? what : `${what} ×${times}`
}

const logLine = (pattern: RegExp | undefined) =>
  pattern === undefined ? "a log line the predicate accepts" : `a log line matching ${pattern}`

/**
 * Why `forLog` cannot succeed before it reads anything: `times` is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.timesProblem(0) // "times must be a whole number ≥ 1 (got 0)"
 * Readiness.timesProblem(2) // undefined
 * ```
 *
 * @since 0.5.0
 * @category failures
 */
export const timesProblem = (times: number): string | undefined =>
  Number.isSafeInteger(times) && times >= 1 ? undefined : `times must be a whole number ≥ 1 (got ${times})`

/**
 * Why `forLog` failed: the log ended (the container's output closed) before enough lines matched.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.logEnded(/^ready$/, 1, 0) // "its log ended without a log line matching /^ready$/"
 * Readiness.logEnded(/^tick$/, 3, 1) // "its log ended after 1 of 3 matches of a log line matching /^tick$/"
 * ```
 *
 * @since 0.5.0
 * @category failures
 */
export const logEnded = (pattern: RegExp | undefined, times: number, count: number): string =>
  times === 1
    ? `its log ended without ${logLine(pattern)}`
    : `its log ended after ${count} of ${times} matches of ${logLine(pattern)}`

/**
 * What `forExec` waits for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.execDescription(["pg_isready", "-q"]) // "`pg_isready -q` to exit 0"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const execDescription = (argv: ReadonlyArray<string>): string => `\`${argv.join(" ")}\` to exit 0`

/**
 * What `forHealthy` waits for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.HEALTHY // "its health check to pass"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const HEALTHY = "its health check to pass"

/**
 * What `forHttp` waits for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.httpDescription("/health", undefined, 200) // "GET /health to answer 200"
 * Readiness.httpDescription("/", 8080, 204) // "GET / on port 8080 to answer 204"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const httpDescription = (path: string, port: number | undefined, status: number): string =>
  `GET ${path}${port === undefined ? "" : ` on port ${port}`} to answer ${status}`

/**
 * What `forPort` waits for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.portDescription(5432) // "port 5432 accepting connections"
 * Readiness.portDescription(undefined) // "port (first published) accepting connections"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const portDescription = (port: number | undefined): string =>
  `port ${port ?? "(first published)"} accepting connections`

/**
 * What `forAllPorts` waits for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.ALL_PORTS // "every published port accepting connections"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const ALL_PORTS = "every published port accepting connections"

/**
 * Why a port wait cannot succeed: the port it names (or any, when it names none) is not published,
 * and no retry can publish it.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.notPublished(5432) // "port 5432 is not published: add it to the spec's ports"
 * ```
 *
 * @since 0.5.0
 * @category failures
 */
export const notPublished = (port: number | undefined): string =>
  port === undefined
    ? "no port is published: add the spec's ports, or wait for something else"
    : `port ${port} is not published: add it to the spec's ports`

/**
 * What `forSuccessfulExit` waits for, and why it failed.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.SUCCESSFUL_EXIT // "exit with code 0"
 * Readiness.exitedWith(3) // "the container exited with code 3"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const SUCCESSFUL_EXIT = "exit with code 0"

/**
 * Why `forSuccessfulExit` failed.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.exitedWith(3) // "the container exited with code 3"
 * ```
 *
 * @since 0.5.0
 * @category failures
 */
export const exitedWith = (code: number): string => `the container exited with code ${code}`

/**
 * Why a retried strategy failed: its `schedule` ended before a try succeeded.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.gaveUp("its health check to pass") // "its health check to pass: gave up"
 * ```
 *
 * @since 0.5.0
 * @category failures
 */
export const gaveUp = (description: string): string => `${description}: gave up`

/**
 * What `all` and `any` wait for.
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.allDescription(["port 5432 accepting connections", "its health check to pass"])
 * // "port 5432 accepting connections and its health check to pass"
 * Readiness.anyDescription(["a", "b"]) // "a or b"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const allDescription = (descriptions: ReadonlyArray<string>): string =>
  descriptions.length === 0 ? "nothing" : descriptions.join(" and ")

/**
 * What `any` waits for (`any()` of nothing is ready at once).
 *
 * @example
 * ```ts
 * import { Readiness } from "effect-podman-shared"
 *
 * Readiness.anyDescription(["a", "b"]) // "a or b"
 * ```
 *
 * @since 0.5.0
 * @category descriptions
 */
export const anyDescription = (descriptions: ReadonlyArray<string>): string =>
  descriptions.length === 0 ? "nothing" : descriptions.join(" or ")
