/**
 * The errors of every podman operation, for Effect 4: `PodmanMissing` (podman could not be
 * reached), `Timeout` (a bound passed; the process was killed), `NonZeroExit` (podman failed) and
 * `InvalidArgument` (refused before anything ran) — `Schema.TaggedError` classes, so they can be
 * caught by tag, decoded and encoded. The first three carry a tagged `reason` (`{ _tag }`), so
 * `Effect.catchReason("NonZeroExit", "NoSuchContainer", …)` handles one case and lets the others
 * through. Reason names, fields and messages are the Effect 3 edition's
 * (`effect-podman-shared/Messages` writes both); the container errors and the unions that name
 * what each operation can fail with are here too.
 *
 * @since 0.4.0
 */
import { Predicate, Schema } from "effect"
import * as Failures from "effect-podman-shared/Failures"
import * as Messages from "effect-podman-shared/Messages"
import type { BuildFailed, GpuConfigError, SpecError, WaitFailed } from "./ContainerError.js"
import { reasons, TypeId } from "./internal/core/errors.js"

export {
  /** @since 0.4.0 */
  BuildFailed,
  /** @since 0.4.0 */
  CDI_HINT,
  /** @since 0.4.0 */
  GpuConfigError,
  /** @since 0.4.0 */
  SpecError,
  /** @since 0.4.0 */
  WaitFailed
} from "./ContainerError.js"

export {
  /**
   * The mark every error of this library carries (`isPodmanError` looks for it).
   *
   * @since 0.4.0
   */
  TypeId
} from "./internal/core/errors.js"

/**
 * Why podman could not be reached: no binary (`NotFound`), not executable, another spawn failure,
 * no service on the REST layer's socket (`NoService`), or a connection lost mid-answer.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { PodmanError } from "effect-podman-4"
 *
 * const reason = Schema.decodeUnknownSync(PodmanError.PodmanMissingReason)({ _tag: "NoService" })
 * ```
 *
 * @since 0.4.0
 * @category reasons
 */
export const PodmanMissingReason = reasons(["NotFound", "NotExecutable", "SpawnFailed", "NoService", "ConnectionLost"])

/**
 * @since 0.4.0
 * @category reasons
 */
export type PodmanMissingReason = typeof PodmanMissingReason.Type

/**
 * Whose bound passed: the caller's (`CallerBound`: an option of the call) or the layer's
 * (`LayerBound`: podman did not answer within the layer's `timeout`).
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const mine = (reason: PodmanError.TimeoutReason) => reason._tag === "CallerBound"
 * ```
 *
 * @since 0.4.0
 * @category reasons
 */
export const TimeoutReason = reasons(["CallerBound", "LayerBound"])

/**
 * @since 0.4.0
 * @category reasons
 */
export type TimeoutReason = typeof TimeoutReason.Type

/**
 * What podman's failure was, the same on every layer and edition: no such container, image or
 * resource (network, volume, pod), a name in use, a container not running, a resource in use, a
 * pull that failed, something podman cannot do on this host (`Unsupported`: rootless under cgroup
 * v1, `pause`, `unpause`, `stats`), an answer this library cannot read (`Unreadable`: `stderr` says
 * what and where, never a value podman printed), a file on this host that could not be read or
 * written (`HostFile`: `copyOut`'s destination, an unsafe archive entry, a log file; `argv` empty),
 * or `Other`.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const absent = (reason: PodmanError.NonZeroExitReason) => reason._tag === "NoSuchContainer"
 * ```
 *
 * @since 0.4.0
 * @category reasons
 */
export const NonZeroExitReason = reasons(
  Failures.NON_ZERO_EXIT_REASONS
)

/**
 * @since 0.4.0
 * @category reasons
 */
export type NonZeroExitReason = typeof NonZeroExitReason.Type

/**
 * podman could not be reached: no binary (`NotFound`), not executable, or any other spawn failure;
 * on the REST layer, no service on the socket (`NoService`) or a connection lost (`ConnectionLost`).
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const missing = new PodmanError.PodmanMissing({ binary: "podman", argv: ["podman", "ps"], reason: { _tag: "NotFound" } })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class PodmanMissing extends Schema.TaggedError<PodmanMissing>("effect-podman-4/PodmanMissing")("PodmanMissing", {
  binary: Schema.String,
  argv: Schema.Array(Schema.String),
  socket: Schema.optional(Schema.String),
  reason: PodmanMissingReason,
  detail: Schema.optional(Schema.String)
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.podmanMissing({ ...this, reason: this.reason._tag })
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
 * const hung = (error: PodmanError.Timeout) => error.reason._tag === "LayerBound"
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>("effect-podman-4/Timeout")("Timeout", {
  argv: Schema.Array(Schema.String),
  timeoutMillis: Schema.Number,
  reason: TimeoutReason,
  operation: Schema.optional(Schema.String)
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.timeout({ ...this, reason: this.reason._tag })
  }
}

/**
 * podman failed: `reason` says what happened (the same on every layer and edition), `operation`
 * which operation, `argv` (redacted; `[method, path]` on the REST layer) and `exitCode` (CLI) or
 * `status` (REST) how, `stderr` podman's words (redacted).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 *
 * // a container that is not there is not started: false; every other failure goes on
 * const started = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   return yield* runtime.container("web").start.pipe(
 *     Effect.as(true),
 *     Effect.catchReason("NonZeroExit", "NoSuchContainer", () => Effect.succeed(false))
 *   )
 * })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class NonZeroExit extends Schema.TaggedError<NonZeroExit>("effect-podman-4/NonZeroExit")("NonZeroExit", {
  reason: NonZeroExitReason,
  operation: Schema.String,
  argv: Schema.Array(Schema.String),
  /** CLI: podman's exit code. */
  exitCode: Schema.optional(Schema.Number),
  /** REST API: the HTTP status of the answer. */
  status: Schema.optional(Schema.Number),
  signal: Schema.optional(Schema.String),
  stderr: Schema.String,
  /**
   * What went wrong underneath, where there is more than podman's words: this host's own error on a
   * `HostFile`, and on an `Unreadable` what could not be read (`UnreadableOutput`: where, and what
   * was expected, without the values podman printed).
   */
  cause: Schema.optional(Schema.Defect())
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /**
   * On a `PullFailed`: why — `NotFound` (no such repository or tag), `Unauthorized`, `Unreachable`
   * (nothing answers, no such host, HTTP where HTTPS was asked), or `Other`; `undefined` otherwise.
   *
   * @since 0.4.0
   */
  get pullFailure(): Failures.PullFailure | undefined {
    return this.reason._tag === "PullFailed" ? Failures.pullFailureOf(this.stderr) : undefined
  }

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.nonZeroExit({ ...this, reason: this.reason._tag })
  }
}

/**
 * An argument refused before anything ran (a bad name, a value the kernel would refuse); `reason`
 * is the rule it broke, in words.
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
export class InvalidArgument
  extends Schema.TaggedError<InvalidArgument>("effect-podman-4/InvalidArgument")("InvalidArgument", {
    argument: Schema.String,
    value: Schema.String,
    reason: Schema.String
  })
{
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.invalidArgument(this)
  }
}

/**
 * Every error of a podman operation: a type, and the schema that decodes and encodes it.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { PodmanError } from "effect-podman-4"
 *
 * const decode = Schema.decodeUnknownSync(PodmanError.PodmanError)
 * const error = decode({ _tag: "NonZeroExit", reason: { _tag: "NoSuchContainer" }, operation: "container.start", argv: ["podman", "start", "web"], exitCode: 125, stderr: "Error: no such container" })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PodmanError = PodmanMissing | Timeout | NonZeroExit | InvalidArgument

/**
 * @since 0.4.0
 * @category schemas
 */
export const PodmanError: Schema.Union<
  readonly [typeof PodmanMissing, typeof Timeout, typeof NonZeroExit, typeof InvalidArgument]
> = Schema.Union([PodmanMissing, Timeout, NonZeroExit, InvalidArgument])

/**
 * What starting a container can fail with: podman's errors, and a GPU the host cannot serve.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const gpu = (error: PodmanError.StartError) => error._tag === "GpuConfigError"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type StartError = PodmanError | GpuConfigError

/**
 * What creating a container can fail with: `StartError`, and a spec refused before podman ran.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const refused = (error: PodmanError.CreateError) => error._tag === "SpecError"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type CreateError = PodmanError | GpuConfigError | SpecError

/**
 * What `run` can fail with: `CreateError`, and a container that did not become ready.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const notReady = (error: PodmanError.RunError) => error._tag === "WaitFailed"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type RunError = PodmanError | GpuConfigError | SpecError | WaitFailed

/**
 * Every error this library raises.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman-4"
 *
 * const describe = (error: PodmanError.AnyPodmanError) => `${error._tag}: ${error.message}`
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type AnyPodmanError = PodmanError | GpuConfigError | SpecError | WaitFailed | BuildFailed

/**
 * Whether a value is an error this library raised (any of `AnyPodmanError`).
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman-4"
 *
 * const ours = (cause: unknown) => PodmanError.isPodmanError(cause) ? cause._tag : "not podman's"
 * ```
 *
 * @since 0.4.0
 * @category guards
 */
export const isPodmanError = (u: unknown): u is AnyPodmanError => Predicate.hasProperty(u, TypeId)

export {
  /**
   * The `cause` of a `NonZeroExit` `Unreadable`: what podman printed that this library could not
   * read, and each problem's place and expectation (`issues`) — never a value podman printed.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ContainerRuntime, PodmanError } from "effect-podman-4"
   *
   * const where = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.containerStates("web")).pipe(
   *   Effect.catchTag("NonZeroExit", (error) =>
   *     Effect.succeed(error.cause instanceof PodmanError.UnreadableOutput ? error.cause.issues : []))
   * )
   * ```
   *
   * @since 0.5.0
   * @category errors
   */
  UnreadableOutput
} from "effect-podman-shared/Failures"
