/**
 * `kill`, `pause`, `unpause` and `restart` in the model, with podman 4.3's answers: a signal ends
 * the main process with 128 + its number when something handles it — catatonit under `init`
 * forwards it, a test's scripted process ends on any — and PID 1 without init ignores all but
 * SIGKILL, as busybox does.
 *
 * @internal
 */
import { Effect } from "effect"
import type { NonZeroExit } from "../../PodmanError.js"
import type { ContainerControl } from "../core/driver.js"
import * as Model from "./model.js"
import type { ModelContainer } from "./model.js"
import * as State from "./state.js"

/** The signals the model knows, by number. */
const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, USR1: 10, USR2: 12, ALRM: 14, TERM: 15, CONT: 18, STOP: 19, WINCH: 28
}

/** A signal's number (`SIGTERM`, `TERM`, `15`), or none. @internal */
export const signalNumber = (signal: string): number | undefined => {
  if (/^\d+$/.test(signal)) return Number(signal) >= 1 && Number(signal) <= 64 ? Number(signal) : undefined
  return SIGNALS[signal.toUpperCase().replace(/^SIG/, "")]
}

const improper = (argv: ReadonlyArray<string>, text: string) => Model.failure(argv, "NotRunning", `Error: ${text}: container state improper`)

/** @internal */
export const control = (state: State.State, c: ModelContainer, control: ContainerControl): Effect.Effect<void, NonZeroExit> => {
  const argv = [control._tag.toLowerCase(), c.name]
  switch (control._tag) {
    case "Kill": {
      if (c.state !== "running" && c.state !== "paused") {
        return Effect.fail(improper(argv, `can only kill running containers. ${c.id} is in state ${c.state}`))
      }
      const number = signalNumber(control.signal)
      if (number === undefined) return Effect.fail(Model.failure(argv, "Other", `Error: invalid signal: ${control.signal}`))
      return Effect.zipRight(
        State.emit(state, c, "kill"),
        number === 9 || c.init || c.scripted ? State.stop(state, c, 128 + number) : Effect.void
      )
    }
    case "Pause":
      if (c.state === "paused") return Effect.fail(improper(argv, `"${c.id}" is already paused`))
      if (c.state !== "running") return Effect.fail(improper(argv, `"${c.id}" is not running, can't pause`))
      return Effect.zipRight(Effect.sync(() => void (c.state = "paused")), State.emit(state, c, "pause"))
    case "Unpause":
      if (c.state !== "paused") return Effect.fail(improper(argv, `"${c.id}" is not paused, can't unpause`))
      return Effect.zipRight(Effect.sync(() => void (c.state = "running")), State.emit(state, c, "unpause"))
    case "Restart":
      return Effect.zipRight(
        c.state === "running" || c.state === "paused" ? State.stop(state, c, c.init ? 143 : 137) : Effect.void,
        Effect.catchTag(State.start(state, c), "GpuConfigError", (e) => Effect.fail(Model.failure(argv, "Other", e.stderr)))
      )
  }
}
