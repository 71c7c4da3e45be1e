/**
 * What podman's words say happened, and which operation a command line or an API request is:
 * podman's CLI and its API use the same messages (the API returns the error the CLI would print),
 * so both editions' classifiers — and both backends of each — read them here.
 *
 * @since 0.4.0
 */

/**
 * What a podman failure was, the same on every layer.
 *
 * @example
 * ```ts
 * import type { Failures } from "effect-podman-shared"
 *
 * const retryable = (reason: Failures.NonZeroExitReason) => reason === "PullFailed"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type NonZeroExitReason = typeof NON_ZERO_EXIT_REASONS[number]

/**
 * Every reason of a `NonZeroExit`, in one place: both editions' error schemas are built from it.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.NON_ZERO_EXIT_REASONS.includes("NoSuchContainer") // true
 * ```
 *
 * @since 0.5.0
 * @category models
 */
export const NON_ZERO_EXIT_REASONS = [
  "NoSuchContainer",
  "NoSuchImage",
  "NoSuchResource",
  "NameInUse",
  "NotRunning",
  "InUse",
  "PullFailed",
  "Unsupported",
  "Unreadable",
  "HostFile",
  "Other"
] as const

/**
 * What podman refuses to do on this host, whatever the container: rootless podman under cgroup v1
 * (no cgroup of the container's own) cannot pause, unpause or sample stats — its words on the CLI
 * and on the API.
 */
const UNSUPPORTED =
  /can not pause containers on rootless containers with cgroup V1|unpause is not supported for cgroupv1 rootless containers|stats is not supported in rootless mode without cgroups v2|container stats resource only available for cgroup v2/i

/**
 * The reason podman's words name.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.reasonOf("Error: no container with name or ID \"web\" found: no such container") // "NoSuchContainer"
 * ```
 *
 * @since 0.4.0
 * @category classifiers
 */
export const reasonOf = (text: string): NonZeroExitReason =>
  UNSUPPORTED.test(text)
    ? "Unsupported"
    : /initializing source|pinging container registry|error pulling image|manifest unknown|unauthorized|requested access to the resource is denied|short-name .* did not resolve/i
        .test(text)
    ? "PullFailed"
    : /name is already in use|is already in use by|already used: network already exists|already exists: volume already exists|pod already exists/i
        .test(text)
    ? "NameInUse"
    : /is in use by a container|has dependent containers|image is in use/i.test(text)
    ? "InUse"
    : /no such container|no container with (name or )?id|container "[^"]*" does not exist/i.test(text)
    ? "NoSuchContainer"
    : /image not known|no such image/i.test(text)
    ? "NoSuchImage"
    : /network not found|no such pod|no such volume/i.test(text)
    ? "NoSuchResource"
    : /state improper|is not running|container not running|can only create exec sessions on running containers|exec session as container .* is paused/i
        .test(text)
    ? "NotRunning"
    : "Other"

/**
 * Why a pull failed.
 *
 * @example
 * ```ts
 * import type { Failures } from "effect-podman-shared"
 *
 * const failure: Failures.PullFailure = "Unreachable"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PullFailure = "NotFound" | "Unauthorized" | "Unreachable" | "Other"

/**
 * Why a pull failed, from podman's words.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.pullFailureOf("Error: initializing source docker://x: manifest unknown") // "NotFound"
 * ```
 *
 * @since 0.4.0
 * @category classifiers
 */
export const pullFailureOf = (stderr: string): PullFailure =>
  /manifest unknown|not found|name unknown|does not exist|short-name .* did not resolve/i.test(stderr)
    ? "NotFound"
    : /unauthorized|authentication required|denied|forbidden/i.test(stderr)
    ? "Unauthorized"
    : /connection refused|no such host|i\/o timeout|network is unreachable|server gave HTTP response to HTTPS client|x509|tls:/i
        .test(stderr)
    ? "Unreachable"
    : "Other"

/**
 * An argv as a message shows it: plain words bare, the rest JSON-quoted.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.quote(["logs", "a b"]) // 'logs "a b"'
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const quote = (argv: ReadonlyArray<string>): string =>
  argv.map((arg) => (/^[\w./:=@%+,-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ")

/**
 * podman's words, trimmed; `<no output>` when it said nothing.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.orNoOutput("  ") // "<no output>"
 * ```
 *
 * @since 0.4.0
 * @category messages
 */
export const orNoOutput = (text: string): string => text.trim() === "" ? "<no output>" : text.trim()

const CLI_OPERATIONS: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
  [["container", "inspect"], "container.inspect"],
  [["image", "inspect"], "image.inspect"],
  [["image", "history"], "image.history"],
  [["image", "rm"], "image.remove"],
  [["healthcheck", "run"], "container.healthcheck"],
  [["system", "service"], "system.service"],
  [["network", "create"], "network.create"],
  [["network", "rm"], "network.remove"],
  [["network", "ls"], "network.list"],
  [["volume", "create"], "volume.create"],
  [["volume", "rm"], "volume.remove"],
  [["volume", "ls"], "volume.list"],
  [["pod", "create"], "pod.create"],
  [["pod", "rm"], "pod.remove"],
  [["pod", "ps"], "pod.list"],
  [["start"], "container.start"],
  [["kill"], "container.kill"],
  [["stats"], "container.stats"],
  [["pause"], "container.pause"],
  [["unpause"], "container.unpause"],
  [["restart"], "container.restart"],
  [["stop"], "container.stop"],
  [["wait"], "container.wait"],
  [["ps"], "container.list"],
  [["rm"], "container.remove"],
  [["create"], "container.create"],
  [["run"], "container.run"],
  [["exec"], "container.exec"],
  [["logs"], "container.logs"],
  [["events"], "events"],
  [["info"], "system.info"],
  [["images"], "image.list"],
  [["tag"], "image.tag"]
]

/**
 * The operation a podman command line performs.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.cliOperation(["start", "web"]) // "container.start"
 * ```
 *
 * @since 0.4.0
 * @category operations
 */
export const cliOperation = (args: ReadonlyArray<string>): string =>
  // `podman cp - CTR:DEST` copies in, `podman cp CTR:PATH -` copies out
  args[0] === "cp"
    ? args.at(-1) === "-" ? "container.copyOut" : "container.copyIn"
    : CLI_OPERATIONS.find(([verbs]) => verbs.every((verb, i) => args[i] === verb))?.[1] ??
      `podman ${args[0] ?? ""}`.trim()

const API_OPERATIONS: ReadonlyArray<readonly [method: string, path: RegExp, operation: string]> = [
  ["POST", /^\/containers\/create/, "container.create"],
  ["GET", /^\/containers\/json/, "container.list"],
  ["GET", /^\/containers\/[^/]+\/json/, "container.inspect"],
  ["POST", /^\/containers\/[^/]+\/start/, "container.start"],
  ["POST", /^\/containers\/[^/]+\/stop/, "container.stop"],
  ["POST", /^\/containers\/[^/]+\/wait/, "container.wait"],
  ["POST", /^\/containers\/[^/]+\/kill/, "container.kill"],
  ["GET", /^\/containers\/stats/, "container.stats"],
  ["POST", /^\/containers\/[^/]+\/pause/, "container.pause"],
  ["POST", /^\/containers\/[^/]+\/unpause/, "container.unpause"],
  ["POST", /^\/containers\/[^/]+\/restart/, "container.restart"],
  ["GET", /^\/containers\/[^/]+\/archive/, "container.copyOut"],
  ["*", /^\/containers\/[^/]+\/archive/, "container.copyIn"],
  ["*", /^\/containers\/[^/]+\/exec|^\/exec\//, "container.exec"],
  ["GET", /^\/containers\/[^/]+\/logs/, "container.logs"],
  ["GET", /^\/containers\/[^/]+\/healthcheck/, "container.healthcheck"],
  ["DELETE", /^\/containers\/[^/]+/, "container.remove"],
  ["GET", /^\/images\/json/, "image.list"],
  ["GET", /^\/images\/[^/]+\/json/, "image.inspect"],
  ["GET", /^\/images\/[^/]+\/history/, "image.history"],
  ["DELETE", /^\/images\/[^/]+/, "image.remove"],
  ["GET", /^\/events/, "events"]
]

/**
 * The operation a libpod API request performs (its path below the version prefix).
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.apiOperation("POST", "/containers/web/start") // "container.start"
 * ```
 *
 * @since 0.4.0
 * @category operations
 */
export const apiOperation = (method: string, path: string): string =>
  API_OPERATIONS.find(([m, pattern]) => (m === "*" || m === method) && pattern.test(path))?.[2] ?? `${method} ${path}`

/**
 * What the status says when the message is not specific: 404 names the object the path names (a
 * path inside a container that is not there is no missing container).
 */
const reasonOfStatus = (status: number, path: string): NonZeroExitReason =>
  status === 404
    ? (path.startsWith("/images/") ? "NoSuchImage" : /\/archive\b/.test(path) ? "Other" : "NoSuchContainer")
    : status === 409
    ? "InUse"
    : "Other"

/**
 * A libpod API answer that is not a success, as the fields of a `NonZeroExit`: what happened (from
 * the API's message, else its HTTP status), which operation, and how (`[method, path]`, `status`).
 * `text` is the answer's body.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.apiFailure("POST", "/containers/web/start", 404, '{"message":"no container with name or ID \\"web\\" found: no such container"}').reason
 * // "NoSuchContainer"
 * ```
 *
 * @since 0.4.0
 * @category classifiers
 */
export const apiFailure = (method: string, path: string, status: number, text: string): {
  readonly reason: NonZeroExitReason
  readonly operation: string
  readonly argv: ReadonlyArray<string>
  readonly status: number
  readonly stderr: string
} => {
  let stderr = text
  try {
    const body = JSON.parse(text) as { readonly message?: unknown }
    if (typeof body?.message === "string") stderr = `Error: ${body.message}`
  } catch {
    // not JSON: the body as it is
  }
  const fromText = reasonOf(stderr)
  return {
    reason: fromText === "Other" ? reasonOfStatus(status, path) : fromText,
    operation: apiOperation(method, path),
    argv: [method, path],
    status,
    stderr
  }
}

/**
 * Whether podman itself failed to run an exec, rather than the command exiting non-zero: 125 (no
 * such container), 255 with "container state improper" (not running, as podman 4 reports it), or
 * podman killed by a signal. Any other exit code — 255 from the command too — is the command's.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.podmanExecFailed({ exitCode: 255, stderr: "", killedBySignal: false }) // false: the command's 255
 * ```
 *
 * @since 0.4.0
 * @category classifiers
 */
export const podmanExecFailed = (
  output: { readonly exitCode: number; readonly stderr: string; readonly killedBySignal: boolean }
): boolean =>
  output.killedBySignal || output.exitCode === 125 ||
  (output.exitCode === 255 && /container state improper/.test(output.stderr))

/**
 * An exec's stderr without what podman's service writes there when its own attach connection
 * closes first (`Error: read unixpacket @->/proc/self/fd/N/attach: read: connection reset by
 * peer`, seen when the exec fails to start): podman's race, not the command's output.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.withoutAttachRace("boom\nError: read unixpacket @->/proc/self/fd/13/attach: read: connection reset by peer\n") // "boom\n"
 * ```
 *
 * @since 0.4.0
 */
export const withoutAttachRace = (stderr: string): string =>
  stderr.replace(/Error: read unixpacket @->\/proc\/self\/fd\/\d+\/attach: read: connection reset by peer\n/g, "")

/**
 * The system error code (`ECONNRESET`, `ENOENT`, undici's `UND_ERR_…`) of a failed request,
 * looked for down its chain of causes (an HTTP client wraps the socket's error a few levels deep);
 * none when there is none within five levels.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.transportCode({ message: "request failed", cause: { cause: { code: "ECONNREFUSED" } } }) // "ECONNREFUSED"
 * ```
 *
 * @since 0.5.0
 * @category transport
 */
export const transportCode = (error: unknown): string | undefined => {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { readonly code?: unknown }).code
    if (typeof code === "string" && /^E[A-Z]+$|^UND_ERR/.test(code)) return code
    e = (e as { readonly cause?: unknown }).cause
  }
  return undefined
}

/**
 * What a transport failure means: nothing listening is no service; a connection that broke is a
 * service that went away.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.transportReason("ENOENT") // "NoService"
 * Failures.transportReason("ECONNRESET") // "ConnectionLost"
 * ```
 *
 * @since 0.5.0
 * @category transport
 */
export const transportReason = (code: string | undefined): "NoService" | "ConnectionLost" =>
  code === "ECONNREFUSED" || code === "ENOENT" ? "NoService" : "ConnectionLost"

/**
 * The operation a call performs, from how it was reached: a podman command line (`podman`, its
 * global options — each with a value — then the command), or a REST request (`[method, path]`).
 * Every `Timeout` names its operation this way, whichever layer made it.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * Failures.operationOf(["podman", "--url", "unix:///run/podman.sock", "exec", "web", "true"]) // "container.exec"
 * Failures.operationOf(["POST", "/containers/web/wait"]) // "container.wait"
 * ```
 *
 * @since 0.5.0
 * @category operations
 */
export const operationOf = (argv: ReadonlyArray<string>): string => {
  const [first = "", second = ""] = argv
  if (/^(?:GET|POST|PUT|DELETE|HEAD)$/.test(first)) return apiOperation(first, second.replace(/^\/v[\d.]+\/libpod/, ""))
  const args = /(?:^|\/)podman(?:-remote)?$/.test(first) ? argv.slice(1) : argv
  let i = 0
  while (args[i]?.startsWith("--") === true) i += args[i]!.includes("=") ? 1 : 2
  return cliOperation(args.slice(i))
}

/**
 * One problem with output this library could not read: where (`[0].State.Status`), and what was
 * expected there — never the value found.
 *
 * @since 0.5.0
 * @category reasons
 */
export interface UnreadableIssue {
  readonly at: string
  readonly expected: string
}

/**
 * The cause a `NonZeroExit` `Unreadable` keeps: what podman printed that this library could not
 * read, and each problem's place and expectation (`issues`, at most five). A schema's own error
 * names the values it found, which can be a secret (an environment value in an inspect), so it is
 * not kept: this is that error with the values taken out.
 *
 * @example
 * ```ts
 * import { Failures } from "effect-podman-shared"
 *
 * const cause = new Failures.UnreadableOutput("a container inspect", [
 *   { path: [0, "State", "Status"], message: "Expected string, actual 5" }
 * ])
 * cause.issues // [{ at: "[0].State.Status", expected: "Expected string" }]
 * cause.message // "podman printed a container inspect this library cannot read: at [0].State.Status: Expected string"
 * ```
 *
 * @since 0.5.0
 * @category reasons
 */
export class UnreadableOutput extends Error {
  readonly _tag = "UnreadableOutput"
  readonly issues: ReadonlyArray<UnreadableIssue>
  constructor(
    readonly what: string,
    issues: ReadonlyArray<
      {
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
        readonly message: string
      }
    >
  ) {
    const where = (path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> = []) =>
      path.length === 0 ? "the top" : path.map((segment, i) => {
        const key = typeof segment === "object" ? segment.key : segment
        return typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`
      }).join("")
    const kept = issues.slice(0, 5).map((issue) => ({
      at: where(issue.path),
      expected: issue.message.split(/, (?:actual|got)\b|\n/)[0]!.trim()
    }))
    super(
      `podman printed ${what} this library cannot read${
        kept.length === 0 ? "" : `: ${kept.map((i) => `at ${i.at}: ${i.expected}`).join("; ")}`
      }`
    )
    this.name = "UnreadableOutput"
    this.issues = kept
  }
}
