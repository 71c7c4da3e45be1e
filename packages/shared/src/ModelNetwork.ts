/**
 * What the models' containers (both editions) reach over the network: a name or alias on a
 * network they share, or `localhost` in their pod — answered by an `httpd` main process there, as
 * busybox `wget` sees it. No Effect.
 *
 * @since 0.4.0
 */
import type { HttpAnswer } from "./Shell.js"

/**
 * A container as the network sees it.
 *
 * @since 0.4.0
 */
export interface Reachable {
  readonly name: string
  readonly state: string
  readonly command: ReadonlyArray<string>
  readonly workdir: string
  readonly files: { readonly get: (path: string) => string | undefined }
  /** The network it joined, and its aliases there. */
  readonly network: string | undefined
  readonly aliases: ReadonlyArray<string>
  /** The pod it is in. */
  readonly pod: string | undefined
}

/** The networks podman makes itself (no name resolution on them). */
const BUILTIN_NETWORKS = new Set(["podman", "bridge", "host", "none", "private", "slirp4netns", "pasta"])

/**
 * Whether a network name is podman's own (`podman`, `host`, `none`, …): it always exists.
 *
 * @since 0.4.0
 */
export const isBuiltinNetwork = (name: string): boolean => BUILTIN_NETWORKS.has(name)

/**
 * The port and document root of a running `httpd` main process (`-p PORT`, `-h DIR`; busybox's
 * defaults 80 and its directory), or `undefined`.
 *
 * @since 0.4.0
 */
export const httpdOf = (container: Reachable): { readonly port: number; readonly root: string } | undefined => {
  const [command = "", ...args] = container.command
  if (container.state !== "running" || !/(^|\/)httpd$/.test(command)) return undefined
  const value = (flag: string) => {
    const i = args.indexOf(flag)
    return i < 0 ? undefined : args[i + 1]
  }
  return { port: Number(value("-p") ?? "80"), root: value("-h") ?? container.workdir }
}

/**
 * The page busybox `httpd` serves for a request path (`/` is `index.html`), or `undefined` (404).
 *
 * @since 0.4.0
 */
export const page = (container: Reachable, root: string, path: string): string | undefined =>
  container.files.get(`${root.replace(/\/+$/, "")}${path === "/" ? "/index.html" : path}`)

/**
 * `GET http://HOST:PORT/PATH` from `from`: `localhost` is `from` itself or, in a pod, any container
 * of the pod; another name is a container named or aliased so on a network `from` shares (created
 * networks resolve names; podman's default does not).
 *
 * @since 0.4.0
 */
export const answerHttp = (
  containers: Iterable<Reachable>,
  from: Reachable,
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
    const body = page(target, httpd.root, path)
    return body === undefined ? { _tag: "Answered", status: 404, body: "" } : { _tag: "Answered", status: 200, body }
  }
  // busybox names the address it tried: the loopback one here (the models hold no network addresses)
  return local ? { _tag: "Refused", address: "127.0.0.1" } : { _tag: "Refused" }
}
