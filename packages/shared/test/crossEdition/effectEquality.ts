/**
 * A vitest setup file for the Effect 3 projects: chai's `assert.deepStrictEqual` (what
 * `@effect/vitest` re-exports) compares Effect 3's `Option` and `Either` by iterating them, so
 * `Option.some(1)` and `Option.none()` compared equal — an assertion that could not fail. Both sides
 * are first turned into plain tagged objects (`{ _tag: "Some", value }`, `{ _tag: "None" }`, …),
 * anywhere inside arrays, maps, sets and plain objects, then compared by chai as before.
 * (Effect 4's `assert` compares them by value already.)
 */
import { Either, Option } from "effect"
import { assert } from "vitest"

const plain = (value: unknown, seen = new Map<unknown, unknown>()): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (seen.has(value)) return seen.get(value)
  if (Option.isOption(value)) {
    return Option.isSome(value)
      ? { _tag: "Some", value: plain(value.value, seen) }
      : { _tag: "None" }
  }
  if (Either.isEither(value)) {
    return Either.isRight(value)
      ? { _tag: "Right", right: plain(value.right, seen) }
      : { _tag: "Left", left: plain(value.left, seen) }
  }
  if (Array.isArray(value)) {
    const out: Array<unknown> = []
    seen.set(value, out)
    for (const item of value) out.push(plain(item, seen))
    return out
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k, seen), plain(v, seen)]))
  if (value instanceof Set) return new Set([...value].map((v) => plain(v, seen)))
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  seen.set(value, out)
  for (const [key, item] of Object.entries(value)) out[key] = plain(item, seen)
  return out
}

for (const name of ["deepStrictEqual", "deepEqual", "notDeepStrictEqual", "notDeepEqual"] as const) {
  const method =
    (assert as unknown as Record<string, ((actual: unknown, expected: unknown, message?: string) => void) | undefined>)[
      name
    ]
  if (method === undefined) continue
  const original = method.bind(assert)
  ;(assert as unknown as Record<string, unknown>)[name] = (actual: unknown, expected: unknown, message?: string) =>
    original(plain(actual), plain(expected), message)
}
