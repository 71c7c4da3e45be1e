/**
 * The errors of every podman operation, for Effect 4: `PodmanMissing` (podman could not be
 * reached), `Timeout` (a bound passed; the process was killed), `NonZeroExit` (podman failed, with
 * a `reason`) and `InvalidArgument` (refused before anything ran). Their fields and messages are
 * the Effect 3 edition's (`effect-podman-shared/Messages` writes both).
 *
 * @since 0.4.0
 */
import { Data } from "effect"
import * as Failures from "effect-podman-shared/Failures"
import * as Messages from "effect-podman-shared/Messages"

/**
 * podman could not be reached: no binary (`NotFound`), not executable, or any other spawn failure.
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const missing = new PodmanError.PodmanMissing({ binary: "podman", argv: ["podman", "ps"], reason: "NotFound" })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class PodmanMissing extends Data.TaggedError("PodmanMissing")<Messages.PodmanMissingFields> {
  /** @since 0.4.0 */
  override get message(): string {
    return Messages.podmanMissing(this)
  }
}

/**
 * A bound passed: the layer's (`LayerBound`: podman did not answer) or the caller's
 * (`CallerBound`). The process was killed — SIGTERM, then SIGKILL after the layer's `killGrace`.
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const hung = (error: PodmanError.Timeout) => error.reason === "LayerBound"
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class Timeout extends Data.TaggedError("Timeout")<{
  readonly argv: ReadonlyArray<string>
  readonly timeoutMillis: number
  readonly reason: "CallerBound" | "LayerBound"
  readonly operation?: string | undefined
}> {
  /** @since 0.4.0 */
  override get message(): string {
    return Messages.timeout(this)
  }
}

/**
 * podman failed: `reason` says what happened (the same on every layer and edition), `operation`
 * which operation, `argv` (redacted; `[method, path]` on the REST layer) and `exitCode` (CLI) or
 * `status` (REST) how, `stderr` podman's words (redacted).
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const absent = (error: PodmanError.NonZeroExit) => error.reason === "NoSuchContainer"
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class NonZeroExit extends Data.TaggedError("NonZeroExit")<Messages.NonZeroExitFields> {
  /**
   * On a `PullFailed`: why — `NotFound` (no such repository or tag), `Unauthorized`, `Unreachable`
   * (nothing answers, no such host, HTTP where HTTPS was asked), or `Other`; `undefined` otherwise.
   *
   * @since 0.4.0
   */
  get pullFailure(): Failures.PullFailure | undefined {
    return this.reason === "PullFailed" ? Failures.pullFailureOf(this.stderr) : undefined
  }

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.nonZeroExit(this)
  }
}

/**
 * An argument refused before anything ran (a bad name, a value the kernel would refuse).
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const refused = new PodmanError.InvalidArgument({ argument: "container name", value: "-x", reason: "starts with a letter or digit" })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class InvalidArgument extends Data.TaggedError("InvalidArgument")<{
  readonly argument: string
  readonly value: string
  readonly reason: string
}> {
  /** @since 0.4.0 */
  override get message(): string {
    return Messages.invalidArgument(this)
  }
}

/**
 * Every error of a podman operation.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const describe = (error: PodmanError.PodmanError) => `${error._tag}: ${error.message}`
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PodmanError = PodmanMissing | Timeout | NonZeroExit | InvalidArgument
