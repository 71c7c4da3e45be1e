/**
 * `TestRuntimeControl` over the model's state: fixtures and fault injection.
 *
 * @internal
 */
import { Deferred, Effect, Option, PubSub } from "effect"
import { NonZeroExit } from "../PodmanError.js"
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
        files: new Map(Object.entries(fixture.files ?? {}))
      })
      return id
    }),
  tagImage: (ref, name) =>
    State.onImage(state, ["tag", ref, name], ref, (image) => {
      image.names.push(Model.normalizeImageName(name))
    }),
  create: (fixture) => {
    const argv = ["podman", "create", "--name", fixture.name, fixture.image]
    return State.onImage(state, argv.slice(1), fixture.image, (image) => image).pipe(
      Effect.filterOrFail(
        () => !state.containers.has(fixture.name),
        () =>
          new NonZeroExit({
            argv,
            exitCode: 125,
            stderr: `Error: creating container storage: the container name "${fixture.name}" is already in use`
          })
      ),
      Effect.flatMap((image) =>
        Effect.gen(function*() {
          const container: Model.ModelContainer = {
            id: Model.randomId(),
            name: fixture.name,
            image,
            imageName: image.names[0] ?? image.id,
            command: fixture.command ?? ["/bin/sleep", "3600"],
            mounts: (fixture.mounts ?? []).map((m) => ({ type: "bind", ...m, rw: true })),
            devices: fixture.devices ?? [],
            files: new Map(image.files),
            state: "created",
            exitCode: 0,
            startedAt: Option.none(),
            rwSize: 0,
            exited: yield* Deferred.make<number>(),
            process: Option.none(),
            logs: [],
            logFeed: yield* PubSub.unbounded<Model.LogItem>(),
            partial: { stdout: "", stderr: "" }
          }
          state.containers.set(fixture.name, container)
          yield* State.emit(state, container, "create")
        })
      )
    )
  },
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
