// The README's examples are files under examples/ (type-checked by `tsc -b`, and run when they
// are tests): a block whose first line is `// examples/NAME` must be that file, verbatim.
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

describe("README", () => {
  it("each example block is its file under examples/, verbatim", () => {
    const readme = readFileSync(`${root}README.md`, "utf8")
    const blocks = Array.from(readme.matchAll(/```ts\n([\s\S]*?)```/g), (m) => m[1]!)
    const linked = blocks.filter((block) => block.startsWith("// examples/"))
    assert.isAtLeast(linked.length, 1) // the test example (examples/scoped.test.ts)
    for (const block of linked) {
      const file = /^\/\/ (examples\/\S+)/.exec(block)![1]!
      assert.strictEqual(block, readFileSync(`${root}${file}`, "utf8"), file)
    }
  })
})
