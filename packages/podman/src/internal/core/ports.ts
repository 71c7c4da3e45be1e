/**
 * The host side of published ports, as containers and pods offer it: `hostPort`, `mappedPort`,
 * `url`.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import type { PortMapping, PublishedPort } from "../../ContainerSpec.js"
import { reserve } from "../../PortReservation.js"

/** A free host port for each mapping without one: reserved, read, and released for podman to bind. @internal */
export const resolve = (mappings: ReadonlyArray<(typeof PortMapping)["Type"]>) =>
  Effect.forEach(mappings, (p) => {
    const hostIp = p.hostIp ?? "127.0.0.1"
    const host = p.host === undefined
      ? Effect.scoped(Effect.map(reserve(hostIp), (r) => r.port))
      : Effect.succeed(p.host)
    return Effect.map(
      host,
      (port): PublishedPort => ({ container: p.container, host: port, hostIp, protocol: p.protocol ?? "tcp" })
    )
  })

/** @internal */
export const access = (owner: string, ports: ReadonlyArray<PublishedPort>) => ({
  ports,
  hostPort: (containerPort: number): Option.Option<number> =>
    Option.map(Option.fromNullable(ports.find((p) => p.container === containerPort)), (p) => p.host),
  mappedPort: (containerPort: number): number => Ports.published(owner, ports, containerPort).host,
  url: (containerPort: number, path = "/", scheme = "http"): string =>
    Ports.url(Ports.published(owner, ports, containerPort), path, scheme)
})
