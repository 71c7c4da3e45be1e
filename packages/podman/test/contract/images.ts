/**
 * The contract of images: build with progress (and a failing step as `BuildFailed`), push to a
 * registry and pull back with progress (digests equal), pull failures that say why, the pull
 * policy, tags, labels, forced removal and pruning. The live layers use a real registry on
 * loopback; the model one it declares.
 */
import { assert, describe } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import type { ImageProgress } from "../../src/Images.js"
import { BASE_IMAGE, Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason, hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

/** An image removed (forced) when the scope closes. */
const removedAfter = (ref: string) =>
  Effect.addFinalizer(() =>
    Effect.ignore(Effect.flatMap(ContainerRuntime, (runtime) => runtime.removeImage(ref, { force: true })))
  )

const tags = (progress: ReadonlyArray<ImageProgress>) => progress.map((p) => p._tag)

export const imagesContract = (it: ContractIt) => {
  describe("images", () => {
    it.scoped("build: each step as progress, output lines, the image labelled and runnable", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const context = yield* hostDir
        yield* Effect.promise(() =>
          writeFile(
            join(context, "Containerfile"),
            [
              `FROM ${TEST_IMAGE}`,
              "LABEL stage=contract",
              "ARG GREETING=hi",
              "RUN echo building && echo \"$GREETING\" > /greeting",
              "COPY note.txt /note.txt",
              "CMD [\"cat\", \"/greeting\", \"/note.txt\"]",
              ""
            ].join("\n")
          )
        )
        yield* Effect.promise(() => writeFile(join(context, "note.txt"), "from the context\n"))
        const tag = `localhost/${uniqueName("built")}:1`
        yield* removedAfter(tag)
        const progress = Chunk.toArray(
          yield* Stream.runCollect(
            runtime.buildProgress(context, { tags: [tag], buildArgs: { GREETING: "hello" }, labels: { built: "yes" } })
          )
        )
        const steps = progress.flatMap((p) => (p._tag === "Step" ? [`${p.index}/${p.total} ${p.instruction}`] : []))
        assert.deepStrictEqual(steps, [
          `1/7 FROM ${TEST_IMAGE}`,
          "2/7 LABEL stage=contract",
          "3/7 ARG GREETING=hi",
          "4/7 RUN echo building && echo \"$GREETING\" > /greeting",
          "5/7 COPY note.txt /note.txt",
          "6/7 CMD [\"cat\", \"/greeting\", \"/note.txt\"]",
          "7/7 LABEL \"built\"=\"yes\"" // podman's own step for the options' labels
        ])
        assert.isTrue(progress.some((p) => p._tag === "Output" && p.line === "building"))
        assert.strictEqual(tags(progress).at(-1), "Done")
        const image = runtime.image(tag)
        const labels = yield* image.labels
        assert.strictEqual(labels["stage"], "contract")
        assert.strictEqual(labels["built"], "yes")
        const run = yield* runtime.run({ image: tag, namePrefix: "ep-built" })
        assert.strictEqual(yield* run.wait(), 0)
        assert.deepStrictEqual(Chunk.toArray(yield* Stream.runCollect(run.logs())), ["hello", "from the context"])
      }))

    it.scoped("a failing build step is BuildFailed with the step and the output before it", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const context = yield* hostDir
        yield* Effect.promise(() =>
          writeFile(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN echo before && exit 3\n`)
        )
        const error = yield* Effect.flip(runtime.build(context, { tags: [`localhost/${uniqueName("broken")}:1`] }))
        assert.strictEqual(error._tag, "BuildFailed")
        if (error._tag === "BuildFailed") {
          assert.strictEqual(error.step, "RUN echo before && exit 3")
          assert.deepStrictEqual(error.outputTail, ["before"])
          assert.match(error.detail, /exit status 3/)
        }
      }))

    it.scoped("push to a registry, remove it here, pull it back with progress: the same digest", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const { registry } = yield* Fixtures
        const ref = `${registry}/ep/${uniqueName("pushed")}:1`
        yield* removedAfter(ref)
        yield* runtime.tagImage(BASE_IMAGE, ref)
        const pushed = yield* runtime.push(ref, ref, { tlsVerify: false })
        assert.isTrue(Option.isSome(pushed) && /^sha256:[0-9a-f]{64}$/.test(pushed.value))
        assert.isTrue(yield* runtime.removeImage(ref))
        assert.isFalse(yield* runtime.image(ref).exists)
        const progress = Chunk.toArray(yield* Stream.runCollect(runtime.pullProgress(ref, { tlsVerify: false })))
        assert.match(progress[0]?._tag === "Status" ? progress[0].text : "", /^Trying to pull /)
        assert.isTrue(progress.some((p) => p._tag === "Blob" && p.kind === "layer"))
        assert.isTrue(progress.some((p) => p._tag === "Blob" && p.kind === "config"))
        const done = progress.at(-1)
        assert.strictEqual(done?._tag, "Done")
        assert.deepStrictEqual(yield* runtime.image(ref).id, Option.some(done?._tag === "Done" ? done.id : ""))
        assert.deepStrictEqual(yield* runtime.image(ref).digest, pushed)
      }))

    it.scoped("a pull that fails says why: not in the registry, or no registry there", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const { registry } = yield* Fixtures
        const missing = yield* Effect.flip(runtime.pull(`${registry}/ep/nothing-here:1`, { tlsVerify: false }))
        assert.strictEqual(yield* failureReason(Effect.fail(missing)), "NonZeroExit:PullFailed")
        assert.match(missing.message, /manifest unknown/)
        assert.strictEqual(missing._tag === "NonZeroExit" ? missing.pullFailure : "?", "NotFound")
        const unreachable = yield* Effect.flip(runtime.pull("127.0.0.1:9/ep/x:1", { tlsVerify: false }))
        assert.match(unreachable.message, /connection refused/)
        assert.strictEqual(unreachable._tag === "NonZeroExit" ? unreachable.pullFailure : "?", "Unreachable")
        // a registry over HTTP, asked for HTTPS
        const insecure = yield* Effect.flip(runtime.pull(`${registry}/ep/nothing-here:1`))
        assert.strictEqual(insecure._tag === "NonZeroExit" ? insecure.pullFailure : "?", "Unreachable")
      }))

    it.scoped("create pulls an image it lacks verifying TLS, as podman does: from an HTTP registry only once pulled with tlsVerify false", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const { registry } = yield* Fixtures
        const ref = `${registry}/ep/${uniqueName("created")}:1`
        yield* removedAfter(ref)
        yield* runtime.tagImage(BASE_IMAGE, ref)
        yield* runtime.push(ref, ref, { tlsVerify: false })
        assert.isTrue(yield* runtime.removeImage(ref))
        const refused = yield* Effect.flip(Effect.scoped(runtime.create({ image: ref, command: ["true"] })))
        assert.strictEqual(yield* failureReason(Effect.fail(refused)), "NonZeroExit:PullFailed")
        assert.strictEqual(refused._tag === "NonZeroExit" ? refused.pullFailure : "?", "Unreachable")
        yield* runtime.pull(ref, { tlsVerify: false })
        const created = yield* runtime.create({ image: ref, namePrefix: "ep-pulled", command: ["true"] })
        assert.deepStrictEqual(yield* created.state, Option.some("created"))
      }))

    it.scoped("pull policy never: an absent image is NoSuchImage, nothing is pulled", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const { registry } = yield* Fixtures
        assert.strictEqual(
          yield* failureReason(Effect.scoped(runtime.create({ image: `${registry}/ep/absent:1`, pull: "never" }))),
          "NonZeroExit:NoSuchImage"
        )
      }))

    it.scoped("tagImage, images by label, removeImage (forced past a container), pruneImages", () =>
      Effect.gen(function*() {
        // on an image of its own: a second name on a shared image would make another test's
        // `image rm` of it an untag
        const runtime = yield* ContainerRuntime
        const context = yield* hostDir
        const suite = uniqueName("suite")
        yield* Effect.promise(() =>
          writeFile(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nLABEL suite=${suite}\n`)
        )
        const own = `localhost/${uniqueName("own")}:1`
        const second = `localhost/${uniqueName("second")}:1`
        yield* removedAfter(own)
        yield* removedAfter(second)
        yield* runtime.build(context, { tags: [own] })
        const tagged = yield* runtime.tagImage(own, second)
        assert.deepStrictEqual(yield* tagged.id, yield* runtime.image(own).id)
        const labelled = (yield* runtime.images({ label: `suite=${suite}` })).map((image) => image.ref).sort()
        assert.deepStrictEqual(labelled, [own, second].sort())
        assert.deepStrictEqual(yield* runtime.images({ label: `suite=${suite}-other` }), [])
        // by id, while it has two names: podman wants it forced, and names them
        const byId = yield* Effect.flip(runtime.removeImage(Option.getOrThrow(yield* tagged.id)))
        assert.isTrue(
          byId._tag === "NonZeroExit" && byId.reason === "Other" &&
            byId.stderr.includes("by ID with more than one tag"),
          String(byId)
        )
        // a second name is only untagged
        assert.isTrue(yield* runtime.removeImage(second))
        assert.isTrue(yield* runtime.image(own).exists)
        // an image a container uses: refused, then removed with the container when forced
        const user = yield* runtime.create({ image: own, namePrefix: "ep-user" })
        assert.isFalse(yield* runtime.removeImage(own))
        assert.isTrue(yield* runtime.removeImage(own, { force: true }))
        assert.isFalse(yield* runtime.image(own).exists)
        assert.isTrue(Option.isNone(yield* user.state))
        // an untagged build is dangling: prune removes it
        yield* Effect.promise(() =>
          writeFile(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nLABEL dangling=${uniqueName("d")}\n`)
        )
        const dangling = yield* runtime.build(context)
        const id = Option.getOrThrow(yield* dangling.id)
        assert.include(yield* runtime.pruneImages, id)
        assert.isFalse(yield* runtime.image(id).exists)
      }))
  })
}
