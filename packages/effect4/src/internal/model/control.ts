/**
 * What a test tells the Effect 4 model beyond the images it holds: main processes, execs and
 * `execStdio` conversations it scripts (for programs the model does not run), faults (the next calls of an operation fail with
 * an error of the test's choosing), a main process ended with a code, a log line written.
 *
 * @internal
 */
import type { Effect, Option } from "effect"
import type { ExecResult } from "../../ContainerRuntime.js"
import type { PodmanError } from "../../PodmanError.js"

/** What a scripted main process is told. @internal */
export interface ProcessContext {
  readonly container: string
  readonly argv: ReadonlyArray<string>
  /** 1 on the container's first start, 2 on the next, … */
  readonly start: number
  /** Writes a line to the container's log (stdout by default). */
  readonly log: (line: string, stream?: "stdout" | "stderr") => Effect.Effect<void>
}

/** A fault waiting for the calls it targets. @internal */
export interface Fault {
  readonly error: PodmanError
  /** The operation it hits (`container.start`, …: `NonZeroExit.operation`'s names); any when absent. */
  readonly operation: string | undefined
  /** The container it hits; any when absent. */
  readonly target: string | undefined
  remaining: number
}

/** The scripts and faults a test gave. @internal */
export interface Scripts {
  readonly process: Array<(context: ProcessContext) => Option.Option<Effect.Effect<number>>>
  readonly exec: Array<(container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>>
  readonly stdio: Array<
    (container: string, argv: ReadonlyArray<string>) => Option.Option<(line: string) => ReadonlyArray<string>>
  >
  readonly faults: Array<Fault>
}

/** @internal */
export const empty = (): Scripts => ({ process: [], exec: [], stdio: [], faults: [] })

/** The fault that hits this call, if any (counted down). @internal */
export const takeFault = (scripts: Scripts, operation: string, target: string): PodmanError | undefined => {
  const fault = scripts.faults.find((f) =>
    f.remaining > 0 && (f.operation === undefined || f.operation === operation) &&
    (f.target === undefined || f.target === target)
  )
  if (fault === undefined) return undefined
  fault.remaining--
  return fault.error
}
