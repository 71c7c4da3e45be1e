/**
 * The commands the test layer's model runs itself (`effect-podman-shared/Shell`), driven on Effect
 * time: a `sleep` follows the TestClock under `it.effect`, output goes where the model says, and
 * what the model cannot run is a defect naming it.
 *
 * @internal
 */
import { Duration, Effect } from "effect"
import type * as ModelImages from "effect-podman-shared/ModelImages"
import * as Shell from "effect-podman-shared/Shell"

/** The process a command runs in, and where its output goes. @internal */
export interface Io extends Shell.Io {
  readonly write: (stream: "stdout" | "stderr", text: string) => Effect.Effect<void>
}

/** @internal */
export type HttpAnswer = Shell.HttpAnswer

/** @internal */
export const isMissing = Shell.isMissing

/** @internal */
export const notFound = Shell.notFound

const SCRIPT_HINT = "script it with TestRuntimeControl.scriptProcess (a main process) or scriptExec (an exec)"

/** A defect naming what the model cannot do. @internal */
export const cannot = (what: string): Effect.Effect<never> =>
  Effect.dieMessage(`the model cannot run ${what}: ${SCRIPT_HINT}`)

/** Drives a command's instructions to its exit code. */
const drive = (program: () => Shell.Program, write: Io["write"]): Effect.Effect<number> =>
  Effect.suspend(() =>
    Shell.interpret<Effect.Effect<number>>(program(), {
      exit: Effect.succeed,
      write: (stream, text, next) => Effect.flatMap(write(stream, text), next),
      sleep: (millis, next) => Effect.flatMap(Effect.sleep(Duration.millis(millis)), next),
      forever: Effect.never,
      cannot
    })
  )

/**
 * Runs `argv` as a container's process and returns its exit code. The caller answers for a
 * missing program first (`isMissing`): podman reports it differently at start and in exec.
 *
 * @internal
 */
export const run = (argv: ReadonlyArray<string>, io: Io): Effect.Effect<number> =>
  drive(() => Shell.run(argv, io), io.write)

/**
 * Runs a build's steps (`effect-podman-shared/ModelImages`) on Effect time, to its outcome; what
 * the model cannot build is a defect naming it.
 *
 * @internal
 */
export const build = (
  program: () => Generator<Shell.Instruction, ModelImages.BuildOutcome, void>
): Effect.Effect<ModelImages.BuildOutcome> =>
  Effect.suspend(() =>
    Shell.interpret<Effect.Effect<ModelImages.BuildOutcome>, ModelImages.BuildOutcome>(program(), {
      exit: Effect.succeed,
      write: (_, __, next) => next(),
      sleep: (millis, next) => Effect.flatMap(Effect.sleep(Duration.millis(millis)), next),
      forever: Effect.never,
      cannot: (what) => Effect.dieMessage(`the model cannot ${what}`)
    })
  )
