/**
 * The host helpers on the podman this runs as — root in the first run of `make test`, a normal user
 * on rootless podman in the second (scripts/test-rootless.sh): the network arguments that bypass the
 * gateway reach a server on the host's loopback (rootless: slirp4netns's loopback mapping, podman
 * 4.3 reporting no network command), the init binary found is the one podman runs, and podman says
 * it is rootless exactly when this process is not root.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Option, Stream } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { HOST_MODE } from "../../../shared/test/crossEdition/hostMode.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Init from "../../src/Init.js"
import * as Network from "../../src/Network.js"
import * as Podman from "../../src/Podman.js"
import { TEST_IMAGE } from "../contract/fixtures.js"

const PodmanLive = Podman.layer().pipe(Layer.provideMerge(NodeContext.layer))
const root = process.geteuid?.() === 0

/** A server on the host answering "from the host": on loopback rootless, on every address as root. */
const hostServer = Effect.acquireRelease(
  Effect.async<{ readonly port: number; readonly close: () => void }>((resume) => {
    const server = createServer((_, response) => response.end("from the host\n"))
    server.listen(
      0,
      root ? "0.0.0.0" : "127.0.0.1",
      () => resume(Effect.succeed({ port: (server.address() as AddressInfo).port, close: () => server.close() }))
    )
  }),
  ({ close }) => Effect.sync(close)
)

describe(`host helpers on real podman (${root ? "root" : "rootless"})`, () => {
  it.live("podman is rootless exactly when this process is not root", () =>
    Effect.sync(() => assert.strictEqual(HOST_MODE.rootless, !root)))

  it.scopedLive("bypassNetworkArgs: the container reaches the host as host.containers.internal", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const args = yield* Network.bypassNetworkArgs()
      if (root) assert.deepStrictEqual(args, [])
      else {
        // podman 4.3 names no rootless network command: slirp4netns, as podman then uses
        assert.strictEqual(yield* Network.detectRootlessNetworkMode, "slirp4netns")
        assert.deepStrictEqual(args, Network.networkArgsFor({ root: false, mode: "slirp4netns" }))
      }
      const { port } = yield* hostServer
      const c = yield* runtime.run({
        image: TEST_IMAGE,
        namePrefix: "ep-bypass",
        command: ["sleep", "3600"],
        extraArgs: args
      })
      const answer = yield* c.exec(["busybox", "wget", "-q", "-O", "-", `http://host.containers.internal:${port}/`], {
        timeout: "10 seconds"
      })
      assert.deepStrictEqual([answer.exitCode, answer.stdout], [0, "from the host\n"])
    }).pipe(Effect.provide(PodmanLive)))

  it.scopedLive("findInitBinary: the init podman runs with --init-path", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const found = yield* Init.findInitBinary()
      assert.isTrue(Option.isSome(found), `an init binary in ${Init.INIT_SEARCH_PATHS.join(", ")}`)
      const c = yield* runtime.run({
        image: TEST_IMAGE,
        namePrefix: "ep-init",
        command: ["sh", "-c", "echo pid $$"],
        init: true,
        extraArgs: ["--init-path", Option.getOrThrow(found)]
      })
      assert.strictEqual(yield* c.wait(), 0)
      // under that init the command is not PID 1 (without one it is)
      const [line] = Chunk.toArray(yield* Stream.runCollect(c.logs()))
      assert.match(line ?? "", /^pid (?!1$)\d+$/)
      const bare = yield* runtime.run({
        image: TEST_IMAGE,
        namePrefix: "ep-init",
        command: ["sh", "-c", "echo pid $$"],
        init: false
      })
      assert.strictEqual(yield* bare.wait(), 0)
      assert.deepStrictEqual(Chunk.toArray(yield* Stream.runCollect(bare.logs())), ["pid 1"])
    }).pipe(Effect.provide(PodmanLive)))
})
