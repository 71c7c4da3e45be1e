/**
 * Networks, volumes and pods through the podman CLI.
 *
 * @internal
 */
import { Effect, Either, Option } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import type { ResourceDriver } from "../core/driver.js"
import * as Json from "../core/podmanJson.js"
import { operand } from "./runner.js"
import type { Runner } from "./runner.js"

/** @internal */
export const make = (runner: Runner): ResourceDriver => ({
  create: (kind, name, settings) =>
    Effect.asVoid(runner.run(Argv.resourceCreateArgs(kind, operand(`${kind} name`, name), settings))),
  // one call per name: `--force` removes what uses it (without a grace period: these are ours to end)
  remove: (kind, names) =>
    Effect.forEach(names, (name) =>
      runner.run(Argv.resourceRemoveArgs(kind, operand(`${kind} name`, name))).pipe(
        Effect.either,
        Effect.map((result) => ({
          name,
          removed: Either.isRight(result),
          error: Either.match(result, { onLeft: (e) => Option.some(e.message), onRight: () => Option.none<string>() })
        }))
      ), { concurrency: 4 }),
  list: (kind, key) =>
    runner.run(Argv.resourceListArgs(kind, key)).pipe(
      Effect.flatMap(Json.decode(Json.ResourceListJson)),
      Effect.map(Json.toResourceSummaries)
    )
})
