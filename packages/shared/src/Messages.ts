/**
 * What each error says: every edition's error classes (`PodmanMissing`, `Timeout`, `NonZeroExit`,
 * `InvalidArgument`) give these messages, so an error reads the same on Effect 3 and Effect 4.
 *
 * @since 0.4.0
 */
import { orNoOutput, quote } from "./Failures.js"
import type { NonZeroExitReason } from "./Failures.js"

/**
 * The fields of a `PodmanMissing`.
 *
 * @example
 * ```ts
 * import type { Messages } from "effect-podman-shared"
 *
 * const missing: Messages.PodmanMissingFields = { binary: "podman", argv: ["podman", "ps"], reason: "NotFound" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface PodmanMissingFields {
  readonly binary: string
  readonly argv: ReadonlyArray<string>
  readonly socket?: string | undefined
  readonly reason: "NotFound" | "NotExecutable" | "SpawnFailed" | "NoService" | "ConnectionLost"
  readonly detail?: string | undefined
}

/**
 * The message of a `PodmanMissing`: what could not be reached, and what to do.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.podmanMissing({ binary: "podman", argv: ["podman", "ps"], reason: "NotFound" })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const podmanMissing = (error: PodmanMissingFields): string => {
  const code = error.detail === undefined ? "" : ` (${error.detail})`
  const ran = `\`${quote(error.argv)}\``
  switch (error.reason) {
    case "NotExecutable":
      return `podman binary ${JSON.stringify(error.binary)} may not be executed${code} while running ${ran}: ` +
        `check its permissions, or pass another path as Podman.layer({ binary })`
    case "SpawnFailed":
      return `podman binary ${JSON.stringify(error.binary)} could not be started${code} while running ${ran}`
    case "ConnectionLost":
      return `the podman service on ${error.socket ?? "its socket"} went away during ${ran}${code}: ` +
        `it stopped or crashed; start it again (or use PodmanApi.layerService())`
    case "NoService":
      return `no podman service answers on ${error.socket ?? "its socket"} (${ran})${code}: start one ` +
        `(\`podman system service --time 0 unix://…\`) or use PodmanApi.layerService()`
    case "NotFound":
      return error.socket === undefined
        ? `podman binary ${JSON.stringify(error.binary)} not found while running ${ran}: ` +
          `install podman (e.g. \`apt-get install podman\`) or pass its path as Podman.layer({ binary })`
        : `no podman service answers on ${error.socket} (${ran}): start one ` +
          `(\`podman system service --time 0 unix://…\`) or use PodmanApi.layerService()`
  }
}

/**
 * The message of a `Timeout`: whose bound passed, on what, and that the process was killed.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.timeout({ argv: ["podman", "inspect", "web"], timeoutMillis: 1000, reason: "LayerBound" })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const timeout = (error: {
  readonly argv: ReadonlyArray<string>
  readonly timeoutMillis: number
  readonly reason: "CallerBound" | "LayerBound"
  readonly operation?: string | undefined
}): string => {
  const what = error.operation === undefined ? "" : `${error.operation}: `
  return error.reason === "CallerBound"
    ? `${what}the ${error.timeoutMillis} ms bound you set passed (\`${quote(error.argv)}\`); the process was killed`
    : `${what}podman did not answer within ${error.timeoutMillis} ms (\`${quote(error.argv)}\`); the process was ` +
      "killed (raise the layer's timeout if podman is just slow here)"
}

const REASON_TEXT: Record<NonZeroExitReason, string> = {
  NoSuchContainer: "no such container",
  NoSuchImage: "no such image",
  NoSuchResource: "no such network, volume or pod",
  NameInUse: "the name is already in use",
  NotRunning: "the container is not running",
  InUse: "in use",
  PullFailed: "the image could not be pulled",
  Other: "podman failed"
}

const withoutSessionLabels = (argv: ReadonlyArray<string>): Array<string> =>
  argv.filter((arg, i) => !arg.startsWith("effect-podman.") && !(arg === "--label" && argv[i + 1]?.startsWith("effect-podman.")))

/**
 * The message of a `NonZeroExit`: the operation, what happened, how it was reached (argv without
 * the library's session labels; exit code, HTTP status or signal) and podman's words.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.nonZeroExit({ reason: "NoSuchContainer", operation: "container.start", argv: ["podman", "start", "web"], exitCode: 125, stderr: "Error: no such container" })
 * // "container.start failed: no such container (`podman start web`, exit code 125): Error: no such container"
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const nonZeroExit = (error: {
  readonly reason: NonZeroExitReason
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  readonly exitCode?: number | undefined
  readonly status?: number | undefined
  readonly signal?: string | undefined
  readonly stderr: string
}): string => {
  const how = error.signal !== undefined
    ? `, killed by ${error.signal}`
    : error.status !== undefined
    ? `, HTTP ${error.status}`
    : error.exitCode !== undefined
    ? `, exit code ${error.exitCode}`
    : ""
  const what = error.reason === "Other" ? "failed" : `failed: ${REASON_TEXT[error.reason]}`
  return `${error.operation} ${what} (\`${quote(withoutSessionLabels(error.argv))}\`${how}): ${orNoOutput(error.stderr)}`
}

/**
 * The message of an `InvalidArgument`.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.invalidArgument({ argument: "container name", value: "-x", reason: "starts with a letter or digit" })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const invalidArgument = (error: { readonly argument: string; readonly value: string; readonly reason: string }): string =>
  `invalid ${error.argument} ${JSON.stringify(error.value)}: ${error.reason}; nothing was run`
