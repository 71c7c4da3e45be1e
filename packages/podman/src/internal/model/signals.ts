/**
 * `kill`, `pause`, `unpause` and `restart` in the model, with podman 4.3's answers and signal rules
 * (`effect-podman-shared/PodmanAnswers`).
 *
 * @internal
 */
import { Effect } from "effect"
import { controlArgs } from "effect-podman-shared/Argv"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { NonZeroExit } from "../../PodmanError.js"
import type { ContainerControl } from "../core/driver.js"
import * as Model from "./model.js"
import type { ModelContainer } from "./model.js"
import * as State from "./state.js"

/** @internal */
export const signalNumber = Answers.signalNumber

/** @internal */
export const control = (
  state: State.State,
  c: ModelContainer,
  control: ContainerControl
): Effect.Effect<void, NonZeroExit> => {
  const argv = controlArgs(control, c.name)
  const refusal = Answers.controlRefusal(control, c, state.hostInfo.mode)
  if (refusal !== undefined) return Effect.fail(Model.refused(argv, refusal))
  switch (control._tag) {
    case "Kill": {
      const signal = Answers.signalNumber(control.signal)!
      if (Answers.signalStops(signal) && !c.scripted) {
        return Effect.dieMessage(
          `the model cannot send ${control.signal}: it holds no stopped processes (pause the container instead)`
        )
      }
      if (c.state === "paused" && signal !== 9 && !c.scripted) {
        return Effect.dieMessage(
          `the model cannot send ${control.signal} to a paused container: the signal waits for unpause, which it does not hold (SIGKILL ends it)`
        )
      }
      const code = Answers.signalExit(signal, c)
      return Effect.zipRight(
        State.emit(state, c, "kill"),
        code === undefined ? Effect.void : State.stop(state, c, code)
      ).pipe(Effect.asVoid)
    }
    case "Pause":
      return Effect.zipRight(Effect.sync(() => void (c.state = "paused")), State.emit(state, c, "pause")).pipe(
        Effect.asVoid
      )
    case "Unpause":
      return Effect.zipRight(Effect.sync(() => void (c.state = "running")), State.emit(state, c, "unpause")).pipe(
        Effect.asVoid
      )
    case "Restart":
      return Effect.zipRight(
        c.state === "running" || c.state === "paused"
          ? State.stop(state, c, Answers.stopExit(c, control.seconds))
          : Effect.void,
        Effect.catchTag(
          State.start(state, c),
          "GpuConfigError",
          (e) => Effect.fail(Model.failure(argv, "Other", e.stderr))
        )
      )
  }
}
