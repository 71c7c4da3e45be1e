/**
 * Equality of handles: two handles on one container (or one image reference) are `Equal`, whatever
 * else they carry (a managed container's ports), and hash alike.
 *
 * @internal
 */
import { Equal, Hash } from "effect"

const KEY = "~effect-podman-4/Handle"

/** The fields that make a handle `Equal` to every other handle on `kind` `key`. @internal */
export const equalBy = (kind: "container" | "image", key: string) => {
  const id = `${kind}:${key}`
  return {
    [KEY]: id,
    [Equal.symbol](that: Equal.Equal): boolean {
      return typeof that === "object" && that !== null && (that as { readonly [KEY]?: unknown })[KEY] === id
    },
    [Hash.symbol](): number {
      return Hash.string(id)
    }
  }
}
