/**
 * Schema pieces the spec and the resource options share.
 *
 * @internal
 */
import { Schema } from "effect"

/**
 * A record whose every key is checked: Effect 4's `Record` leaves out a key its key schema refuses
 * (an environment variable, a secret, lost without a word); here a bad key is an issue, named.
 *
 * @internal
 */
export const RecordOf = <V extends Schema.Top>(value: V, keyProblem: (key: string) => string | undefined) =>
  Schema.Record(Schema.String, value).check(Schema.makeFilter((record: { readonly [key: string]: unknown }) => {
    const problems = Object.keys(record).flatMap((key) => {
      const problem = keyProblem(key)
      return problem === undefined ? [] : [`${JSON.stringify(key)}: ${problem}`]
    })
    return problems.length === 0 || problems.join("; ")
  }))

/** Text the kernel can pass (no NUL). @internal */
export const Text = Schema.String.check(
  Schema.makeFilter((text: string) => !text.includes("\0") || "must not hold a NUL byte")
)

/** Labels: a key podman reads as one (non-empty, no `=` or NUL), a value without NUL. @internal */
export const Labels = RecordOf(
  Text,
  (key) =>
    key === "" || key.includes("=") || key.includes("\0")
      ? "a label key is non-empty and holds no '=' or NUL"
      : undefined
)
