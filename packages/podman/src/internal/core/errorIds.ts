/**
 * What every error class of the package shares: its type id, and how a message quotes an argv.
 *
 * @internal
 */

/** @internal */
export const TypeId: unique symbol = Symbol.for("effect-podman/PodmanError")

/** @internal */
export type TypeId = typeof TypeId

export { orNoOutput, pullFailureOf, quote } from "effect-podman-shared/Failures"
