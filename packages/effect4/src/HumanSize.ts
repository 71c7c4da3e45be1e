/**
 * Parsing of the human-readable sizes podman prints (`12.5MB (virtual 1.23GB)`).
 *
 * @since 0.4.0
 */
import { Option } from "effect"
import * as Shared from "effect-podman-shared/HumanSize"

/**
 * Parses a size as podman renders it — decimal units (`kB`, `MB`, `GB`, …, as podman uses) or
 * binary units (`KiB`, `MiB`, …) — into a whole number of bytes. A trailing parenthesised part
 * such as `(virtual 1.23GB)` is ignored: the first figure is the writable layer. Anything else is
 * `Option.none()`.
 *
 * @example
 * ```ts
 * import { HumanSize } from "effect-podman-4"
 *
 * HumanSize.parseHumanSize("12.5MB (virtual 1.23GB)") // Option.some(12500000)
 * HumanSize.parseHumanSize("2KiB") // Option.some(2048)
 * HumanSize.parseHumanSize("lots") // Option.none()
 * ```
 *
 * @since 0.4.0
 * @category parsing
 */
export const parseHumanSize = (text: string): Option.Option<number> => Option.fromNullishOr(Shared.parseHumanSize(text))
