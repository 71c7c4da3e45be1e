/**
 * Running commands in a container: the options of `exec` and `execStdio`, and what `exec`
 * returns. (Also reachable as `Container.*` and `ContainerRuntime.*`.)
 *
 * @since 0.3.0
 */
import type { Duration, Sink, Stream } from "effect"

/**
 * Options of `ContainerRuntime.execStdio`.
 *
 * @example
 * ```ts
 * import { Sink, Stream } from "effect"
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const options: ContainerRuntime.ExecStdioOptions = {
 *   stdin: Stream.make(new TextEncoder().encode("ping\n")),
 *   stdout: Sink.drain,
 *   timeout: "5 seconds"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ExecStdioOptions<E = never, R = never> {
  /** Bytes for the command's stdin; its end closes the command's stdin. */
  readonly stdin: Stream.Stream<Uint8Array, E, R>
  /** Where the command's stdout goes. */
  readonly stdout: Sink.Sink<unknown, Uint8Array, never, E, R>
  /** Where the command's stderr goes (default: discarded, though its tail is kept for errors). */
  readonly stderr?: Sink.Sink<unknown, Uint8Array, never, E, R> | undefined
  /** Environment variables for the command (`-e KEY=VALUE`; sensitive values are redacted in logs). */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** `UID[:GID]` or a user name to run the command as (default: the container's). */
  readonly user?: string | undefined
  /** The command's working directory (default: the container's). */
  readonly workdir?: string | undefined
  /** Kill the command and fail with `Timeout` when this passes. */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Options of `exec`: a bound (none by default — a command may run as long as your job needs; pass
 * one), the user, working directory and environment to run it with (sensitive values never in an
 * argv), and bytes for its stdin.
 *
 * @example
 * ```ts
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const options: ContainerRuntime.ExecOptions = {
 *   timeout: "30 seconds",
 *   user: "1000",
 *   workdir: "/srv",
 *   env: { MODE: "check", API_TOKEN: "from-your-vault" },
 *   stdin: "SELECT 1;\n"
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ExecOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly user?: string | undefined
  readonly workdir?: string | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  /** The command's stdin (a string is UTF-8); its end closes the command's stdin. Default: none. */
  readonly stdin?: string | Uint8Array | undefined
}

/**
 * What a command run with `exec` did. A non-zero `exitCode` is a result, not an error.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const version = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.exec("db", ["psql", "--version"])).pipe(
 *   Effect.map((result) => (result.exitCode === 0 ? result.stdout.trim() : `failed: ${result.stderr}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ExecResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}
