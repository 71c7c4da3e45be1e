// The Effect 4 helpers against real podman: a container per block (shared by its tests, removed
// after it) and one per test (removed when the test ends), on @effect/vitest 4 and vitest 5.
import { assert } from "@effect/vitest"
import { Context, Effect, Option } from "effect"
import { ContainerRuntime, Wait } from "effect-podman-4"
import { execFileSync } from "node:child_process"
import { afterAll } from "vitest"
import { PodmanTest } from "../src/index.js"

const IMAGE = "localhost/effect-podman-test:latest"
const exists = (name: string) =>
  execFileSync("podman", ["ps", "-a", "--filter", `name=^${name}$`, "--format", "{{.Names}}"], { encoding: "utf8" })
    .trim() !== ""

class Web extends Context.Service<Web, ContainerRuntime.ManagedContainer>()("test/Web") {}

const WebLive = PodmanTest.containerLayer(
  Web,
  {
    image: IMAGE,
    namePrefix: "ep4-vitest-web",
    command: ["httpd", "-f", "-p", "80", "-h", "/www"],
    ports: [{ container: 80 }]
  },
  { wait: Wait.forHttp("/", { port: 80 }) }
)

const names: Array<string> = []
afterAll(() => {
  for (const name of names) assert.isFalse(exists(name), `${name} was removed`)
})

PodmanTest.describe("PodmanTest (Effect 4)", (it) => {
  it.layer(WebLive)("a container per block", (it) => {
    it.effect("the first test sees it serving", () =>
      Effect.gen(function*() {
        const web = yield* Web
        names.push(web.name)
        const body = yield* Effect.promise(() => fetch(web.url(80)).then((r) => r.text()))
        assert.include(body, "effect-podman")
      }))

    it.effect("the second test gets the same container", () =>
      Effect.gen(function*() {
        const web = yield* Web
        assert.strictEqual(web.name, names[0])
        assert.deepStrictEqual(yield* web.state, Option.some("running"))
      }))
  })

  it.effect("a container per test, removed when the test ends", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const name = yield* Effect.scoped(Effect.gen(function*() {
        const job = yield* PodmanTest.container(
          { image: IMAGE, namePrefix: "ep4-vitest-job", command: ["sh", "-c", "echo up; sleep 3600"] },
          { wait: Wait.forLog(/up/) }
        )
        assert.deepStrictEqual(yield* job.state, Option.some("running"))
        return job.name
      }))
      assert.isTrue(Option.isNone(yield* runtime.container(name).state))
    }))
})
