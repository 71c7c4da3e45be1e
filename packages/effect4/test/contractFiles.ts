/**
 * The contract of files in and out on the Effect 4 edition's three layers: files from memory, a
 * container path as a tar stream, and copied out to the host.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tar from "tar-stream"
import { ContainerRuntime } from "../src/index.js"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"

/** The names and contents of a tar archive's entries. */
const entriesOf = (bytes: Uint8Array) =>
  Effect.promise(async () => {
    const extract = tar.extract()
    extract.end(Buffer.from(bytes))
    const entries: Array<string> = []
    for await (const entry of extract) {
      const chunks: Array<Buffer> = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      entries.push(`${entry.header.type} ${entry.header.name.replace(/\/$/, "")} ${Buffer.concat(chunks).toString("utf8")}`.trim())
    }
    return entries.sort()
  })

/** A host folder for the test, removed after it. */
const hostDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ep4-files-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/** The tag and reason of a failure (`NonZeroExit:Other`). */
const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => "reason" in error && error._tag === "NonZeroExit" ? `${error._tag}:${String(error.reason)}` : error._tag)

export const filesContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) =>
  describe("files in and out", () => {
    it.effect("copyFiles writes from memory (parents made, files replaced); archive and copyOut read back", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-files", command: ["sleep", "3600"] })
        yield* c.copyFiles({
          "/etc/app.conf": "port=8080\n",
          "/srv/new/deep/data.txt": new TextEncoder().encode("bytes\n"),
          "/data/greeting.txt": "replaced\n"
        })
        assert.strictEqual((yield* c.exec(["cat", "/etc/app.conf", "/srv/new/deep/data.txt", "/data/greeting.txt"])).stdout, "port=8080\nbytes\nreplaced\n")
        const archive = yield* Stream.runCollect(c.archive("/data")).pipe(Effect.map((chunks) => Buffer.concat([...chunks])))
        assert.deepStrictEqual(yield* entriesOf(archive), [
          "directory data",
          "file data/greeting.txt replaced",
          "file data/second.txt second layer"
        ])
        const dir = yield* hostDir
        yield* c.copyOut("/data", join(dir, "out"))
        assert.strictEqual(yield* Effect.promise(() => readFile(join(dir, "out", "second.txt"), "utf8")), "second layer\n")
        yield* c.copyOut("/etc/app.conf", join(dir, "app.conf"))
        assert.strictEqual(yield* Effect.promise(() => readFile(join(dir, "app.conf"), "utf8")), "port=8080\n")
        yield* c.copyOut("/srv/new/deep/data.txt", join(dir, "out")) // an existing directory: into it
        assert.strictEqual(yield* Effect.promise(() => readFile(join(dir, "out", "data.txt"), "utf8")), "bytes\n")
        assert.strictEqual(yield* failure(c.copyOut("/no/such", join(dir, "x"))), "NonZeroExit:Other")
        assert.strictEqual(yield* failure(c.copyFiles({ "relative.txt": "x" })), "InvalidArgument")
        assert.strictEqual(yield* failure(c.copyFiles({ "/a/../../etc/passwd": "x" })), "InvalidArgument")
        assert.strictEqual(yield* failure(c.copyOut("/data", "-rf")), "InvalidArgument")
      }))
  })
