/**
 * What the model's containers reach over the network: a name or alias on a network they share, or
 * `localhost` in their pod — answered by an `httpd` main process there, as busybox `wget` sees it —
 * and the volumes their mounts attach.
 *
 * @internal
 */
import { Effect } from "effect"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import * as ModelNetwork from "effect-podman-shared/ModelNetwork"
import { createServer } from "node:http"
import type { PublishedPort } from "../../ContainerSpec.js"
import type { ModelContainer, ModelImage, ModelResource } from "./model.js"

/** Whether the model knows a network name (a created one, or one podman has). @internal */
export const networkExists = (networks: ReadonlyMap<string, ModelResource>, name: string) =>
  networks.has(name) || ModelNetwork.isBuiltinNetwork(name)

/** @internal */
export const answerHttp = ModelNetwork.answerHttp

/** The volume of a mount: created if absent, filled from the image on its first use (as podman does). @internal */
export const attachVolume = (
  volumes: Map<string, ModelResource>,
  image: ModelImage,
  source: string,
  target: string
) => ModelFiles.attachVolume(volumes, image.files, source, target, (name) => ModelFiles.makeResource(name))

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
