/**
 * The contract of the errors, in Effect 4's idiom, on the three layers: every failure a podman
 * operation gives is caught by its tag (`Effect.catchTag`), by its tagged reason
 * (`Effect.catchReason`: one reason handled, the others go on), recognised by `isPodmanError`, and
 * goes through the `PodmanError` schema and back unchanged — message included.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, PodmanError } from "../src/index.js"

const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

export const errorsContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) =>
  describe("errors", () => {
    it.effect("catchReason handles one reason of a NonZeroExit and lets the others through; catchTag sees the rest", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const absent = runtime.container(unique("absent"))
        const handled = yield* absent.start.pipe(
          Effect.as("started"),
          Effect.catchReason(
            "NonZeroExit",
            "NoSuchContainer",
            (reason, error) => Effect.succeed(`${reason._tag} in ${error.operation}`)
          )
        )
        assert.strictEqual(handled, "NoSuchContainer in container.start")

        const job = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-errors", command: ["true"] })
        assert.strictEqual(yield* job.wait(), 0)
        // exec into a stopped container is NotRunning: a handler for NoSuchContainer does not see it
        const passed = yield* job.exec(["true"]).pipe(
          Effect.as("ran"),
          Effect.catchReason("NonZeroExit", "NoSuchContainer", () => Effect.succeed("wrongly handled")),
          Effect.catchTag("NonZeroExit", (error) => Effect.succeed(`caught by tag: ${error.reason._tag}`))
        )
        assert.strictEqual(passed, "caught by tag: NotRunning")
      }))

    it.effect("every failure is a PodmanError: the guard knows it, the schema decodes its encoding back to an equal error", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const failures = [
          yield* Effect.flip(runtime.container(unique("gone")).stop()),
          yield* Effect.flip(runtime.container("--all").state),
          yield* Effect.flip(runtime.image("localhost/ep4-no-such-image:1").labels)
        ]
        assert.deepStrictEqual(failures.map((error) => error._tag), ["NonZeroExit", "InvalidArgument", "NonZeroExit"])
        const encode = Schema.encodeSync(PodmanError.PodmanError)
        const decode = Schema.decodeUnknownSync(PodmanError.PodmanError)
        for (const error of failures) {
          assert.isTrue(PodmanError.isPodmanError(error), error._tag)
          const encoded = encode(error)
          const json: unknown = JSON.parse(JSON.stringify(encoded))
          const decoded = decode(json)
          assert.strictEqual(decoded._tag, error._tag)
          assert.strictEqual(Object.getPrototypeOf(decoded), Object.getPrototypeOf(error), "the same class")
          assert.strictEqual(decoded.message, error.message)
          assert.deepStrictEqual({ ...decoded }, { ...error })
        }
        assert.isFalse(PodmanError.isPodmanError(new Error("not podman's")))
        assert.isFalse(PodmanError.isPodmanError({ _tag: "NonZeroExit" }))
      }))

    it.effect("a spec refused before podman ran is a SpecError the guard knows, with no reason to catch", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const refused = yield* Effect.flip(Effect.scoped(runtime.run({ image: "" })))
        assert.strictEqual(refused._tag, "SpecError")
        assert.isTrue(PodmanError.isPodmanError(refused))
      }))
  })
