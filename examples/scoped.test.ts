// examples/scoped.test.ts — a container per test, removed when the test ends
import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Wait } from "effect-podman"
import { PodmanTest } from "effect-podman-vitest"

PodmanTest.describe("my web server", (it) => {
  it.scoped("serves its home page", () =>
    Effect.gen(function*() {
      const web = yield* PodmanTest.container(
        {
          image: "localhost/effect-podman-test:latest",
          command: ["httpd", "-f", "-p", "80", "-h", "/www"],
          ports: [{ container: 80 }] // published on a free host port
        },
        { wait: Wait.forHttp("/", { port: 80 }), deadline: "30 seconds" }
      )
      const port = Option.getOrThrow(web.hostPort(80))
      const page = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()))
      assert.include(page, "effect-podman")
    }))
})
