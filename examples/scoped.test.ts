// examples/scoped.test.ts — a container per test, removed when the test ends
import { assert } from "@effect/vitest"
import { Effect } from "effect"
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
      const page = yield* Effect.promise(() => fetch(web.url(80)).then((r) => r.text())) // http://127.0.0.1:PORT/
      assert.include(page, "effect-podman")
    }))
})
