/**
 * The host side of published ports: a free port to publish on, and how a published port is
 * reached (`mappedPort`, `url`).
 *
 * @since 0.4.0
 */
import { connect, createServer } from "node:net"
import * as Readiness from "./Readiness.js"
import type { PublishedPort } from "./Spec.js"

/**
 * A port free on `host` now: bound (port 0), read, and released for podman to bind.
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * const port: Promise<number> = Ports.freePort("127.0.0.1")
 * ```
 *
 * @since 0.4.0
 * @category ports
 */
export const freePort = (host = "127.0.0.1"): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/**
 * The published port of `containerPort`; throws, naming what is published, when it is not.
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * Ports.published("web-1", [{ container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" }], 80).host // 8080
 * ```
 *
 * @since 0.4.0
 * @category ports
 */
export const published = (owner: string, ports: ReadonlyArray<PublishedPort>, containerPort: number): PublishedPort => {
  const found = ports.find((p) => p.container === containerPort)
  if (found !== undefined) return found
  const list = ports.length === 0 ? "none" : ports.map((p) => `${p.container}/${p.protocol}`).join(", ")
  throw new Error(`port ${containerPort} of ${owner} is not published (published: ${list}): add it to the spec's ports`)
}

/**
 * A URL of a published port (a wildcard host IP reached on loopback).
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * Ports.url({ container: 80, host: 8080, hostIp: "0.0.0.0", protocol: "tcp" }, "/health") // "http://127.0.0.1:8080/health"
 * ```
 *
 * @since 0.4.0
 * @category ports
 */
export const url = (port: PublishedPort, path = "/", scheme = "http"): string => {
  const ip = port.hostIp === "0.0.0.0" ? "127.0.0.1" : port.hostIp === "::" ? "::1" : port.hostIp
  return `${scheme}://${ip.includes(":") ? `[${ip}]` : ip}:${port.host}${path.startsWith("/") ? path : `/${path}`}`
}

/**
 * Whether something accepts a TCP connection on `host:port` now.
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * const up = await Ports.accepts("127.0.0.1", 5432)
 * ```
 *
 * @since 0.4.0
 */
export const accepts = (host: string, port: number, signal?: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    signal?.addEventListener("abort", () => done(false), { once: true })
  })

/**
 * Whether `GET url` answers `status` now: one try, bounded by `Readiness.HTTP_PROBE_MILLIS`, its body
 * let go of (a keep-alive connection is not held open). A refused connection, a reset or a try that
 * outlives its bound is `false`.
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * const healthy = await Ports.answers("http://127.0.0.1:8080/health", 200)
 * ```
 *
 * @since 0.5.0
 */
export const answers = (url: string, status: number, signal?: AbortSignal): Promise<boolean> =>
  fetch(url, {
    signal: AbortSignal.any([
      ...(signal === undefined ? [] : [signal]),
      AbortSignal.timeout(Readiness.HTTP_PROBE_MILLIS)
    ])
  }).then(
    async (response) => {
      await response.body?.cancel().catch(() => undefined)
      return response.status === status
    },
    () => false
  )

/**
 * A free TCP port on `host`, held (listening, exclusive) until `close`: a port reservation. A host
 * this machine cannot bind rejects, saying why.
 *
 * @example
 * ```ts
 * import { Ports } from "effect-podman-shared"
 *
 * const held = await Ports.hold("127.0.0.1")
 * await held.close()
 * ```
 *
 * @since 0.4.0
 */
export const hold = (host: string): Promise<{ readonly port: number; readonly close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", (error) => reject(new Error(`cannot bind a TCP port there (${error.message})`)))
    const close = () => new Promise<void>((closed) => server.listening ? server.close(() => closed()) : closed())
    try {
      server.listen({ port: 0, host, exclusive: true }, () => {
        const address = server.address()
        resolve({ port: typeof address === "object" && address !== null ? address.port : 0, close })
      })
    } catch (error) {
      reject(new Error(`cannot bind a TCP port there (${error instanceof Error ? error.message : String(error)})`))
    }
  })
