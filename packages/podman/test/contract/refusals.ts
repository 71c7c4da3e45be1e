/**
 * The contract of refusals: hostile or malformed input is refused with a typed error before
 * anything runs, and a refusal never shows a secret value — on every layer.
 */
import { assert, describe } from "@effect/vitest"
import { Cause, Effect, Redacted, Sink, Stream } from "effect"
import { inspect } from "node:util"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import type { ContainerSpecInput } from "../../src/ContainerSpec.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import type { ContractIt } from "./suite.js"

const SECRET = "hunter2-7f3a9c"

/** Everything a refusal can be printed as. */
const printed = (error: unknown): string =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), Cause.pretty(Cause.fail(error))].join("\n")

export const refusalsContract = (it: ContractIt) => {
  describe("refusals never show a secret", () => {
    it.scoped("specs with secrets in the wrong shape are SpecErrors that do not quote them", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const specs: ReadonlyArray<ContainerSpecInput> = [
          // a plain string where a Redacted is expected
          { image: TEST_IMAGE, secretEnv: { API_TOKEN: SECRET as unknown as Redacted.Redacted<string> } },
          // a number where a string is expected, under a sensitive key
          { image: TEST_IMAGE, env: { DB_PASSWORD: 987654321 as unknown as string } },
          // a secret the kernel could not pass (NUL)
          { image: TEST_IMAGE, secretEnv: { API_TOKEN: Redacted.make(`${SECRET}\0tail`) } }
        ]
        for (const spec of specs) {
          const error = yield* Effect.flip(runtime.create(spec))
          assert.strictEqual(error._tag, "SpecError")
          const text = printed(error)
          assert.notInclude(text, SECRET)
          assert.notInclude(text, "987654321")
        }
      }))

    it.scoped("an execStdio environment value holding NUL is refused without being shown", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("envnul")
        yield* (yield* Fixtures).running(name)
        const error = yield* Effect.flip(
          runtime.execStdio(name, ["true"], {
            stdin: Stream.empty,
            stdout: Sink.drain,
            env: { SETTING: `${SECRET}\0x` }
          })
        )
        assert.strictEqual(error._tag, "InvalidArgument")
        assert.include(error.message, "SETTING")
        assert.notInclude(printed(error), SECRET)
      }))
  })

  describe("malformed input is refused before anything runs", () => {
    it.scoped("label keys, host IPs, tmpfs sizes and mount fields that would change podman's reading", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const namePrefix = uniqueName("refused")
        const specs: ReadonlyArray<ContainerSpecInput> = [
          { image: TEST_IMAGE, namePrefix, labels: { "": "empty key" } },
          { image: TEST_IMAGE, namePrefix, labels: { "a=b": "key with =" } },
          { image: TEST_IMAGE, namePrefix, ports: [{ container: 80, hostIp: "127.0.0.1:9999" }] },
          { image: TEST_IMAGE, namePrefix, mounts: [{ type: "tmpfs", target: "/t", size: "1m,tmpfs-mode=0777" }] }
        ]
        for (const spec of specs) assert.strictEqual((yield* Effect.flip(runtime.create(spec)))._tag, "SpecError")
        assert.deepStrictEqual(yield* runtime.containersWithPrefix(namePrefix), [], "nothing was created")
      }))

    it.scoped("an invalid Date for logs or events is InvalidArgument, not a crash or an empty answer", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("since")
        yield* (yield* Fixtures).running(name)
        const logs = yield* Effect.flip(Stream.runDrain(runtime.container(name).logs({ since: new Date(NaN) })))
        assert.strictEqual(logs._tag, "InvalidArgument")
        const events = yield* Effect.flip(Stream.runDrain(runtime.events("ep", { since: new Date(NaN) })))
        assert.strictEqual(events._tag, "InvalidArgument")
      }))
  })
}
