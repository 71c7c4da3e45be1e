/**
 * What podman leaves on the host when a call ends, on real podman: podman 4.3 writes
 * `podman cp -`'s archive to its temporary folder and never removes it, and a `podman build`
 * killed during a `RUN` step leaves buildah's working container, the step's process (still
 * running) and its bundle folder. None of it may outlive the call — and a concurrent build's
 * working container is not touched.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Stream } from "effect"
import { writeFileSync } from "node:fs"
import { readdir, readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { podmanRunner } from "../helpers/live.js"
import { awaitNoProcess, awaitProcess, processesMatching } from "../helpers/processes.js"
import { tempDir } from "../helpers/tempDir.js"

const live = (layer: Layer.Layer<ContainerRuntime, unknown, never>) => Effect.provide(Layer.orDie(layer))
const cli = live(Podman.layer().pipe(Layer.provide(NodeContext.layer)))
const rest = live(PodmanApi.layerService().pipe(Layer.provide(NodeContext.layer)))

/** The temporary folder podman uses, and every file in it or one level below that holds `needle`. */
const filesHolding = (needle: string) =>
  Effect.promise(async () => {
    const base = process.env["TMPDIR"] || "/var/tmp"
    const found: Array<string> = []
    const look = async (folder: string, depth: number): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
        const path = join(folder, entry.name)
        if (entry.isDirectory() && depth > 0) await look(path, depth - 1)
        else if (entry.isFile() && ((await stat(path).catch(() => undefined))?.size ?? Infinity) < 1_000_000) {
          if ((await readFile(path).catch(() => Buffer.alloc(0))).includes(needle)) found.push(path)
        }
      }
    }
    await look(base, 2)
    return found
  })

/** buildah's working containers (`podman ps --external`) that exist now. */
const workingContainers = Effect.gen(function*() {
  const runner = yield* Effect.orDie(podmanRunner)
  const output = yield* Effect.orDie(runner.run(["ps", "--all", "--external", "--no-trunc", "--format", "{{.ID}} {{.State}}"]))
  return output.stdout.split("\n").filter((line) => line.endsWith(" storage")).map((line) => line.split(" ")[0]!)
}).pipe(Effect.provide(NodeContext.layer))

describe("copyFiles leaves no archive behind", () => {
  for (const [layerName, provide] of Object.entries({ cli, rest })) {
    it.scopedLive(`${layerName}: podman's temporary copy of the archive is gone after the call`, () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const secret = `copied-${crypto.randomUUID()}`
        const box = yield* runtime.run({ image: TEST_IMAGE, name: uniqueName("leftover-cp"), command: ["sleep", "600"] })
        yield* box.copyFiles({ "/srv/secret.txt": secret })
        const inside = yield* runtime.exec(box, ["cat", "/srv/secret.txt"])
        assert.strictEqual(inside.stdout, secret)
        assert.deepStrictEqual(yield* filesHolding(secret), [])
      }).pipe(provide), 60_000)
  }
})

describe("a build interrupted in a RUN step", () => {
  it.scopedLive("cli: leaves no working container, step process or bundle; a concurrent build finishes", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const step = `step-${crypto.randomUUID()}`
      const killed = yield* tempDir("ep-build-killed-")
      writeFileSync(join(killed, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN sleep 600; echo ${step}\n`)
      const other = yield* tempDir("ep-build-other-")
      const otherTag = `localhost/${uniqueName("leftover-other")}:1`
      writeFileSync(join(other, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN sleep 4; echo done > /built\n`)
      const before = new Set(yield* workingContainers)

      const fiber = yield* Effect.fork(Stream.runDrain(runtime.buildProgress(killed, { tags: [`localhost/${uniqueName("leftover")}:1`] })))
      const concurrent = yield* Effect.fork(runtime.build(other, { tags: [otherTag] }))
      yield* Effect.addFinalizer(() => Effect.ignore(runtime.image(otherTag).remove))
      yield* awaitProcess(() => processesMatching(step))
      yield* Fiber.interrupt(fiber)

      assert.deepStrictEqual(yield* awaitNoProcess(() => processesMatching(step)), [])
      const built = yield* Fiber.join(concurrent)
      assert.isTrue(yield* built.exists)
      // what is left now is the concurrent build's, which removed its own when it finished
      assert.deepStrictEqual((yield* workingContainers).filter((id) => !before.has(id)), [])
      assert.deepStrictEqual(yield* filesHolding(step), [])
    }).pipe(cli), 120_000)
})
