/**
 * What every error class of the package shares: its type id, and how a message quotes an argv.
 *
 * @internal
 */

/** @internal */
export const TypeId: unique symbol = Symbol.for("effect-podman/PodmanError")

/** @internal */
export type TypeId = typeof TypeId

/** An argv as a message shows it: plain words bare, the rest JSON-quoted. @internal */
export const quote = (argv: ReadonlyArray<string>): string =>
  argv.map((arg) => (/^[\w./:=@%+,-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ")

/** podman's words, trimmed; `<no output>` when it said nothing. @internal */
export const orNoOutput = (text: string): string => text.trim() === "" ? "<no output>" : text.trim()

/** Why a pull failed, from podman's words. @internal */
export const pullFailureOf = (stderr: string): "NotFound" | "Unauthorized" | "Unreachable" | "Other" =>
  /manifest unknown|not found|name unknown|does not exist|short-name .* did not resolve/i.test(stderr)
    ? "NotFound"
    : /unauthorized|authentication required|denied|forbidden/i.test(stderr)
    ? "Unauthorized"
    : /connection refused|no such host|i\/o timeout|network is unreachable|server gave HTTP response to HTTPS client|x509|tls:/i.test(stderr)
    ? "Unreachable"
    : "Other"

