/**
 * What goes wrong with a container rather than with podman: a spec refused before podman ran
 * (`SpecError`), a container that did not become ready (`WaitFailed`), a GPU launch the host
 * cannot serve (`GpuConfigError`), a build step that failed (`BuildFailed`). Messages as in the Effect 3
 * edition (`effect-podman-shared/Messages`).
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import * as SharedGpu from "effect-podman-shared/Gpu"
import * as Messages from "effect-podman-shared/Messages"
import { TypeId } from "./internal/core/errors.js"

/**
 * The hint attached to every `GpuConfigError`: how to make the host's GPUs known to podman.
 *
 * @example
 * ```ts
 * import { ContainerError } from "effect-podman-4"
 *
 * console.log(ContainerError.CDI_HINT)
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const CDI_HINT: string = SharedGpu.CDI_HINT

/**
 * A spec was refused before podman ran: `issues` is Schema's account of every problem.
 *
 * @example
 * ```ts
 * import { ContainerError } from "effect-podman-4"
 *
 * const refused = new ContainerError.SpecError({ subject: "container spec", issues: "image: must not be empty" })
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class SpecError extends Schema.TaggedError<SpecError>("effect-podman-4/SpecError")("SpecError", {
  subject: Schema.String,
  issues: Schema.String
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.specError(this)
  }
}

/**
 * A started container did not become ready: its wait failed, it exited, or the deadline passed.
 * `logTail` holds its last log lines. The container has been removed.
 *
 * @example
 * ```ts
 * import { ContainerError } from "effect-podman-4"
 *
 * const why = (error: ContainerError.WaitFailed) => `${error.reason}\n${error.logTail.join("\n")}`
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class WaitFailed extends Schema.TaggedError<WaitFailed>("effect-podman-4/WaitFailed")("WaitFailed", {
  container: Schema.String,
  reason: Schema.String,
  logTail: Schema.Array(Schema.String)
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.waitFailed(this)
  }
}

/**
 * A container that asked for GPUs could not start: the host cannot resolve its CDI devices (no
 * CDI spec declares them). `hint` says what to do; `stderr` is podman's account.
 *
 * @example
 * ```ts
 * import { ContainerError } from "effect-podman-4"
 *
 * const explain = (error: ContainerError.GpuConfigError) => `${error.stderr}\n${error.hint}`
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class GpuConfigError
  extends Schema.TaggedError<GpuConfigError>("effect-podman-4/GpuConfigError")("GpuConfigError", {
    argv: Schema.Array(Schema.String),
    stderr: Schema.String,
    hint: Schema.String
  })
{
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.gpuConfig(this)
  }
}

/**
 * A build step failed: the step's instruction (or `(before the first step)`), the build's last
 * output lines, podman's own words and the step's exit code when the CLI reported one.
 *
 * @example
 * ```ts
 * import { ContainerError } from "effect-podman-4"
 *
 * const where = (error: ContainerError.BuildFailed) => `${error.step}: ${error.outputTail.join("\n")}`
 * ```
 *
 * @since 0.4.0
 * @category errors
 */
export class BuildFailed extends Schema.TaggedError<BuildFailed>("effect-podman-4/BuildFailed")("BuildFailed", {
  step: Schema.String,
  outputTail: Schema.Array(Schema.String),
  detail: Schema.String,
  exitCode: Schema.optional(Schema.Number)
}) {
  /** @since 0.4.0 */
  readonly [TypeId]: TypeId = TypeId

  /** @since 0.4.0 */
  override get message(): string {
    return Messages.buildFailed(this)
  }
}
