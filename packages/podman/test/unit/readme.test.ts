// The README's example is examples/taste.ts, which `tsc -b` type-checks: keep the two identical.
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

describe("README", () => {
  it("its example is examples/taste.ts, verbatim", () => {
    const readme = readFileSync(`${root}README.md`, "utf8")
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    const file = readFileSync(`${root}examples/taste.ts`, "utf8").split("\n").slice(1).join("\n")
    assert.strictEqual(block, file)
  })
})
