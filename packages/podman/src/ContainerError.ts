/**
 * The failures of starting a container, beyond podman's own: a CDI / GPU misconfiguration
 * (`GpuConfigError`), a spec refused before podman ran (`SpecError`), a container that did not
 * become ready (`WaitFailed`). All are re-exported by `PodmanError`, where the unions that name
 * them live.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as SharedGpu from "effect-podman-shared/Gpu"
import * as Messages from "effect-podman-shared/Messages"
import { TypeId } from "./internal/core/errorIds.js"

/**
 * The hint attached to every {@link GpuConfigError}.
 *
 * @example
 * ```ts
 * import { PodmanError } from "effect-podman"
 *
 * console.log(PodmanError.CDI_HINT)
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const CDI_HINT: string = SharedGpu.CDI_HINT

/**
 * A container launch failed because of a CDI / GPU misconfiguration (for example
 * `unresolvable CDI devices nvidia.com/gpu=all`). Only operations that start a container fail with it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("trainer").start).pipe(
 *   Effect.catchTag("GpuConfigError", (e) => Effect.logWarning(e.hint))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class GpuConfigError extends Schema.TaggedError<GpuConfigError>("effect-podman/GpuConfigError")(
  "GpuConfigError",
  {
    /** The redacted argv of the failed launch. */
    argv: Schema.Array(Schema.String),
    /** podman's stderr, redacted. */
    stderr: Schema.String,
    /** What to do about it. */
    hint: Schema.String
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
    return Messages.gpuConfig(this)
  }
}

/**
 * A `ContainerSpec` was rejected before podman ran: `message` is Schema's formatted account of
 * every problem (a port out of range, an empty image, an environment key holding `=`, …).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const program = Effect.scoped(
 *   Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.run({ image: "" }))
 * ).pipe(Effect.catchTag("SpecError", (e) => Effect.logError(e.message)))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class SpecError extends Schema.TaggedError<SpecError>("effect-podman/SpecError")("SpecError", {
  /** Schema's formatted issues. */
  issues: Schema.String,
  /** What was checked (`container spec`, `network options`, …). */
  subject: Schema.optionalWith(Schema.String, { default: () => "container spec" })
}) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.specError(this)
  }
}

/**
 * A started container did not become ready: its wait strategy failed, the container exited, or
 * the run's deadline passed. `logTail` holds the container's last log lines (up to 50), which
 * usually say why. The container has been removed.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, Wait } from "effect-podman"
 *
 * const program = Effect.scoped(
 *   Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) =>
 *     rt.run({ image: "localhost/app:latest" }, { wait: Wait.forLog(/listening/), deadline: "30 seconds" })
 *   )
 * ).pipe(Effect.catchTag("WaitFailed", (e) => Effect.logError(e.logTail.join("\n"))))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class WaitFailed extends Schema.TaggedError<WaitFailed>("effect-podman/WaitFailed")("WaitFailed", {
  /** The container that did not become ready. */
  container: Schema.String,
  /** What the wait was, and what went wrong. */
  reason: Schema.String,
  /** The container's last log lines. */
  logTail: Schema.Array(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.1.0
   */
  override get message(): string {
    return Messages.waitFailed(this)
  }
}

/**
 * A build step failed: `step` is its instruction, `outputTail` the last lines the build printed
 * (up to 50), `detail` podman's error.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 *
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.build("./app", { tags: ["localhost/app:dev"] })).pipe(
 *   Effect.catchTag("BuildFailed", (e) => Effect.logError(`${e.step}:\n${e.outputTail.join("\n")}`))
 * )
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export class BuildFailed extends Schema.TaggedError<BuildFailed>("effect-podman/BuildFailed")("BuildFailed", {
  /** The instruction of the step that failed (`RUN make`), or `(before the first step)`. */
  step: Schema.String,
  /** The build's last output lines. */
  outputTail: Schema.Array(Schema.String),
  /** podman's own words. */
  detail: Schema.String,
  /** The step's exit code, when the CLI reported one. */
  exitCode: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.3.0
   */
  readonly [TypeId]: TypeId = TypeId

  /**
   * @since 0.3.0
   */
  override get message(): string {
    return Messages.buildFailed(this)
  }
}
