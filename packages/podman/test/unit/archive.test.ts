// Archive.extract does not trust the archive: no entry lands outside the destination, by name or
// through a link the archive itself made.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs"
import { join } from "node:path"
import * as tar from "tar-stream"
import * as Archive from "../../src/internal/core/archive.js"
import { tempDir } from "../helpers/tempDir.js"

type Entry = {
  readonly name: string
  readonly type?: "file" | "directory" | "symlink"
  readonly linkname?: string
  readonly body?: string
}

/** A tar archive of crafted entries. */
const craft = (entries: ReadonlyArray<Entry>) =>
  Effect.promise(async () => {
    const pack = tar.pack()
    for (const e of entries) {
      pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname ?? "" }, e.body ?? "")
    }
    pack.finalize()
    const chunks: Array<Buffer> = []
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      chunks.push(chunk)
    }
    return Stream.make(new Uint8Array(Buffer.concat(chunks)))
  })

describe("Archive.extract", () => {
  it.scoped("a directory's contents go into the destination, links as links", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("archive-")
      yield* Archive.extract(
        yield* craft([
          { name: "data", type: "directory" },
          { name: "data/a.txt", body: "A" },
          { name: "data/sub", type: "directory" },
          { name: "data/sub/b.txt", body: "B" },
          { name: "data/link", type: "symlink", linkname: "/etc/passwd" }
        ]),
        join(dir, "out")
      )
      assert.strictEqual(readFileSync(join(dir, "out", "a.txt"), "utf8"), "A")
      assert.strictEqual(readFileSync(join(dir, "out", "sub", "b.txt"), "utf8"), "B")
    }))

  it.scoped("an entry named outside, or written through a link the archive made, fails and writes nothing there", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("archive-")
      const outside = yield* tempDir("archive-outside-")
      const dotdot = yield* Effect.flip(Archive.extract(
        yield* craft([
          { name: "data", type: "directory" },
          { name: "data/../../escape.txt", body: "x" }
        ]),
        join(dir, "out")
      ))
      assert.strictEqual(dotdot._tag, "ExtractError")
      assert.isFalse(existsSync(join(dir, "escape.txt")))
      const through = yield* Effect.flip(Archive.extract(
        yield* craft([
          { name: "data", type: "directory" },
          { name: "data/link", type: "symlink", linkname: outside },
          { name: "data/link/planted.txt", body: "x" }
        ]),
        join(dir, "out2")
      ))
      assert.strictEqual(through._tag, "ExtractError")
      assert.isFalse(existsSync(join(outside, "planted.txt")))
      const absolute = yield* Effect.flip(
        Archive.extract(yield* craft([{ name: "/etc/evil", body: "x" }]), join(dir, "out3"))
      )
      assert.strictEqual(absolute._tag, "ExtractError")
    }))

  it.scoped("a first entry that is a link does not move the destination: nothing lands, nothing is made, outside", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("archive-")
      const outside = yield* tempDir("archive-outside-")
      // the destination itself made a link to outside, then entries under it
      const moved = yield* Effect.flip(Archive.extract(
        yield* craft([
          { name: "d", type: "symlink", linkname: outside },
          { name: "d/pwn.txt", body: "x" },
          { name: "pwn2.txt", body: "x" }
        ]),
        join(dir, "out")
      ))
      assert.strictEqual(moved._tag, "ExtractError")
      assert.deepStrictEqual(readdirSync(outside), [])
      // a link inside, then folders under it: refused before any folder is made outside
      const made = yield* Effect.flip(Archive.extract(
        yield* craft([
          { name: "d", type: "directory" },
          { name: "d/l", type: "symlink", linkname: outside },
          { name: "d/l/newdir/sub/x.txt", body: "x" }
        ]),
        join(dir, "out2")
      ))
      assert.strictEqual(made._tag, "ExtractError")
      assert.match(made.message, /through a link/)
      assert.deepStrictEqual(readdirSync(outside), [])
      // a folder entry through a link is refused too
      const folder = yield* Effect.flip(Archive.extract(
        yield* craft([
          { name: "d", type: "directory" },
          { name: "d/l", type: "symlink", linkname: outside },
          { name: "d/l/newdir", type: "directory" }
        ]),
        join(dir, "out3")
      ))
      assert.strictEqual(folder._tag, "ExtractError")
      assert.deepStrictEqual(readdirSync(outside), [])
      // a destination that is the user's own link to a folder is followed: it is where they asked
      const real = yield* tempDir("archive-real-")
      symlinkSync(real, join(dir, "via-link"))
      yield* Archive.extract(
        yield* craft([{ name: "data", type: "directory" }, { name: "data/a.txt", body: "A" }]),
        join(dir, "via-link")
      )
      assert.strictEqual(readFileSync(join(real, "a.txt"), "utf8"), "A")
    }))
})
