/**
 * What a podman client reads of its own `containers.conf` before it sends a container to a service:
 * podman-remote applies the client's `default_ulimits` to a create that names none (a rootless
 * service does not apply its own), so the REST layers do the same, or the two layers would make
 * different containers. The files are found as podman finds them (`CONTAINERS_CONF` alone when set;
 * else `/usr/share/containers/containers.conf`, `/etc/containers/containers.conf` and its `.d`
 * folder, and rootless the user's `$XDG_CONFIG_HOME/containers/containers.conf` and its `.d`), read
 * asynchronously, parsed with `smol-toml`; a later file's `default_ulimits` replaces an earlier's.
 *
 * @since 0.4.0
 */
import { readdir, readFile } from "node:fs/promises"
import { homedir } from "node:os"
import { join } from "node:path"
import { parse } from "smol-toml"

/**
 * One resource limit: its soft and hard values.
 *
 * @since 0.4.0
 * @category models
 */
export interface Ulimit {
  readonly soft: number
  readonly hard: number
}

/**
 * The files podman reads, in order, for a client with this environment and user id (whether each
 * exists is for the reader to find out).
 *
 * @example
 * ```ts
 * import { ContainersConf } from "effect-podman-shared"
 *
 * ContainersConf.candidates({ CONTAINERS_CONF: "/srv/podman.conf" }, 0) // ["/srv/podman.conf"]
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const candidates = (env: Readonly<Record<string, string | undefined>>, uid: number): ReadonlyArray<string> => {
  const only = env["CONTAINERS_CONF"]
  if (only !== undefined && only !== "") return [only]
  const user = uid === 0
    ? []
    : [join(env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config"), "containers", "containers.conf")]
  return ["/usr/share/containers/containers.conf", "/etc/containers/containers.conf", ...user]
}

/**
 * One `default_ulimits` entry (`nofile=1024:2048`, `nproc=4096`: soft, then hard, the same when one
 * is given), or `undefined` when it is not one podman reads.
 *
 * @example
 * ```ts
 * import { ContainersConf } from "effect-podman-shared"
 *
 * ContainersConf.parseUlimit("nofile=1024:2048") // ["nofile", { soft: 1024, hard: 2048 }]
 * ```
 *
 * @since 0.4.0
 * @category parsers
 */
export const parseUlimit = (entry: string): readonly [string, Ulimit] | undefined => {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(entry.trim())
  if (match === null) return undefined
  const soft = Number(match[2])
  const hard = match[3] === undefined ? soft : Number(match[3])
  return [match[1]!, { soft, hard }]
}

/**
 * The `default_ulimits` of one file's text: `undefined` when it sets none; an `Error` naming the
 * file when it is not TOML, or its `default_ulimits` is not a list of `name=soft[:hard]` (podman
 * itself refuses to run then).
 *
 * @example
 * ```ts
 * import { ContainersConf } from "effect-podman-shared"
 *
 * ContainersConf.ulimitsOf("/etc/containers/containers.conf", '[containers]\ndefault_ulimits = ["nofile=1024:1024"]\n')
 * // { nofile: { soft: 1024, hard: 1024 } }
 * ```
 *
 * @since 0.4.0
 * @category parsers
 */
export const ulimitsOf = (path: string, text: string): Readonly<Record<string, Ulimit>> | undefined | Error => {
  let config: Record<string, unknown>
  try {
    config = parse(text)
  } catch (error) {
    return new Error(
      `decoding configuration file ${JSON.stringify(path)}: ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }`
    )
  }
  const containers = config["containers"]
  const entries = typeof containers === "object" && containers !== null
    ? (containers as Record<string, unknown>)["default_ulimits"]
    : undefined
  if (entries === undefined) return undefined
  const parsed = Array.isArray(entries)
    ? entries.map((entry) => (typeof entry === "string" ? parseUlimit(entry) : undefined))
    : [undefined]
  if (parsed.some((entry) => entry === undefined)) {
    return new Error(`${JSON.stringify(path)}: default_ulimits must be a list of "name=soft[:hard]"`)
  }
  return Object.fromEntries(parsed as Array<readonly [string, Ulimit]>)
}

const readIfThere = (path: string): Promise<string | undefined> =>
  readFile(path, "utf8").then((text) => text, () => undefined)

const withDropIns = async (path: string): Promise<Array<string>> => {
  const dropIns = await readdir(`${path}.d`).then(
    (names) => names.filter((name) => name.endsWith(".conf")).sort(),
    () => []
  )
  return [path, ...dropIns.map((name) => join(`${path}.d`, name))]
}

/**
 * The `default_ulimits` a podman client with this environment and user id applies to a create that
 * names none: `undefined` when no file sets them; an `Error` when a file is unreadable as podman
 * reads it. Never rejects.
 *
 * @example
 * ```ts
 * import { ContainersConf } from "effect-podman-shared"
 *
 * const defaults = await ContainersConf.defaultUlimits(process.env, process.getuid?.() ?? 0)
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const defaultUlimits = async (
  env: Readonly<Record<string, string | undefined>>,
  uid: number
): Promise<Readonly<Record<string, Ulimit>> | undefined | Error> => {
  const [first, ...overrides] = candidates(env, uid)
  // CONTAINERS_CONF names one file; the default places after the first each have a drop-in folder
  const files = env["CONTAINERS_CONF"] ? [first!] : [first!, ...(await Promise.all(overrides.map(withDropIns))).flat()]
  let found: Readonly<Record<string, Ulimit>> | undefined
  for (const path of files) {
    const text = await readIfThere(path)
    if (text === undefined) continue
    const ulimits = ulimitsOf(path, text)
    if (ulimits instanceof Error) return ulimits
    if (ulimits !== undefined) found = ulimits
  }
  return found
}

/**
 * `defaultUlimits` for this process (its environment and user id), read once, on first use.
 *
 * @example
 * ```ts
 * import { ContainersConf } from "effect-podman-shared"
 *
 * const clientUlimits = ContainersConf.once()
 * const first = await clientUlimits() // read now; later calls answer the same
 * ```
 *
 * @since 0.4.0
 * @category files
 */
export const once = (): () => Promise<Readonly<Record<string, Ulimit>> | undefined | Error> => {
  let read: Promise<Readonly<Record<string, Ulimit>> | undefined | Error> | undefined
  return () => (read ??= defaultUlimits(process.env, process.getuid?.() ?? 0))
}
