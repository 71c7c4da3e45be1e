// The tar writer behind the REST layer's copyIn, read back by GNU tar.
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Tar from "../../src/internal/tar.js"

describe("tar", () => {
  it("directories, files (empty, odd-sized, binary) and long paths extract as written", () => {
    const dir = mkdtempSync(join(tmpdir(), "tar-"))
    try {
      const deep = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}`
      const binary = Uint8Array.from({ length: 1500 }, (_, i) => (i * 7) % 256)
      const archive = Tar.write([
        { path: "sub", content: undefined },
        { path: "sub/a.txt", content: new TextEncoder().encode("A\n") },
        { path: "empty", content: new Uint8Array(0) },
        { path: "blob.bin", content: binary },
        { path: deep, content: new TextEncoder().encode("deep\n") }
      ])
      assert.strictEqual(archive.length % 512, 0)
      writeFileSync(join(dir, "x.tar"), archive)
      execFileSync("tar", ["-xf", join(dir, "x.tar"), "-C", dir])
      assert.isTrue(statSync(join(dir, "sub")).isDirectory())
      assert.strictEqual(readFileSync(join(dir, "sub/a.txt"), "utf8"), "A\n")
      assert.strictEqual(statSync(join(dir, "empty")).size, 0)
      assert.deepStrictEqual(new Uint8Array(readFileSync(join(dir, "blob.bin"))), binary)
      assert.strictEqual(readFileSync(join(dir, deep), "utf8"), "deep\n")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
