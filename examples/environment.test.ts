/**
 * A test file with an environment of its own: a web server and a client on a private network,
 * the client started once the server answers, both shared by the file's tests and removed after
 * them. (The "app" is busybox from the local test image; with a registry it is your images.)
 */
import { assert } from "@effect/vitest"
import { Context, Effect } from "effect"
import { Environment, Wait } from "effect-podman"
import { PodmanTest } from "effect-podman-vitest"

const IMAGE = "localhost/effect-podman-test:latest"

class Shop extends Context.Tag("examples/Shop")<Shop, Environment.Environment<"web" | "client">>() {}

const ShopLive = Environment.layer(Shop, {
  web: {
    spec: { image: IMAGE, command: ["httpd", "-f", "-p", "80", "-h", "/www"], ports: [{ container: 80 }] },
    wait: Wait.forHttp("/", { port: 80 })
  },
  client: {
    spec: { image: IMAGE },
    dependsOn: ["web"] // started once web is ready
  }
}, { deadline: "60 seconds" })

PodmanTest.describe("an environment per test file", (it) => {
  it.layer(ShopLive)((it) => {
    it.effect("the client reaches the web server by its service name", () =>
      Effect.gen(function*() {
        const shop = yield* Shop
        const page = yield* shop.services.client.exec(["busybox", "wget", "-q", "-O", "-", "http://web/"])
        assert.include(page.stdout, "effect-podman")
      }))

    it.effect("the host reaches it through its published port", () =>
      Effect.gen(function*() {
        const shop = yield* Shop
        const page = yield* Effect.promise(() => fetch(shop.services.web.url(80)).then((r) => r.text()))
        assert.include(page, "effect-podman")
      }))
  })
})
