/**
 * Forced removal on any backend: never fails, one result per container given. One removal of all
 * the valid names; only when it fails, one per container (4 at a time) to name the culprits. A name
 * podman would misread is not sent and says why. Each failure is logged at debug (messages are
 * redacted).
 *
 * @internal
 */
import { Effect, Option } from "effect"
import * as Limits from "effect-podman-shared/Limits"
import { invalidArgument, shorten } from "effect-podman-shared/Messages"
import type { ContainerRemoveResult } from "../../Container.js"
import type { Driver } from "./driver.js"

const result = (name: string, error: Option.Option<string>): ContainerRemoveResult => ({
  name,
  removed: Option.isNone(error),
  error
})

/** @internal */
export const forceRemove: (
  driver: Driver,
  names: ReadonlyArray<string>
) => Effect.Effect<ReadonlyArray<ContainerRemoveResult>> = Effect.fn(
  "podman container.remove"
)(function*(driver: Driver, names: ReadonlyArray<string>) {
  yield* Effect.annotateCurrentSpan("podman.count", names.length)
  const refused = names.map((name) => {
    const problem = Limits.argumentProblem("container name", name, { operand: true })
    return problem === undefined ? undefined : invalidArgument({ ...problem, value: shorten(problem.value) })
  })
  const valid = [...new Set(names.filter((_, i) => refused[i] === undefined))]
  const removeAll = (batch: ReadonlyArray<string>) =>
    Effect.match(driver.remove(batch), {
      onFailure: (error) => Option.some(error.message),
      onSuccess: () => Option.none<string>()
    })
  const all = valid.length === 0 ? Option.none<string>() : yield* removeAll(valid)
  const byName = new Map<string, Option.Option<string>>(
    Option.isNone(all) || valid.length === 1
      ? valid.map((name) => [name, all])
      : yield* Effect.forEach(valid, (name) => Effect.map(removeAll([name]), (error) => [name, error] as const), {
        concurrency: 4
      })
  )
  const results = names.map((name, i) => {
    const problem = refused[i]
    return result(
      name,
      problem !== undefined ? Option.some(problem) : byName.get(name) ?? Option.some("no result from podman")
    )
  })
  for (const failed of results) {
    if (Option.isSome(failed.error)) {
      yield* Effect.logDebug(`forced removal of container ${failed.name} failed: ${failed.error.value}`).pipe(
        Effect.annotateLogs({ container: failed.name })
      )
    }
  }
  return results
})
