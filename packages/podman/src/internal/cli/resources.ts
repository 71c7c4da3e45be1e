/**
 * Networks, volumes and pods through the podman CLI.
 *
 * @internal
 */
import { Effect, Either, Option } from "effect"
import { isIPv6 } from "node:net"
import type { ResourceKind } from "../../Resource.js"
import type { ResourceDriver } from "../core/driver.js"
import * as Json from "../core/podmanJson.js"
import { operand } from "./runner.js"
import type { Runner } from "./runner.js"

const labelArgs = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`])

/** The verb group of a kind: `podman network …`, `podman volume …`, `podman pod …`. */
const LIST: Record<ResourceKind, ReadonlyArray<string>> = {
  network: ["network", "ls"],
  volume: ["volume", "ls"],
  pod: ["pod", "ps"]
}

/** @internal */
export const make = (runner: Runner): ResourceDriver => ({
  create: (kind, name, { internal, labels, ports }) => {
    const operandName = operand(`${kind} name`, name)
    return Effect.asVoid(runner.run(
      kind === "network"
        ? ["network", "create", ...labelArgs(labels), ...(internal ? ["--internal"] : []), operandName]
        : kind === "volume"
        ? ["volume", "create", ...labelArgs(labels), operandName]
        : [
          "pod",
          "create",
          "--name",
          operandName,
          ...labelArgs(labels),
          ...ports.flatMap((p) => ["--publish", `${isIPv6(p.hostIp) ? `[${p.hostIp}]` : p.hostIp}:${p.host}:${p.container}/${p.protocol}`])
        ]
    ))
  },
  // one call per name: `--force` removes what uses it (without a grace period: these are ours to end)
  remove: (kind, names) =>
    Effect.forEach(names, (name) =>
      runner.run(kind === "volume"
        ? ["volume", "rm", "--force", "--time", "0", operand("volume name", name)]
        : [kind, "rm", "--force", "--time", "0", operand(`${kind} name`, name)]).pipe(
          Effect.either,
          Effect.map((result) => ({
            name,
            removed: Either.isRight(result),
            error: Either.match(result, { onLeft: (e) => Option.some(e.message), onRight: () => Option.none<string>() })
          }))
        ), { concurrency: 4 }),
  list: (kind, key) =>
    runner.run([...LIST[kind], "--filter", `label=${key}`, "--format", "json"]).pipe(
      Effect.flatMap(Json.decode(Json.ResourceListJson)),
      Effect.map(Json.toResourceSummaries)
    )
})
