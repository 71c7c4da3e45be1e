/**
 * Reaching the host from a container without a filtering gateway ("bypass" mode), for root and
 * rootless podman (pasta or slirp4netns). The argv is `effect-podman-shared`'s, as in the Effect 3
 * edition.
 *
 * @since 0.4.0
 */
import { Context, Effect, Option } from "effect"
import * as Shared from "effect-podman-shared/Network"
import { ContainerRuntime } from "./ContainerRuntime.js"

/**
 * The effective uid the helpers check for root. Defaults to `process.geteuid()`; provide another
 * value to compute the argv for another user (or to test both branches).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Network } from "effect-podman-4"
 *
 * const asRootless = Network.bypassNetworkArgs(8080).pipe(Effect.provideService(Network.EffectiveUid, 1000))
 * ```
 *
 * @since 0.4.0
 * @category references
 */
export const EffectiveUid: Context.Reference<number> = Context.Reference<number>(
  "effect-podman-4/Network/EffectiveUid",
  {
    defaultValue: () => process.geteuid?.() ?? 0
  }
)

/**
 * The rootless network modes podman uses.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * const mode: Network.RootlessNetworkMode = "pasta"
 * const args = Network.networkArgsFor({ root: false, mode })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type RootlessNetworkMode = Shared.RootlessNetworkMode

/**
 * The address pasta maps to the host's loopback.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * const hostUrl = `http://${Network.PASTA_HOST_LOOPBACK}:8080/`
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const PASTA_HOST_LOOPBACK: string = Shared.PASTA_HOST_LOOPBACK

/**
 * The address of the host's loopback under slirp4netns.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * const hostUrl = `http://${Network.SLIRP_GATEWAY}:8080/`
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const SLIRP_GATEWAY: string = Shared.SLIRP_GATEWAY

/**
 * The rootless network command podman uses: what `podman info` reports as
 * `.Host.RootlessNetworkCmd`, or `slirp4netns` when podman cannot say (podman 4 has no such
 * field; any failure to ask also falls back).
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * const mode = Network.detectRootlessNetworkMode // Effect<"pasta" | "slirp4netns", never, ContainerRuntime>
 * ```
 *
 * @since 0.4.0
 * @category networking
 */
export const detectRootlessNetworkMode: Effect.Effect<RootlessNetworkMode, never, ContainerRuntime> = Effect.flatMap(
  ContainerRuntime,
  (runtime) => runtime.host.rootlessNetworkCmd
).pipe(
  Effect.map((command) => Shared.modeOf(Option.getOrUndefined(command))),
  Effect.orElseSucceed(() => "slirp4netns" as const)
)

/**
 * The argv for a mode, as a pure function: root needs nothing (the host is reachable as is);
 * rootless maps the host's loopback into the container as `host.containers.internal`.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * Network.networkArgsFor({ root: false, mode: "pasta" })
 * // ["--network", "pasta:--map-host-loopback,169.254.1.2", "--add-host", "host.containers.internal:169.254.1.2"]
 * ```
 *
 * @since 0.4.0
 * @category networking
 */
export const networkArgsFor: (
  options: { readonly root: boolean; readonly mode: RootlessNetworkMode }
) => ReadonlyArray<string> = Shared.networkArgsFor

/**
 * `podman run` network arguments for running without the filtering gateway: the container reaches
 * the host as `host.containers.internal`, as it would through the gateway, but **all egress is
 * unfiltered** — a dangerous fallback. `gatePort` is the gateway's port on the host (a span
 * attribute); the loopback mapping exposes it (and every other host port) as is.
 *
 * @example
 * ```ts
 * import { Network } from "effect-podman-4"
 *
 * const args = Network.bypassNetworkArgs(8080) // [] as root; pasta or slirp4netns args rootless
 * ```
 *
 * @since 0.4.0
 * @category networking
 */
export const bypassNetworkArgs: (
  gatePort?: number | undefined
) => Effect.Effect<ReadonlyArray<string>, never, ContainerRuntime> = Effect.fn("effect-podman.bypassNetworkArgs")(
  function*(gatePort?: number | undefined) {
    yield* Effect.annotateCurrentSpan("gatePort", gatePort ?? "none")
    const root = (yield* EffectiveUid) === 0
    const mode = root ? "slirp4netns" as const : yield* detectRootlessNetworkMode
    return networkArgsFor({ root, mode })
  }
)
