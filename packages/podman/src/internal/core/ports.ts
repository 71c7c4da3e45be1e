/**
 * The host side of published ports, as containers and pods offer it: `hostPort`, `mappedPort`,
 * `url`.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type { PortMapping, PublishedPort } from "../../ContainerSpec.js"
import { reserve } from "../../PortReservation.js"

/** A free host port for each mapping without one: reserved, read, and released for podman to bind. @internal */
export const resolve = (mappings: ReadonlyArray<(typeof PortMapping)["Type"]>) =>
  Effect.forEach(mappings, (p) => {
    const hostIp = p.hostIp ?? "127.0.0.1"
    const host = p.host === undefined ? Effect.scoped(Effect.map(reserve(hostIp), (r) => r.port)) : Effect.succeed(p.host)
    return Effect.map(host, (port): PublishedPort => ({ container: p.container, host: port, hostIp, protocol: p.protocol ?? "tcp" }))
  })

/** @internal */
export const access = (owner: string, ports: ReadonlyArray<PublishedPort>) => {
  const published = (containerPort: number): PublishedPort => {
    const found = ports.find((p) => p.container === containerPort)
    if (found !== undefined) return found
    const list = ports.length === 0 ? "none" : ports.map((p) => `${p.container}/${p.protocol}`).join(", ")
    throw new Error(`port ${containerPort} of ${owner} is not published (published: ${list}): add it to the spec's ports`)
  }
  return {
    ports,
    hostPort: (containerPort: number): Option.Option<number> =>
      Option.map(Option.fromNullable(ports.find((p) => p.container === containerPort)), (p) => p.host),
    mappedPort: (containerPort: number): number => published(containerPort).host,
    url: (containerPort: number, path = "/", scheme = "http"): string => {
      const { host, hostIp } = published(containerPort)
      const ip = hostIp === "0.0.0.0" ? "127.0.0.1" : hostIp === "::" ? "::1" : hostIp
      return `${scheme}://${ip.includes(":") ? `[${ip}]` : ip}:${host}${path.startsWith("/") ? path : `/${path}`}`
    }
  }
}
