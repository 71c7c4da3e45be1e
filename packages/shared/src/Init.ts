/**
 * Where podman's init binary (catatonit, what `podman run --init` runs as PID 1) is, found without
 * blocking the event loop.
 *
 * @since 0.4.0
 */
import { constants } from "node:fs"
import { access } from "node:fs/promises"

/**
 * Where podman looks for its init binary: `init_path`'s default, then each of podman's default
 * `helper_binaries_dir` folders.
 *
 * @example
 * ```ts
 * import { Init } from "effect-podman-shared"
 *
 * const first = Init.INIT_SEARCH_PATHS[0] // "/usr/libexec/podman/catatonit"
 * ```
 *
 * @since 0.4.0
 * @category constants
 */
export const INIT_SEARCH_PATHS: ReadonlyArray<string> = [
  "/usr/libexec/podman/catatonit",
  "/usr/local/libexec/podman/catatonit",
  "/usr/local/lib/podman/catatonit",
  "/usr/lib/podman/catatonit"
]

/**
 * The first of `paths` that is an executable file for this process, or `undefined`.
 *
 * @example
 * ```ts
 * import { Init } from "effect-podman-shared"
 *
 * const found = await Init.findInit(Init.INIT_SEARCH_PATHS) // "/usr/libexec/podman/catatonit" or undefined
 * ```
 *
 * @since 0.4.0
 * @category init
 */
export const findInit = async (paths: ReadonlyArray<string>): Promise<string | undefined> => {
  for (const path of paths) {
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path
  }
  return undefined
}
