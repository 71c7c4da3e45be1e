/**
 * `TestRuntimeControl` over the model's state: fixtures and fault injection.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type { TestRuntimeControl } from "../TestRuntime.js"
import * as Model from "./model.js"
import * as State from "./modelState.js"

/** @internal */
export const make = (state: State.State): TestRuntimeControl => ({
  addImage: (fixture) =>
    Effect.sync(() => {
      const id = Model.randomId()
      state.images.unshift({
        id,
        names: fixture.name === undefined ? [] : [Model.normalizeImageName(fixture.name)],
        labels: fixture.labels ?? {},
        history: fixture.history ?? [],
        size: fixture.size ?? 0,
        created: new Date(),
        files: new Map(Object.entries(fixture.files ?? {})),
        command: fixture.command ?? ["/bin/sh"]
      })
      return id
    }),
  tagImage: (ref, name) =>
    State.onImage(state, ["tag", ref, name], ref, (image) => {
      image.names.push(Model.normalizeImageName(name))
    }),
  create: (fixture) => State.create(state, fixture),
  exit: (name, exitCode) =>
    State.onContainer(state, ["kill", name], name, (c) => State.stop(state, c, exitCode)),
  log: (name, line, stream = "stdout") =>
    State.onContainer(state, ["logs", name], name, (c) => Model.appendLog(c, stream, `${line}\n`)),
  failNext: (error) => Effect.sync(() => void (state.fault = Option.some(error))),
  setCdiDevices: (devices) => Effect.sync(() => void (state.cdiDevices = devices)),
  setHostInfo: (info) =>
    Effect.sync(() =>
      void (state.hostInfo = {
        cdiSpecDirs: Option.fromNullable(info.cdiSpecDirs),
        rootlessNetworkCmd: Option.fromNullable(info.rootlessNetworkCmd)
      })
    ),
  scriptExec: (script) => Effect.sync(() => void (state.execScript = script)),
  scriptStdio: (script) => Effect.sync(() => void (state.stdioScript = script))
})
