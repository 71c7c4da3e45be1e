// The helpers against real podman: a container per file (shared) and one per test.
import { assert } from "@effect/vitest"
import { Context, Effect, Option } from "effect"
import { ContainerRuntime, Wait } from "effect-podman"
import { PodmanTest } from "effect-podman-vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll } from "vitest"

const IMAGE = "localhost/effect-podman-test:latest"

class Web extends Context.Tag("test/Web")<Web, ContainerRuntime.ManagedContainer>() {}

const WebLive = PodmanTest.containerLayer(
  Web,
  {
    image: IMAGE,
    namePrefix: "ep-vitest-web",
    command: ["httpd", "-f", "-p", "80", "-h", "/www"],
    ports: [{ container: 80 }]
  },
  { wait: Wait.forHttp("/", { port: 80 }) }
)

let shared: string | undefined

PodmanTest.describe("PodmanTest", (it) => {
  it.layer(WebLive)("a container per file", (it) => {
    it.effect("the first test sees it running and serving", () =>
      Effect.gen(function*() {
        const web = yield* Web
        shared = web.name
        assert.isTrue(yield* web.running)
        const port = Option.getOrThrow(web.hostPort(80))
        const body = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()))
        assert.include(body, "effect-podman")
      }))

    it.effect("the second test gets the same container", () =>
      Effect.map(Web, (web) => assert.strictEqual(web.name, shared)))
  })

  it.effect("the default backend is the REST layer (a service of its own): a refusal carries the HTTP status", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep-vitest-absent").start)
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag === "NonZeroExit") {
        assert.strictEqual(error.reason, "NoSuchContainer")
        assert.strictEqual(error.status, 404)
        assert.isUndefined(error.exitCode)
      }
    }))

  it.scoped("a container per test, removed when the test ends", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const name = yield* Effect.scoped(
        Effect.gen(function*() {
          const job = yield* PodmanTest.container(
            { image: IMAGE, namePrefix: "ep-vitest-job", command: ["sh", "-c", "echo up; sleep 3600"] },
            { wait: Wait.forLog(/up/) }
          )
          assert.isTrue(yield* job.running)
          return job.name
        })
      )
      assert.isTrue(Option.isNone(yield* runtime.container(name).state))
    }))
})

PodmanTest.describe("PodmanTest with backend: cli", (it) => {
  it.effect("a podman process per call: a refusal carries podman's exit code", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep-vitest-absent").start)
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag === "NonZeroExit") {
        assert.strictEqual(error.exitCode, 125)
        assert.isUndefined(error.status)
      }
    }))
}, { backend: "cli" })

// A podman whose `container inspect` answers after 5 s: each call is bounded by `timeout`, while the
// hooks (building the layer, sweeping) keep `hookTimeout` — before 0.3 one value did both jobs
const slowInspect = join(mkdtempSync(join(tmpdir(), "ep-vitest-")), "podman")
writeFileSync(slowInspect, `#!/bin/sh\ncase "$*" in *inspect*) sleep 5 ;; esac\nexec podman "$@"\n`, { mode: 0o755 })
afterAll(() => rmSync(dirname(slowInspect), { recursive: true, force: true }))

PodmanTest.describe("PodmanTest.describe: timeout bounds each podman call, hookTimeout the hooks", (it) => {
  it.effect("a call that outlasts `timeout` is a Timeout of the layer's bound", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep-vitest-absent").state)
      assert.strictEqual(error._tag, "Timeout")
      if (error._tag === "Timeout") {
        assert.strictEqual(error.reason, "LayerBound")
        assert.strictEqual(error.timeoutMillis, 1000)
      }
    }))
}, { backend: "cli", binary: slowInspect, timeout: "1 second", hookTimeout: "1 minute" })
