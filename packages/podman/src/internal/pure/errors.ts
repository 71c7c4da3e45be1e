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
