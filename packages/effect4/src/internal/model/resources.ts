/**
 * Networks, volumes and pods in the Effect 4 edition's model: created with podman's name checks,
 * listed by label, force-removed with the containers that use them.
 *
 * @internal
 */
import { Effect } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { Resources } from "../core/driver.js"
import type { State } from "./core.js"
import { refused } from "./core.js"

/** @internal */
export const make = (state: State, removeContainer: (name: string) => Effect.Effect<void>): Resources => ({
  create: (kind, name, settings) =>
    Effect.suspend(() => {
      if (state.resources[kind].has(name)) {
        return Effect.fail(refused(Argv.resourceCreateArgs(kind, name, settings), Answers.resourceTaken(kind, name)))
      }
      state.resources[kind].set(name, ModelFiles.makeResource(name, settings))
      return Effect.void
    }),
  remove: (kind, names) =>
    Effect.forEach(names, (name) =>
      Effect.suspend(() => {
        const users = [...state.containers.values()].filter((c) => Answers.uses(kind, name, c))
        state.resources[kind].delete(name)
        return Effect.forEach(users, (c) => removeContainer(c.name), { discard: true })
      }), { discard: true }),
  list: (kind, key) =>
    Effect.sync(() =>
      [...state.resources[kind].values()].filter((r) => Answers.hasLabel(r.labels, key)).map(({ labels, name }) => ({
        name,
        labels
      }))
    )
})
