/**
 * Networks, volumes and pods in the model: created with podman's name checks, listed by label,
 * force-removed with the containers that use them.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { ContainerRemoveResult } from "../../Container.js"
import type { ResourceDriver } from "../core/driver.js"
import * as Model from "./model.js"
import * as State from "./state.js"

/** @internal */
export const make = (state: State.State): ResourceDriver => ({
  create: (kind, name, settings) =>
    State.guarded(
      state,
      `${kind}.create`,
      [name],
      Effect.suspend(() => {
        if (state.resources[kind].has(name)) {
          return Effect.fail(
            Model.refused(Argv.resourceCreateArgs(kind, name, settings), Answers.resourceTaken(kind, name))
          )
        }
        state.resources[kind].set(name, ModelFiles.makeResource(name, settings))
        return Effect.void
      })
    ),
  remove: (kind, names) =>
    Effect.forEach(names, (name) =>
      Option.match(State.takeFault(state, `${kind}.remove`, [name]), {
        onSome: (error): Effect.Effect<ContainerRemoveResult> =>
          Effect.succeed({ name, removed: false, error: Option.some(error.message) }),
        onNone: (): Effect.Effect<ContainerRemoveResult> =>
          Effect.gen(function*() {
            for (const container of [...state.containers.values()]) {
              if (Answers.uses(kind, name, container)) yield* State.remove(state, container.name)
            }
            state.resources[kind].delete(name)
            return { name, removed: true, error: Option.none<string>() }
          })
      })),
  list: (kind, key) =>
    State.guarded(
      state,
      `${kind}.list`,
      [],
      Effect.sync(() =>
        [...state.resources[kind].values()]
          .filter((resource) => Model.hasLabel(resource.labels, key))
          .map(({ labels, name }) => ({ name, labels }))
      )
    )
})
