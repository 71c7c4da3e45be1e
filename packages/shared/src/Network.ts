/**
 * Reaching the host from a container without a filtering gateway ("bypass" mode), for root and
 * rootless podman (pasta or slirp4netns): the addresses and the argv.
 *
 * @since 0.4.0
 */

/**
 * The rootless network modes podman uses.
 *
 * @example
 * ```ts
 * import type { Network } from "effect-podman-shared"
 *
 * const mode: Network.RootlessNetworkMode = "pasta"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type RootlessNetworkMode = "pasta" | "slirp4netns"

/**
 * The address pasta maps to the host's loopback.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-shared"
 *
 * const hostUrl = `http://${Network.PASTA_HOST_LOOPBACK}:8080/`
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const PASTA_HOST_LOOPBACK = "169.254.1.2"

/**
 * The address of the host's loopback under slirp4netns.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-shared"
 *
 * const hostUrl = `http://${Network.SLIRP_GATEWAY}:8080/`
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const SLIRP_GATEWAY = "10.0.2.2"

/**
 * The mode of podman's rootless network command (`.Host.RootlessNetworkCmd` of `podman info`):
 * pasta when it says so, slirp4netns otherwise (podman 4 does not say).
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-shared"
 *
 * Network.modeOf("pasta") // "pasta"
 * Network.modeOf(undefined) // "slirp4netns"
 * ```
 *
 * @since 0.4.0
 * @category networking
 */
export const modeOf = (command: string | undefined): RootlessNetworkMode =>
  command === "pasta" ? "pasta" : "slirp4netns"

/**
 * The argv for a mode: root needs nothing (the host is reachable as is); rootless maps the host's
 * loopback into the container as `host.containers.internal`.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-shared"
 *
 * Network.networkArgsFor({ root: false, mode: "pasta" })
 * // ["--network", "pasta:--map-host-loopback,169.254.1.2", "--add-host", "host.containers.internal:169.254.1.2"]
 * ```
 *
 * @since 0.4.0
 * @category networking
 */
export const networkArgsFor = (
  options: { readonly root: boolean; readonly mode: RootlessNetworkMode }
): ReadonlyArray<string> =>
  options.root
    ? []
    : options.mode === "pasta"
    ? [
      "--network",
      `pasta:--map-host-loopback,${PASTA_HOST_LOOPBACK}`,
      "--add-host",
      `host.containers.internal:${PASTA_HOST_LOOPBACK}`
    ]
    : ["--network", "slirp4netns:allow_host_loopback=true", "--add-host", `host.containers.internal:${SLIRP_GATEWAY}`]
