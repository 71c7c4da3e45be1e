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

/**
 * The fields of a `NonZeroExit`: what happened (`reason`), which operation, how it was reached
 * (the redacted argv, or `[method, path]` on the REST layer; `exitCode` or `status`; the `signal`
 * that killed podman) and podman's words (redacted).
 *
 * @example
 * ```ts
 * import type { Messages } from "effect-podman-shared"
 *
 * const fields: Messages.NonZeroExitFields = { reason: "Other", operation: "container.start", argv: ["podman", "start", "web"], exitCode: 125, stderr: "Error: boom" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface NonZeroExitFields {
  readonly reason: NonZeroExitReason
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  /** CLI: podman's exit code. */
  readonly exitCode?: number | undefined
  /** REST API: the HTTP status of the answer. */
  readonly status?: number | undefined
  readonly signal?: string | undefined
  readonly stderr: string
}

const REASON_TEXT: Record<NonZeroExitReason, string> = {
  NoSuchContainer: "no such container",
  NoSuchImage: "no such image",
  NoSuchResource: "no such network, volume or pod",
  NameInUse: "the name is already in use",
  NotRunning: "the container is not running",
  InUse: "in use",
  PullFailed: "the image could not be pulled",
  Unsupported: "podman cannot do this on this host",
  Unreadable: "podman's answer could not be read",
  HostFile: "a file on this host could not be read or written",
  Other: "podman failed"
}

const withoutSessionLabels = (argv: ReadonlyArray<string>): Array<string> =>
  argv.filter((arg, i) =>
    !arg.startsWith("effect-podman.") && !(arg === "--label" && argv[i + 1]?.startsWith("effect-podman."))
  )

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
export const nonZeroExit = (error: NonZeroExitFields): string => {
  const how = error.signal !== undefined
    ? `, killed by ${error.signal}`
    : error.status !== undefined
    ? `, HTTP ${error.status}`
    : error.exitCode !== undefined
    ? `, exit code ${error.exitCode}`
    : ""
  const what = error.reason === "Other" ? "failed" : `failed: ${REASON_TEXT[error.reason]}`
  // no argv: the failure was this host's, no podman command ran for it
  const reached = error.argv.length === 0 ? "" : ` (\`${quote(withoutSessionLabels(error.argv))}\`${how})`
  return `${error.operation} ${what}${reached}: ${orNoOutput(error.stderr)}`
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
export const invalidArgument = (
  error: { readonly argument: string; readonly value: string; readonly reason: string }
): string => `invalid ${error.argument} ${JSON.stringify(error.value)}: ${error.reason}; nothing was run`

/**
 * The message of a `GpuConfigError`: podman's words and what to do.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.gpuConfig({ stderr: "Error: unresolvable CDI devices nvidia.com/gpu=all", hint: "generate a CDI spec" })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const gpuConfig = (error: { readonly stderr: string; readonly hint: string }): string =>
  `Container launch failed (GPU misconfiguration):\n${orNoOutput(error.stderr)}\n\n${error.hint}`

/**
 * The message of a `SpecError`: what was refused, and every problem with it.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.specError({ subject: "container spec", issues: "image: must not be empty" })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const specError = (error: { readonly subject: string; readonly issues: string }): string =>
  `invalid ${error.subject}; nothing was run:\n${error.issues}`

/**
 * The message of a `WaitFailed`: which container, why, and its last log lines.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.waitFailed({ container: "web-1", reason: "the container exited with code 1 before it was ready", logTail: ["boom"] })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const waitFailed = (
  error: { readonly container: string; readonly reason: string; readonly logTail: ReadonlyArray<string> }
): string => {
  const tail = error.logTail.length === 0 ? "(no log output)" : error.logTail.join("\n")
  return `container ${error.container} did not become ready: ${error.reason}\nlast log lines:\n${tail}`
}

/**
 * The message of a `BuildFailed`: the step, podman's error, and the last lines the build printed.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.buildFailed({ step: "RUN false", detail: "exit status 1", outputTail: [] })
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const buildFailed = (
  error: { readonly step: string; readonly detail: string; readonly outputTail: ReadonlyArray<string> }
): string => {
  const tail = error.outputTail.length === 0 ? "(no output)" : error.outputTail.join("\n")
  return `the build failed at ${error.step}: ${error.detail}\nlast output lines:\n${tail}`
}

/**
 * A refused value as an `InvalidArgument` holds it: at most 64 characters, then `…` (a refused
 * value may be huge — that can be why it was refused).
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.shorten("x".repeat(100)).length // 65
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const shorten = (text: string): string => text.length > 64 ? `${text.slice(0, 64)}…` : text

/** Lines podman prints that are not about the call: its logger's, and a host without syslog's. */
const NOT_WARNINGS = /^time=|^failed to connect to syslog/

/**
 * What podman warned of on a call that succeeded: its plain stderr lines (a create's "Resource
 * limits are not supported and ignored on cgroups V1 rootless systems"), without its logger's
 * `time="…" level=…` lines and a host's missing syslog; or the `Warnings` of an API answer.
 *
 * @example
 * ```ts
 * import { Messages } from "effect-podman-shared"
 *
 * Messages.warnings('time="…" level=warning msg="x"\nResource limits are not supported\n') // ["Resource limits are not supported"]
 * Messages.warnings({ Id: "abc", Warnings: ["careful"] }) // ["careful"]
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const warnings = (answer: string | unknown): ReadonlyArray<string> => {
  if (typeof answer === "string") {
    return answer.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !NOT_WARNINGS.test(line))
  }
  const listed = typeof answer === "object" && answer !== null
    ? (answer as { readonly Warnings?: unknown }).Warnings
    : undefined
  return Array.isArray(listed) ? listed.filter((w): w is string => typeof w === "string" && w.trim() !== "") : []
}
