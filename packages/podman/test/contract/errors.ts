/**
 * The contract of what a failure says happened: the same `reason` on every layer, whether podman
 * was reached through its CLI (an exit code), its API (an HTTP status) or the model.
 */
import { assert, describe } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { recordSpans } from "../helpers/live.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason } from "./helpers.js"
import type { ContractIt } from "./suite.js"

export const errorsContract = (it: ContractIt) => {
  describe("what happened, the same on every layer", () => {
    it.scoped("a taken name is NameInUse; an image that is not here and cannot be pulled is PullFailed", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("taken")
        yield* (yield* Fixtures).created(name)
        assert.strictEqual(yield* failureReason(runtime.create({ image: TEST_IMAGE, name })), "NonZeroExit:NameInUse")
        // podman tries to pull it (from localhost, where no registry listens); the model has none
        const absent = `localhost/${uniqueName("nopull")}:latest`
        const error = yield* Effect.flip(runtime.create({ image: absent, namePrefix: uniqueName("pull") }))
        assert.strictEqual(error._tag, "NonZeroExit")
        if (error._tag === "NonZeroExit") {
          assert.strictEqual(error.reason, "PullFailed")
          assert.strictEqual(error.operation, "container.create")
          assert.notInclude(error.message, "effect-podman.session", "the library's own labels are left out")
        }
      }))

    it.effect("the removal of a scoped container is traced under the span that owns its scope", () => {
      const { spans, traced } = recordSpans()
      return Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("traced")
        yield* Effect.scoped(runtime.create({ image: TEST_IMAGE, name })).pipe(Effect.withSpan("owner"))
        const owner = spans.find((span) => span.name === "owner")!
        const removal = spans.find((span) =>
          span.name === "podman container.remove" && span.attributes.get("podman.container") === name
        )
        assert.isDefined(removal)
        const parent = removal!.parent
        assert.isTrue(Option.isSome(parent) && parent.value.spanId === owner.spanId, "not under the ended create span")
        assert.isTrue(Option.isNone(yield* runtime.container(name).state))
      }).pipe(traced)
    })
  })
}
