/**
 * The failure refinements every driver shares: a bound that becomes `Timeout`, a failed launch
 * that is really a GPU (CDI) misconfiguration, and a host path `copyIn` could not read.
 *
 * @internal
 */
import { Duration, Effect, Option } from "effect"
import { operationOf } from "effect-podman-shared/Failures"
import type { GpuConfigError, TimeoutReason } from "../../PodmanError.js"
import { NonZeroExit, Timeout } from "../../PodmanError.js"
import { redactEnvArgs } from "../../Redact.js"
import { classifyGpuError } from "./gpu.js"
import * as HostTree from "./hostTree.js"

/** The `Timeout` of a call (its argv redacted) whose bound passed. @internal */
export const timeout = (
  argv: ReadonlyArray<string>,
  bound: Duration.DurationInput,
  reason: TimeoutReason = "LayerBound"
): Timeout =>
  new Timeout({
    argv: redactEnvArgs(argv),
    timeoutMillis: Duration.toMillis(bound),
    reason,
    operation: operationOf(argv)
  })

/**
 * Fails with `Timeout` naming `argv` (redacted) when `bound` passes; without a bound, or with an
 * infinite one, waits as long as it takes.
 *
 * @internal
 */
export const within = (
  bound: Duration.DurationInput | undefined,
  argv: ReadonlyArray<string>,
  reason: TimeoutReason = "LayerBound"
) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Timeout, R> => {
  const duration = bound === undefined ? Duration.infinity : Duration.decode(bound)
  return Duration.isFinite(duration)
    ? Effect.timeoutFail(effect, {
      duration,
      onTimeout: () => timeout(argv, duration, reason)
    })
    : effect
}

/** A failed start or create: `GpuConfigError` when its stderr is a CDI failure, itself otherwise. @internal */
export const gpuOrNonZero = (error: NonZeroExit): Effect.Effect<never, NonZeroExit | GpuConfigError> =>
  Effect.fail(Option.getOrElse(classifyGpuError(error.stderr, error.argv), (): NonZeroExit | GpuConfigError => error))

/** A host path `copyIn` could not read (the host failed, not podman: no exit code). @internal */
export const hostPath = (argv: ReadonlyArray<string>, error: HostTree.HostPathError): NonZeroExit =>
  new NonZeroExit({ operation: "container.copyIn", argv: redactEnvArgs(argv), stderr: `Error: ${error.message}` })

/** The host tree at `src` for `copyIn`; absent or unreadable, a `NonZeroExit` saying so. @internal */
export const hostTree = (src: string, argv: ReadonlyArray<string>): Effect.Effect<HostTree.HostTree, NonZeroExit> =>
  HostTree.read(src).pipe(
    Effect.mapError((error) => hostPath(argv, error)),
    Effect.flatMap(Option.match({
      onSome: Effect.succeed,
      onNone: () =>
        Effect.fail(
          new NonZeroExit({
            operation: "container.copyIn",
            argv: redactEnvArgs(argv),
            stderr: `Error: "${src}" could not be found on the host: no such file or directory`
          })
        )
    }))
  )

/**
 * What podman's words say happened (`effect-podman-shared/Failures`: podman's CLI and its API use
 * the same messages, so every backend of every edition reads them there), and the operation a
 * command line performs.
 *
 * @internal
 */
export { cliOperation, podmanExecFailed, reasonOf, withoutAttachRace } from "effect-podman-shared/Failures"
