/**
 * The typed failures of every podman operation.
 *
 * Every operation of {@link ContainerRuntime} fails with a member of {@link PodmanError}; the
 * operations that start a container may also fail with {@link GpuConfigError}. Argument vectors
 * carried by these errors are always redacted (see `Redact.redactEnvArgs`).
 *
 * @since 0.1.0
 */
import { Predicate, Schema } from "effect"
import * as Failures from "effect-podman-shared/Failures"
import * as Messages from "effect-podman-shared/Messages"
import type { BuildFailed, GpuConfigError, SpecError, WaitFailed } from "./ContainerError.js"
import { pullFailureOf, TypeId } from "./internal/core/errorIds.js"

export {
  /** @since 0.3.0 */
  BuildFailed,
  /** @since 0.1.0 */
  CDI_HINT,
  /** @since 0.1.0 */
  GpuConfigError,
  /** @since 0.1.0 */
  SpecError,
  /** @since 0.1.0 */
  WaitFailed
} from "./ContainerError.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export { TypeId } from "./internal/core/errorIds.js"

/**
 * Why podman could not be reached, as {@link PodmanMissing} reports it:
 * - `NotFound`: the binary does not exist (`ENOENT`);
 * - `NotExecutable`: it exists but may not be executed (`EACCES`, `EPERM`);
 * - `SpawnFailed`: the system refused to start it for another reason (`detail` names the code);
 * - `NoService`: no podman service answers on the REST layer's socket or URL;
 * - `ConnectionLost`: the podman service went away in the middle of a request or a stream.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman"
 *
 * const retryable = (reason: PodmanError.PodmanMissingReason) => reason === "ConnectionLost"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type PodmanMissingReason = "NotFound" | "NotExecutable" | "SpawnFailed" | "NoService" | "ConnectionLost"

/**
 * podman could not be reached: its binary could not be started (see `reason`), or no podman
 * service answers (the REST layer), or the service went away mid-call.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, PodmanError } from "effect-podman"
 *
 * const state = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("web").state).pipe(
 *   Effect.catchTag("PodmanMissing", (e: PodmanError.PodmanMissing) =>
 *     Effect.logError(`${e.reason}: ${e.message}`)
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class PodmanMissing extends Schema.TaggedError<PodmanMissing>("effect-podman/PodmanMissing")(
  "PodmanMissing",
  {
    /** The binary that was looked up (the layer's `binary` option). */
    binary: Schema.String,
    /** The redacted argv that could not be started (for the REST layer: the request). */
    argv: Schema.Array(Schema.String),
    /** For the REST layer: the socket no podman service answered on. */
    socket: Schema.optional(Schema.String),
    /** What went wrong (default `NotFound`). */
    reason: Schema.optionalWith(
      Schema.Literal("NotFound", "NotExecutable", "SpawnFailed", "NoService", "ConnectionLost"),
      { default: () => "NotFound" as const }
    ),
    /** The system's error code (`EACCES`, `E2BIG`, `ECONNRESET`, …), when there is one. */
    detail: Schema.optional(Schema.String)
  }
) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.podmanMissing(this)
  }
}

/**
 * Whose bound a {@link Timeout} is: `CallerBound` — the bound you passed (`wait({ timeout })`,
 * `exec(…, { timeout })`, `execStdio`'s `timeout`) passed, which is an answer about your job;
 * `LayerBound` — the layer's own bound (its `timeout`, `startTimeout`, …) passed, which means
 * podman itself did not answer in time.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman"
 *
 * const podmanHung = (e: PodmanError.Timeout) => e.reason === "LayerBound"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type TimeoutReason = "CallerBound" | "LayerBound"

/**
 * A podman call did not finish within its bound; the child process was killed (SIGTERM, then
 * SIGKILL) before this error was raised. `reason` says whose bound it was.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const code = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) =>
 *   rt.container("job").wait({ timeout: "30 seconds" })
 * ).pipe(
 *   Effect.catchTag("Timeout", (e) =>
 *     e.reason === "CallerBound" ? Effect.succeed(-1) : Effect.fail(e) // our limit vs a hung podman
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>("effect-podman/Timeout")("Timeout", {
  /** The redacted argv of the call that timed out (for the REST layer: the request). */
  argv: Schema.Array(Schema.String),
  /** The bound that passed, in milliseconds. */
  timeoutMillis: Schema.Number,
  /** Whose bound it was (default `LayerBound`). */
  reason: Schema.optionalWith(Schema.Literal("CallerBound", "LayerBound"), { default: () => "LayerBound" as const }),
  /** The operation (`container.wait`, …), when known. */
  operation: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.timeout(this)
  }
}

/**
 * What a {@link NonZeroExit} says happened, the same on every layer:
 * - `NoSuchContainer`, `NoSuchImage`, `NoSuchResource`: the container, image, or network /
 *   volume / pod named does not exist;
 * - `NameInUse`: a container (network, volume, pod) of that name exists already;
 * - `NotRunning`: the operation needs a running container;
 * - `InUse`: the object is in use (an image by a container, a container by another);
 * - `PullFailed`: the image is not here and could not be pulled;
 * - `Unsupported`: podman cannot do it on this host, whatever the container (rootless podman under
 *   cgroup v1 cannot pause, unpause or give stats) — `stderr` holds podman's words;
 * - `Unreadable`: podman answered (exit code 0, a 2xx status) with output this library cannot read
 *   — `stderr` says what and where, never a value podman printed; no `exitCode` or `status`;
 * - `HostFile`: a file on this host could not be read or written — `copyOut`'s destination, an
 *   archive entry refused as unsafe, a container's log file; `argv` is empty (no podman command
 *   failed), `stderr` names the path;
 * - `Other`: anything else — `stderr` holds podman's words.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman"
 *
 * const retryable = (reason: PodmanError.NonZeroExitReason) => reason === "PullFailed"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type NonZeroExitReason = Failures.NonZeroExitReason

/**
 * podman failed: `reason` says what happened (a literal to switch on), `operation` which operation
 * (`container.start`, `image.remove`, …), `stderr` podman's own words (redacted). How it was
 * reached: through the CLI (`argv`, `exitCode`, and `signal` when a signal killed podman) or the
 * REST API (`argv` is `[method, path]`, `status` the HTTP status) — an HTTP status is never an exit
 * code.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("web").start).pipe(
 *   Effect.catchTag("NonZeroExit", (e) =>
 *     e.reason === "NoSuchContainer" ? Effect.logWarning("web is gone") : Effect.fail(e)
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class NonZeroExit extends Schema.TaggedError<NonZeroExit>("effect-podman/NonZeroExit")("NonZeroExit", {
  /** What happened (default `Other`). */
  reason: Schema.optionalWith(
    Schema.Literal(...Failures.NON_ZERO_EXIT_REASONS),
    { default: () => "Other" as const }
  ),
  /** The operation that failed (`container.start`, …; default `podman`). */
  operation: Schema.optionalWith(Schema.String, { default: () => "podman" }),
  /** How it was reached: the redacted argv (CLI), or `[method, path]` (REST API). */
  argv: Schema.Array(Schema.String),
  /** CLI: podman's exit code; 128 + the signal number when a signal killed it. */
  exitCode: Schema.optional(Schema.Number),
  /** REST API: the HTTP status of the answer. */
  status: Schema.optional(Schema.Number),
  /** podman's own words (the tail of its stderr, or the API's message), redacted. */
  stderr: Schema.String,
  /** CLI: the signal that killed podman, when one did. */
  signal: Schema.optional(Schema.String),
  /**
   * What went wrong underneath, where there is more than podman's words: this host's own error on a
   * `HostFile`, and on an `Unreadable` what could not be read (`UnreadableOutput`: where, and what
   * was expected, without the values podman printed).
   */
  cause: Schema.optional(Schema.Defect)
}) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * On a `PullFailed`: why — `NotFound` (no such repository or tag), `Unauthorized`, `Unreachable`
   * (nothing answers, no such host, HTTP where HTTPS was asked), or `Other`; `undefined` otherwise.
   *
   * @since 0.3.0
   */
  get pullFailure(): "NotFound" | "Unauthorized" | "Unreachable" | "Other" | undefined {
    return this.reason === "PullFailed" ? pullFailureOf(this.stderr) : undefined
  }

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.nonZeroExit(this)
  }
}

/**
 * An argument was refused before any process started: an empty argv, an operand that podman
 * would read as a flag (a leading `-`), an empty operand, or one that holds a NUL byte.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * // fails with InvalidArgument: "--all" would be read by podman as a flag
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("--all").state)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>("effect-podman/InvalidArgument")(
  "InvalidArgument",
  {
    /** What the argument is (e.g. `"container name"`). */
    argument: Schema.String,
    /** The offending value (JSON-escaped in the message). */
    value: Schema.String,
    /** Why it was refused. */
    reason: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.invalidArgument(this)
  }
}

/**
 * The failures of every podman operation.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, PodmanError } from "effect-podman"
 *
 * const describe = (error: PodmanError.PodmanError): string => {
 *   switch (error._tag) {
 *     case "PodmanMissing": return "install podman"
 *     case "Timeout": return `gave up after ${error.timeoutMillis} ms`
 *     case "NonZeroExit": return `podman said: ${error.stderr}`
 *     case "InvalidArgument": return `bad ${error.argument}`
 *   }
 * }
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.images()).pipe(
 *   Effect.catchAll((error) => Effect.logError(describe(error)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PodmanError = PodmanMissing | Timeout | NonZeroExit | InvalidArgument

/**
 * Schema of {@link PodmanError}, for serialising failures (e.g. across RPC).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PodmanError: Schema.Union<[
  typeof PodmanMissing,
  typeof Timeout,
  typeof NonZeroExit,
  typeof InvalidArgument
]> = Schema.Union(PodmanMissing, Timeout, NonZeroExit, InvalidArgument)

/**
 * What `Container.start` (and every operation that starts a container) fails with.
 *
 * @example
 * ```ts
 * import type { Effect } from "effect"
 * import type { PodmanError } from "effect-podman"
 *
 * type StartWeb = Effect.Effect<void, PodmanError.StartError>
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type StartError = PodmanError | GpuConfigError

/**
 * What `ContainerRuntime.create` fails with.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman"
 *
 * const describe = (e: PodmanError.CreateError) => (e._tag === "SpecError" ? e.issues : e.message)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type CreateError = PodmanError | GpuConfigError | SpecError

/**
 * What `ContainerRuntime.run` fails with.
 *
 * @example
 * ```ts
 * import type { Effect, Scope } from "effect"
 * import type { ContainerRuntime, PodmanError } from "effect-podman"
 *
 * type StartDatabase = Effect.Effect<ContainerRuntime.ManagedContainer, PodmanError.RunError, Scope.Scope>
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type RunError = PodmanError | GpuConfigError | SpecError | WaitFailed

/**
 * Every error of this library.
 *
 * @example
 * ```ts
 * import type { PodmanError } from "effect-podman"
 *
 * const tag = (e: PodmanError.AnyPodmanError) => e._tag
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type AnyPodmanError = PodmanError | GpuConfigError | SpecError | WaitFailed | BuildFailed

/**
 * Whether a value is one of this library's errors (any of {@link AnyPodmanError}).
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman"
 *
 * PodmanError.isPodmanError(new PodmanError.Timeout({ argv: ["podman", "wait", "x"], timeoutMillis: 5 })) // true
 * ```
 *
 * @since 0.1.0
 * @category refinements
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
   * import { ContainerRuntime, PodmanError } from "effect-podman"
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
