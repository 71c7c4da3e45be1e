/**
 * Parsing of the human-readable sizes podman prints (`12.5MB (virtual 1.23GB)`).
 *
 * @since 0.4.0
 */

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5
}

const SIZE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*(?:\(.*\))?\s*$/i

/**
 * Parses a size as podman renders it — decimal units (`kB`, `MB`, `GB`, …, as podman uses) or
 * binary units (`KiB`, `MiB`, …) — into a whole number of bytes. A trailing parenthesised part
 * such as `(virtual 1.23GB)` is ignored: the first figure is the writable layer. Anything else is
 * `undefined`.
 *
 * @example
 * ```ts
 * import { HumanSize } from "effect-podman-shared"
 *
 * HumanSize.parseHumanSize("12.5MB (virtual 1.23GB)") // 12500000
 * HumanSize.parseHumanSize("2KiB") // 2048
 * HumanSize.parseHumanSize("lots") // undefined
 * ```
 *
 * @since 0.4.0
 * @category parsing
 */
export const parseHumanSize = (text: string): number | undefined => {
  const match = SIZE.exec(text)
  if (match === null) return undefined
  const factor = UNITS[(match[2] ?? "").toLowerCase()]
  if (factor === undefined) return undefined
  const bytes = Math.round(Number(match[1]) * factor)
  return Number.isFinite(bytes) ? bytes : undefined
}
