/**
 * What the model's containers reach over the network: a name or alias on a network they share, or
 * `localhost` in their pod — answered by an `httpd` main process there, as busybox `wget` sees it —
 * and the volumes their mounts attach.
 *
 * @internal
 */
import { Effect } from "effect"
import { createServer } from "node:http"
import type { PublishedPort } from "../../ContainerSpec.js"
import type { ModelContainer, ModelImage, ModelResource } from "./model.js"
import type { HttpAnswer } from "./shell.js"

/** The networks podman makes itself (no name resolution on them). */
const BUILTIN_NETWORKS = new Set(["podman", "bridge", "host", "none", "private", "slirp4netns", "pasta"])

/** Whether the model knows a network name (a created one, or one podman has). @internal */
export const networkExists = (networks: ReadonlyMap<string, ModelResource>, name: string) =>
  networks.has(name) || BUILTIN_NETWORKS.has(name)

/** The port and document root of an `httpd` main process (`-p PORT`, `-h DIR`; busybox's defaults 80 and `.`). */
const httpdOf = (container: ModelContainer): { readonly port: number; readonly root: string } | undefined => {
  const [command = "", ...args] = container.command
  if (container.state !== "running" || !/(^|\/)httpd$/.test(command)) return undefined
  const value = (flag: string) => {
    const i = args.indexOf(flag)
    return i < 0 ? undefined : args[i + 1]
  }
  return { port: Number(value("-p") ?? "80"), root: value("-h") ?? container.workdir }
}

/**
 * `GET http://HOST:PORT/PATH` from `from`: `localhost` is `from` itself or, in a pod, any container
 * of the pod; another name is a container named or aliased so on a network `from` shares (created
 * networks resolve names; podman's default does not).
 *
 * @internal
 */
export const answerHttp = (
  containers: Iterable<ModelContainer>,
  from: ModelContainer,
  host: string,
  port: number,
  path: string
): HttpAnswer => {
  const all = [...containers]
  const local = host === "localhost" || host === "127.0.0.1"
  const targets = local
    ? all.filter((c) => c === from || (from.pod !== undefined && c.pod === from.pod))
    : all.filter((c) =>
      from.network !== undefined && !BUILTIN_NETWORKS.has(from.network) && c.network === from.network &&
      (c.name === host || c.aliases.includes(host))
    )
  if (!local && targets.length === 0) return { _tag: "BadAddress" }
  for (const target of targets) {
    const httpd = httpdOf(target)
    if (httpd === undefined || httpd.port !== port) continue
    const file = `${httpd.root.replace(/\/+$/, "")}${path === "/" ? "/index.html" : path}`
    const body = target.files.get(file)
    return body === undefined ? { _tag: "Answered", status: 404, body: "" } : { _tag: "Answered", status: 200, body }
  }
  return { _tag: "Refused" }
}

/** The volume of a mount: created if absent, filled from the image on its first use (as podman does). @internal */
export const attachVolume = (
  volumes: Map<string, ModelResource>,
  image: ModelImage,
  source: string,
  target: string
) => {
  let volume = volumes.get(source)
  if (volume === undefined) {
    volume = { name: source, labels: {}, internal: false, ports: [], files: new Map(), used: false }
    volumes.set(source, volume)
  }
  if (!volume.used && volume.files.size === 0) {
    const base = target.replace(/\/+$/, "")
    for (const [path, content] of image.files) if (path.startsWith(`${base}/`)) volume.files.set(path.slice(base.length), content)
  }
  volume.used = true
  return { target, files: volume.files }
}

/** An `httpd` main process serves the container's `/www` on its published host ports (its pod's), for real. @internal */
export const serve = (container: ModelContainer, ports: ReadonlyArray<PublishedPort>): Effect.Effect<void> =>
  Effect.forEach(ports, (port) =>
    Effect.async<void>((resume) => {
      const server = createServer((request, response) => {
        const path = `/www${request.url === "/" ? "/index.html" : request.url ?? "/"}`
        const body = container.files.get(path)
        response.writeHead(body === undefined ? 404 : 200, { "content-type": "text/html" })
        response.end(body ?? "404 Not Found")
      })
      server.once("error", () => resume(Effect.void)) // as podman's port forwarding would, it just fails to answer
      server.listen({ host: port.hostIp, port: port.host }, () => resume(Effect.void))
      container.servers.push(server)
    }), { discard: true })
