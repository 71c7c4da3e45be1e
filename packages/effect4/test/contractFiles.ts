/**
 * The contract of files in and out on the Effect 4 edition's three layers: files from memory, a
 * container path as a tar stream, and copied out to the host.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tar from "tar-stream"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, PodmanError } from "../src/index.js"

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

/** A host folder for the test, removed after it. */
const hostDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ep4-files-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/** The tag and reason of a failure (`NonZeroExit:Other`). */
const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(
    Effect.flip(effect),
    (error) => error instanceof PodmanError.NonZeroExit ? `${error._tag}:${error.reason._tag}` : error._tag
  )

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
        assert.strictEqual(
          (yield* c.exec(["cat", "/etc/app.conf", "/srv/new/deep/data.txt", "/data/greeting.txt"])).stdout,
          "port=8080\nbytes\nreplaced\n"
        )
        const archive = yield* Stream.runCollect(c.archive("/data")).pipe(
          Effect.map((chunks) => Buffer.concat([...chunks]))
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
        assert.strictEqual(yield* failure(c.copyOut("/no/such", join(dir, "x"))), "NonZeroExit:Other")
        // a destination this host cannot write (under a file): the host's failure, not podman's
        const unwritable = yield* Effect.flip(c.copyOut("/data", join(dir, "app.conf", "under")))
        assert.isTrue(unwritable._tag === "NonZeroExit" && unwritable.reason._tag === "HostFile", String(unwritable))
        assert.deepStrictEqual(unwritable._tag === "NonZeroExit" ? unwritable.argv : undefined, [])
        assert.include(unwritable.message, join(dir, "app.conf"))
        // the host's own error is kept as the cause
        const cause = unwritable._tag === "NonZeroExit" ? unwritable.cause : undefined
        assert.match(String((cause as { readonly code?: unknown } | undefined)?.code), /^E[A-Z]+$/, String(cause))
        assert.strictEqual(yield* failure(c.copyFiles({ "relative.txt": "x" })), "InvalidArgument")
        assert.strictEqual(yield* failure(c.copyFiles({ "/a/../../etc/passwd": "x" })), "InvalidArgument")
        // a file onto a folder: podman's refusal, the folder kept; cat of a folder says so
        const onto = yield* Effect.flip(c.copyFiles({ "/srv/new": "x" }))
        assert.isTrue(
          onto._tag === "NonZeroExit" && onto.reason._tag === "Other" && /file exists/.test(onto.stderr),
          String(onto)
        )
        assert.deepStrictEqual(yield* c.exec(["cat", "/srv/new", "/etc/app.conf"]), {
          exitCode: 1,
          stdout: "port=8080\n",
          stderr: "cat: read error: Is a directory\n"
        })
        // nor under a file
        const under = yield* Effect.flip(c.copyFiles({ "/etc/app.conf/inner": "y" }))
        assert.isTrue(
          under._tag === "NonZeroExit" && under.reason._tag === "Other" && /not a dir/.test(under.stderr),
          String(under)
        )
        assert.strictEqual(yield* failure(c.copyOut("/data", "-rf")), "InvalidArgument")
      }))

    it.effect("copyIn copies a host folder contents-first and a host file by name, as podman cp does", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-copyin", command: ["sleep", "3600"] })
        const dir = yield* hostDir
        yield* Effect.promise(async () => {
          await mkdir(join(dir, "site", "css"), { recursive: true })
          await writeFile(join(dir, "site", "index.html"), "<h1>copied</h1>\n")
          await writeFile(join(dir, "site", "css", "main.css"), "body {}\n")
          await writeFile(join(dir, "app.conf"), "port=1\n")
        })
        yield* c.copyIn(join(dir, "site"), "/www")
        assert.strictEqual(
          (yield* c.exec(["cat", "/www/index.html", "/www/css/main.css"])).stdout,
          "<h1>copied</h1>\nbody {}\n"
        )
        yield* c.copyIn(join(dir, "app.conf"), "/etc/app.conf")
        yield* c.copyIn(join(dir, "app.conf"), "/data/") // an existing folder: into it
        assert.strictEqual(
          (yield* c.exec(["cat", "/etc/app.conf", "/data/app.conf", "/data/greeting.txt"])).stdout,
          "port=1\nport=1\nhello from the image\n"
        )
        const missing = yield* Effect.flip(c.copyIn(join(dir, "nothing"), "/tmp"))
        assert.strictEqual(missing._tag, "NonZeroExit")
        if (missing._tag === "NonZeroExit") {
          assert.match(missing.stderr, /could not be found on the host: no such file or directory/)
        }
        assert.strictEqual(yield* failure(c.copyIn("-r", "/tmp")), "InvalidArgument")
      }))
  })
