/**
 * The contract of images, on the three layers: a build with its progress (a failing step as
 * `BuildFailed`), a push to a registry and a pull back with their progress, pulls that fail saying
 * why, what `create` pulls, and a build's dangling predecessor pruned. The real layers push to a
 * real registry on loopback; the model to one it declares.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Equal, Option, Stream } from "effect"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BASE_IMAGE, TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, PodmanError, Wait } from "../src/index.js"
import type { Images } from "../src/index.js"
import { Registry } from "./registry.js"

const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

/** A build context with these files, removed after the test. */
const context = (files: Readonly<Record<string, string>>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(join(tmpdir(), "ep4-build-"))
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
      return dir
    }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

/** An image removed (forced) when the test ends. */
const removedAfter = (ref: string) =>
  Effect.addFinalizer(() =>
    Effect.ignore(
      Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => runtime.removeImage(ref, { force: true }))
    )
  )

/** `PullFailed:Unreachable`: a failure's reason and why the pull failed. */
const pullFailure = (error: { readonly _tag: string }) =>
  error instanceof PodmanError.NonZeroExit ? `${error.reason._tag}:${String(error.pullFailure)}` : error._tag

const last = (progress: ReadonlyArray<Images.ImageProgress>) => progress.at(-1)

export const imagesContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime | Registry>) =>
  describe("images: builds, registries, pulls", () => {
    it.effect("build: each step as progress with its output, podman's own step for the options' labels; the image labelled and runnable", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const dir = yield* context({
          Containerfile: [
            `FROM ${TEST_IMAGE}`,
            "LABEL stage=contract",
            "ARG GREETING=hi",
            "RUN echo building && echo \"$GREETING\" > /greeting",
            "COPY note.txt /note.txt",
            "CMD [\"cat\", \"/greeting\", \"/note.txt\"]",
            ""
          ].join("\n"),
          "note.txt": "from the context\n"
        })
        const tag = `localhost/${unique("built")}:1`
        yield* removedAfter(tag)
        const progress = [
          ...yield* Stream.runCollect(
            runtime.buildProgress(dir, { tags: [tag], buildArgs: { GREETING: "hello" }, labels: { built: "yes" } })
          )
        ]
        assert.deepStrictEqual(
          progress.flatMap((p) => p._tag === "Step" ? [`${p.index}/${p.total} ${p.instruction}`] : []),
          [
            `1/7 FROM ${TEST_IMAGE}`,
            "2/7 LABEL stage=contract",
            "3/7 ARG GREETING=hi",
            "4/7 RUN echo building && echo \"$GREETING\" > /greeting",
            "5/7 COPY note.txt /note.txt",
            "6/7 CMD [\"cat\", \"/greeting\", \"/note.txt\"]",
            "7/7 LABEL \"built\"=\"yes\""
          ]
        )
        assert.deepStrictEqual(progress.filter((p) => p._tag === "Output"), [{ _tag: "Output", line: "building" }])
        const done = last(progress)
        assert.strictEqual(done?._tag, "Done")
        assert.deepStrictEqual(yield* runtime.image(tag).id, Option.some(done?._tag === "Done" ? done.id : ""))
        // each step as podman records it, newest first (a copied file's digest aside)
        const history = (yield* runtime.image(tag).history).map((step) => step.replace(/file:[0-9a-f]{64}/, "file:…"))
        assert.deepStrictEqual(history.slice(0, 7), [
          "/bin/sh -c #(nop) LABEL \"built\"=\"yes\"",
          "/bin/sh -c #(nop) CMD [\"cat\", \"/greeting\", \"/note.txt\"]",
          "/bin/sh -c #(nop) COPY file:… in /note.txt ",
          "|1 GREETING=hello /bin/sh -c echo building && echo \"$GREETING\" > /greeting",
          "/bin/sh -c #(nop) ARG GREETING",
          "/bin/sh -c #(nop) LABEL stage=contract",
          "/bin/sh -c #(nop) CMD [\"/bin/sleep\", \"3600\"]"
        ])
        const labels = yield* runtime.image(tag).labels
        assert.deepStrictEqual([labels["stage"], labels["built"], labels["effect-podman.fixture"]], [
          "contract",
          "yes",
          "true"
        ])
        const job = yield* runtime.run({ image: tag, namePrefix: "ep4-built" }, {
          wait: Wait.forSuccessfulExit(),
          deadline: "30 seconds"
        })
        assert.deepStrictEqual([...yield* Stream.runCollect(job.logs())], ["hello", "from the context"])
      }))

    it.effect("a docker-format image keeps its HEALTHCHECK: Wait.forHealthy runs it, not restated in the spec; an OCI one drops it", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const dir = yield* context({
          Containerfile: `FROM ${TEST_IMAGE}\nHEALTHCHECK --interval=30s CMD cat /data/greeting.txt\n`
        })
        const docker = `localhost/${unique("healthy")}:1`
        const oci = `localhost/${unique("oci")}:1`
        yield* removedAfter(docker)
        yield* removedAfter(oci)
        yield* runtime.build(dir, { tags: [docker], format: "docker" })
        const c = yield* runtime.run({ image: docker, namePrefix: "ep4-healthy" }, {
          wait: Wait.forHealthy(),
          deadline: "30 seconds"
        })
        assert.isTrue(yield* c.healthcheck)
        yield* runtime.build(dir, { tags: [oci] })
        const plain = yield* runtime.run({ image: oci, namePrefix: "ep4-oci" })
        const none = yield* Effect.flip(plain.healthcheck)
        assert.match(none.message, /has no defined healthcheck/)
      }))

    it.effect("a failing step is BuildFailed with the step, the output before it and the exit; no Containerfile is BuildFailed too", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const dir = yield* context({ Containerfile: `FROM ${TEST_IMAGE}\nRUN echo before && exit 3\n` })
        const failed = yield* Effect.flip(runtime.build(dir, { tags: [`localhost/${unique("broken")}:1`] }))
        assert.strictEqual(failed._tag, "BuildFailed")
        if (failed._tag === "BuildFailed") {
          assert.strictEqual(failed.step, "RUN echo before && exit 3")
          assert.deepStrictEqual(failed.outputTail, ["before"])
          assert.match(failed.detail, /exit status 3$/)
          assert.strictEqual(failed.exitCode, 3)
        }
        // a Containerfile outside the context is refused before podman runs
        assert.strictEqual(
          (yield* Effect.flip(runtime.build(dir, { containerfile: "../Containerfile" })))._tag,
          "InvalidArgument"
        )
        const empty = yield* context({})
        const none = yield* Effect.flip(runtime.build(empty))
        assert.strictEqual(none._tag, "BuildFailed")
        if (none._tag === "BuildFailed") {
          assert.match(none.detail, /^Error: stat \/.*\/Containerfile: no such file or directory$/)
        }
      }))

    it.effect("push to a registry, untag it here, pull it back: each with its phases, blobs and the image's id", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const { host } = yield* Registry
        const ref = `${host}/ep4/${unique("pushed")}:1`
        yield* removedAfter(ref)
        yield* runtime.tagImage(BASE_IMAGE, ref)
        const id = Option.getOrThrow(yield* runtime.image(BASE_IMAGE).id)
        const pushed = [...yield* Stream.runCollect(runtime.pushProgress(ref, ref, { tlsVerify: false }))]
        assert.isTrue(pushed.some((p) => p._tag === "Blob" && p.kind === "layer"))
        assert.isTrue(pushed.some((p) => p._tag === "Status" && p.text === "Writing manifest to image destination"))
        assert.deepStrictEqual(last(pushed), { _tag: "Done", id })
        assert.isTrue(yield* runtime.removeImage(ref))
        assert.isFalse(yield* runtime.image(ref).exists)
        const pulled = [...yield* Stream.runCollect(runtime.pullProgress(ref, { tlsVerify: false }))]
        assert.deepStrictEqual(pulled[0], { _tag: "Status", text: `Trying to pull ${ref}...` })
        assert.isTrue(pulled.some((p) => p._tag === "Blob" && p.kind === "layer"))
        assert.isTrue(pulled.some((p) => p._tag === "Blob" && p.kind === "config"))
        assert.deepStrictEqual(last(pulled), { _tag: "Done", id })
        assert.deepStrictEqual(yield* runtime.image(ref).id, Option.some(id))
        assert.match(Option.getOrThrow(yield* runtime.image(ref).digest), /^sha256:[0-9a-f]{64}$/)
      }))

    it.effect("a pull that fails says why: not in the registry, no registry there, HTTPS asked of an HTTP registry", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const { host } = yield* Registry
        const missing = yield* Effect.flip(runtime.pull(`${host}/ep4/nothing-here:1`, { tlsVerify: false }))
        assert.strictEqual(pullFailure(missing), "PullFailed:NotFound")
        assert.match(missing.message, /manifest unknown/)
        const unreachable = yield* Effect.flip(runtime.pull("127.0.0.1:9/ep4/x:1", { tlsVerify: false }))
        assert.strictEqual(pullFailure(unreachable), "PullFailed:Unreachable")
        assert.match(unreachable.message, /connection refused/)
        const insecure = yield* Effect.flip(runtime.pull(`${host}/ep4/nothing-here:1`))
        assert.strictEqual(pullFailure(insecure), "PullFailed:Unreachable")
        assert.match(insecure.message, /server gave HTTP response to HTTPS client/)
        // the stream fails the same way, after its first phase
        const streamed = yield* Effect.flip(
          Stream.runCollect(runtime.pullProgress(`${host}/ep4/nothing-here:1`, { tlsVerify: false }))
        )
        assert.strictEqual(pullFailure(streamed), "PullFailed:NotFound")
      }))

    it.effect("create pulls an image it lacks verifying TLS (so not from an HTTP registry); pulled first, it creates; never: NoSuchImage", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const { host } = yield* Registry
        const ref = `${host}/ep4/${unique("created")}:1`
        yield* removedAfter(ref)
        const tagged = yield* runtime.tagImage(BASE_IMAGE, ref)
        assert.isTrue(Equal.equals(tagged, runtime.image(ref)), "tagImage answers a handle on the new name")
        const digest = yield* runtime.push(ref, ref, { tlsVerify: false })
        assert.match(Option.getOrThrow(digest), /^sha256:[0-9a-f]{64}$/)
        assert.deepStrictEqual(yield* tagged.digest, digest)
        assert.isTrue(yield* runtime.removeImage(ref))
        const refused = yield* Effect.flip(Effect.scoped(runtime.create({ image: ref, command: ["true"] })))
        assert.strictEqual(pullFailure(refused), "PullFailed:Unreachable")
        const never = yield* Effect.flip(Effect.scoped(runtime.create({ image: ref, pull: "never" })))
        assert.strictEqual(never._tag === "NonZeroExit" ? never.reason._tag : never._tag, "NoSuchImage")
        const pulled = yield* runtime.pull(ref, { tlsVerify: false })
        assert.strictEqual(pulled.ref, ref)
        assert.isTrue(yield* pulled.exists)
        const c = yield* runtime.create({ image: ref, namePrefix: "ep4-pulled", command: ["true"] })
        assert.deepStrictEqual(yield* c.image, Option.some(ref))
      }))

    it.effect("a build under a name another image had leaves that one dangling: pruneImages removes it; an image in use goes only when forced", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const tag = `localhost/${unique("again")}:1`
        yield* removedAfter(tag)
        const built = yield* runtime.build(
          yield* context({ Containerfile: `FROM ${TEST_IMAGE}\nRUN echo first > /which\n` }),
          { tags: [tag] }
        )
        assert.strictEqual(built.ref, tag, "build answers a handle on its first tag")
        const first = Option.getOrThrow(yield* built.id)
        const second = Option.getOrThrow(
          yield* (yield* runtime.build(
            yield* context({ Containerfile: `FROM ${TEST_IMAGE}\nRUN echo second > /which\n` }),
            { tags: [tag] }
          )).id
        )
        assert.notStrictEqual(first, second)
        // the first image lost its name: dangling
        assert.deepStrictEqual(
          (yield* runtime.images({ danglingOnly: true })).filter((listing) => listing.id === first).map((
            listing
          ) => [listing.ref, Option.isNone(listing.tag)]),
          [[first, true]]
        )
        assert.isFalse((yield* runtime.images({ danglingOnly: true })).some((listing) => listing.id === second))
        // a listing says when the image was made: the build, a moment ago
        const made = (yield* runtime.images()).find((listing) => listing.id === second)?.created
        assert.isTrue(
          made !== undefined && Option.isSome(made) && Math.abs(Date.now() - made.value.getTime()) < 10 * 60_000,
          String(made)
        )
        assert.deepStrictEqual(yield* runtime.image(tag).id, Option.some(second))
        // by id, while it has two names: podman wants it forced, and names them
        const second2 = `localhost/${unique("again2")}:1`
        yield* removedAfter(second2)
        yield* runtime.tagImage(tag, second2)
        const byId = yield* Effect.flip(runtime.removeImage(second))
        assert.isTrue(
          byId instanceof PodmanError.NonZeroExit && byId.reason._tag === "Other" &&
            byId.stderr.includes(`by ID with more than one tag ([${tag} ${second2}])`),
          String(byId)
        )
        assert.isTrue(yield* runtime.removeImage(second2))
        assert.include(yield* runtime.pruneImages, first)
        assert.isFalse(yield* runtime.image(first).exists)
        assert.isTrue(yield* runtime.image(second).exists)
        // in use by a container: kept, unless forced — then its container goes too
        const c = yield* runtime.create({ image: tag, namePrefix: "ep4-user", command: ["true"] })
        assert.isFalse(yield* runtime.removeImage(tag))
        assert.isTrue(yield* runtime.removeImage(tag, { force: true }))
        assert.deepStrictEqual(yield* c.state, Option.none())
        assert.isFalse(yield* runtime.image(second).exists)
      }))
  })
