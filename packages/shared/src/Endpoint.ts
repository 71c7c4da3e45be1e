/**
 * Where podman is and how long to wait for it, for both editions' layers: podman's global flags
 * for the options that name a podman (`--url`, `--connection`, `--root`, `--runroot`), the default
 * bounds, and the endpoint a REST layer talks to (a unix socket, or `tcp://host:port`).
 *
 * @since 0.4.0
 */

/**
 * The options that say which podman to run, and with which storage.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "effect-podman-shared"
 *
 * const remote: Endpoint.Target = { url: "ssh://core@host/run/podman/podman.sock" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Target {
  readonly url?: string | undefined
  readonly connection?: string | undefined
  readonly root?: string | undefined
  readonly runroot?: string | undefined
}

/**
 * podman's global flags for a target, in the order podman documents them.
 *
 * @example
 * ```ts
 * import { Endpoint } from "effect-podman-shared"
 *
 * Endpoint.globalArgs({ root: "/tmp/store", runroot: "/tmp/run" }) // ["--root", "/tmp/store", "--runroot", "/tmp/run"]
 * ```
 *
 * @since 0.4.0
 * @category argv
 */
export const globalArgs = (target: Target): Array<string> => [
  ...(target.url === undefined ? [] : ["--url", target.url]),
  ...(target.connection === undefined ? [] : ["--connection", target.connection]),
  ...(target.root === undefined ? [] : ["--root", target.root]),
  ...(target.runroot === undefined ? [] : ["--runroot", target.runroot])
]

/**
 * The layers' default bounds: a call about podman, a container's start, a stop beyond its grace
 * period, a forced removal, and the time a child gets between SIGTERM and SIGKILL.
 *
 * @example
 * ```ts
 * import { Endpoint } from "effect-podman-shared"
 *
 * Endpoint.DEFAULT_BOUNDS.timeout // "30 seconds"
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const DEFAULT_BOUNDS = {
  timeout: "30 seconds",
  startTimeout: "60 seconds",
  stopBuffer: "10 seconds",
  removeTimeout: "120 seconds",
  killGrace: "2 seconds"
} as const

/**
 * The service a REST layer talks to: the origin of its requests (`http://podman` over a socket),
 * the `--url` podman-remote takes for what the API cannot say, how to name it in messages, and
 * the socket's path when it is one.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "effect-podman-shared"
 *
 * const local: Endpoint.ServiceEndpoint = { origin: "http://podman", cliUrl: "unix:///run/podman/podman.sock", endpoint: "/run/podman/podman.sock", socketPath: "/run/podman/podman.sock" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ServiceEndpoint {
  readonly origin: string
  readonly cliUrl: string
  readonly endpoint: string
  readonly socketPath: string | undefined
}

/** The origin requests name a service on a unix socket by. */
const SOCKET_ORIGIN = "http://podman"

const onSocket = (socketPath: string): ServiceEndpoint => ({
  origin: SOCKET_ORIGIN,
  cliUrl: `unix://${socketPath}`,
  endpoint: socketPath,
  socketPath
})

/**
 * Where a REST layer's service is: a `socket` path, or a `url` — `unix:///path` or
 * `tcp://host:port` (`http://` too).
 *
 * @example
 * ```ts
 * import { Endpoint } from "effect-podman-shared"
 *
 * Endpoint.serviceEndpoint({ url: "tcp://10.0.0.5:8888" }).origin // "http://10.0.0.5:8888"
 * Endpoint.serviceEndpoint({ url: "unix:///run/podman/podman.sock" }).socketPath // "/run/podman/podman.sock"
 * ```
 *
 * @since 0.4.0
 * @category endpoints
 */
export const serviceEndpoint = (
  options: { readonly socket: string } | { readonly url: string; readonly socket?: undefined }
): ServiceEndpoint => {
  if (options.socket !== undefined) return onSocket(options.socket)
  if (options.url.startsWith("unix://")) return onSocket(options.url.slice("unix://".length))
  const url = new URL(options.url.replace(/^tcp:/, "http:"))
  return { origin: `http://${url.host}`, cliUrl: options.url, endpoint: options.url, socketPath: undefined }
}

/**
 * Where a service this library starts puts its socket's folder: the user's runtime folder
 * (`$XDG_RUNTIME_DIR`, private to the user, where rootless podman keeps its own socket) when set,
 * else the system's temporary folder.
 *
 * @example
 * ```ts
 * import { Endpoint } from "effect-podman-shared"
 *
 * Endpoint.serviceSocketParent({ XDG_RUNTIME_DIR: "/run/user/1000" }, "/tmp") // "/run/user/1000"
 * ```
 *
 * @since 0.4.0
 * @category endpoints
 */
export const serviceSocketParent = (env: Readonly<Record<string, string | undefined>>, temporary: string): string => {
  const runtime = env["XDG_RUNTIME_DIR"]
  return runtime !== undefined && runtime.startsWith("/") ? runtime : temporary
}
