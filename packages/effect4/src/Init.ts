/**
 * Finding the init binary (catatonit) that `podman run --init` uses.
 *
 * @since 0.4.0
 */
import { Effect, Option } from "effect"
import * as Shared from "effect-podman-shared/Init"

/**
 * Where podman looks for its init binary: `init_path`'s default, then each of podman's default
 * `helper_binaries_dir` folders.
 *
 * @example
 * ```ts
 * import { Init } from "effect-podman-4"
 *
 * const found = Init.findInitBinary(["/opt/podman/catatonit", ...Init.INIT_SEARCH_PATHS])
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const INIT_SEARCH_PATHS: ReadonlyArray<string> = Shared.INIT_SEARCH_PATHS

/**
 * The first executable init binary where podman will look for one, so callers pass `--init` only
 * where podman can honour it (a container started with `--init` and no init binary fails).
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Init } from "effect-podman-4"
 *
 * const initArgs = Effect.map(Init.findInitBinary(), (found) => (Option.isSome(found) ? ["--init"] : []))
 * ```
 *
 * @since 0.4.0
 * @category init
 */
export const findInitBinary = (
  paths: ReadonlyArray<string> = INIT_SEARCH_PATHS
): Effect.Effect<Option.Option<string>> =>
  Effect.map(Effect.promise(() => Shared.findInit(paths)), Option.fromNullishOr)
