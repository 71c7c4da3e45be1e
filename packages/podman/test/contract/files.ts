/**
 * The contract of files in and out: files from memory, a container path as a tar stream, and
 * copied out to the host — the same on every layer.
 */
import { assert, describe } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import * as tar from "tar-stream"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason, failureTag, hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

/** The names and contents of a tar archive's entries. */
const entriesOf = (bytes: Uint8Array) =>
  Effect.promise(async () => {
    const extract = tar.extract()
    extract.end(Buffer.from(bytes))
    const entries: Array<string> = []
    for await (const entry of extract) {
      const chunks: Array<Buffer> = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      entries.push(
        `${entry.header.type} ${entry.header.name.replace(/\/$/, "")} ${Buffer.concat(chunks).toString("utf8")}`.trim()
      )
    }
    return entries.sort()
  })

export const filesContract = (it: ContractIt) => {
  describe("files in and out", () => {
    it.scoped("copyFiles writes from memory (parents made, files replaced); archive and copyOut read back", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("files")
        yield* (yield* Fixtures).running(name)
        const c = runtime.container(name)
        yield* c.copyFiles({
          "/etc/app.conf": "port=8080\n",
          "/srv/new/deep/data.txt": new TextEncoder().encode("bytes\n"),
          "/data/greeting.txt": "replaced\n"
        })
        assert.strictEqual(
          (yield* c.exec(["cat", "/etc/app.conf", "/srv/new/deep/data.txt", "/data/greeting.txt"])).stdout,
          "port=8080\nbytes\nreplaced\n"
        )
        const archive = yield* Stream.runCollect(c.archive("/data")).pipe(
          Effect.map((chunks) => Buffer.concat(Chunk.toArray(chunks)))
        )
        assert.deepStrictEqual(yield* entriesOf(archive), [
          "directory data",
          "file data/greeting.txt replaced",
          "file data/second.txt second layer"
        ])
        const dir = yield* hostDir
        yield* c.copyOut("/data", join(dir, "out"))
        assert.strictEqual(
          yield* Effect.promise(() => readFile(join(dir, "out", "second.txt"), "utf8")),
          "second layer\n"
        )
        yield* c.copyOut("/etc/app.conf", join(dir, "app.conf"))
        assert.strictEqual(yield* Effect.promise(() => readFile(join(dir, "app.conf"), "utf8")), "port=8080\n")
        yield* c.copyOut("/srv/new/deep/data.txt", join(dir, "out")) // an existing directory: into it
        assert.strictEqual(yield* Effect.promise(() => readFile(join(dir, "out", "data.txt"), "utf8")), "bytes\n")
        assert.strictEqual(yield* failureReason(c.copyOut("/no/such", join(dir, "x"))), "NonZeroExit:Other")
        // a destination this host cannot write (under a file): the host's failure, not podman's
        const unwritable = yield* Effect.flip(c.copyOut("/data", join(dir, "app.conf", "under")))
        assert.isTrue(unwritable._tag === "NonZeroExit" && unwritable.reason === "HostFile", String(unwritable))
        assert.deepStrictEqual(unwritable._tag === "NonZeroExit" ? unwritable.argv : undefined, [])
        assert.include(unwritable.message, join(dir, "app.conf"))
        // the host's own error is kept as the cause
        const cause = unwritable._tag === "NonZeroExit" ? unwritable.cause : undefined
        assert.match(String((cause as { readonly code?: unknown } | undefined)?.code), /^E[A-Z]+$/, String(cause))
        assert.strictEqual(yield* failureTag(c.copyFiles({ "relative.txt": "x" })), "InvalidArgument")
        assert.strictEqual(yield* failureTag(c.copyFiles({ "/a/../../etc/passwd": "x" })), "InvalidArgument")
        // a file onto a folder: podman's refusal, the folder kept
        const onto = yield* Effect.flip(c.copyFiles({ "/data": "x" }))
        assert.isTrue(
          onto._tag === "NonZeroExit" && onto.reason === "Other" && /file exists/.test(onto.stderr),
          String(onto)
        )
      }))

    it.scoped("containers by label or name prefix: state, image, published ports, labels", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const suite = uniqueName("suite")
        const web = yield* runtime.create({
          image: TEST_IMAGE,
          name: `${suite}-web`,
          labels: { suite, tier: "web" },
          ports: [{ container: 80 }]
        })
        yield* web.start
        yield* runtime.create({ image: TEST_IMAGE, name: `${suite}-db`, labels: { suite, tier: "db" } })
        const all = (yield* runtime.containers({ label: `suite=${suite}` })).map((c) => `${c.name} ${c.state}`).sort()
        assert.deepStrictEqual(all, [`${suite}-db created`, `${suite}-web running`])
        const [listed] = yield* runtime.containers({ label: `tier=web` }).pipe(
          Effect.map((found) => found.filter((c) => c.labels["suite"] === suite))
        )
        assert.strictEqual(listed?.image, TEST_IMAGE)
        assert.deepStrictEqual(listed?.ports, web.ports)
        assert.isTrue(yield* listed!.container.running)
        assert.deepStrictEqual((yield* runtime.containers({ namePrefix: suite })).map((c) => c.name).sort(), [
          `${suite}-db`,
          `${suite}-web`
        ])
      }))
  })
}
