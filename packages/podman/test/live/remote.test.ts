/**
 * Remote podman on loopback: `podman system service tcp://127.0.0.1:PORT`, reached by the CLI
 * layer's `url` option and by the REST layer's TCP URL; and the REST layer when nothing is there.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Layer, Option, Schedule, Scope } from "effect"
import { connect } from "node:net"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import * as PortReservation from "../../src/PortReservation.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { podmanRunner } from "../helpers/live.js"
import { awaitNoProcess, podmanChildren } from "../helpers/processes.js"

/** A podman service on a free loopback port, stopped (its child reaped) when the scope closes. */
const tcpService = Effect.gen(function*() {
  const port = yield* Effect.scoped(Effect.map(PortReservation.reserve("127.0.0.1"), (r) => r.port))
  const runner = yield* podmanRunner
  yield* runner.start(["system", "service", "--time", "0", `tcp://127.0.0.1:${port}`])
  const listening = Effect.async<boolean>((resume) => {
    const socket = connect({ host: "127.0.0.1", port })
    const done = (up: boolean) => {
      socket.destroy()
      resume(Effect.succeed(up))
    }
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })
  yield* listening.pipe(
    Effect.filterOrFail((up) => up, () => "not yet"),
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo(Duration.seconds(20))))
  )
  return `tcp://127.0.0.1:${port}`
})

const stateThrough = (layer: Layer.Layer<ContainerRuntime>, name: string) =>
  Effect.provide(
    Effect.flatMap(ContainerRuntime, (runtime) =>
      Effect.all([runtime.container(name).state, runtime.containerStates("ep-remote")])),
    layer
  )

describe("remote podman on loopback", () => {
  it.scopedLive("the CLI layer's url and the REST layer's TCP URL both reach the service", () =>
    Effect.gen(function*() {
      const url = yield* tcpService
      const runner = yield* podmanRunner
      const name = uniqueName("remote")
      yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
      yield* runner.run(["create", "--name", name, TEST_IMAGE])
      const cli = Podman.layer({ url }).pipe(Layer.provide(NodeContext.layer))
      const rest = PodmanApi.layer({ url }).pipe(Layer.provide(NodeContext.layer))
      for (const layer of [cli, rest]) {
        const [state, states] = yield* stateThrough(layer, name)
        assert.deepStrictEqual(state, Option.some("created"))
        assert.deepStrictEqual(states.get(name), "created")
      }
      const login = yield* Effect.provide(
        Effect.map(ContainerRuntime, (runtime) => runtime.container(name).loginCommand()),
        cli
      )
      assert.deepStrictEqual(login.slice(0, 3), ["podman", "--url", url])
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("layerService starts a podman service only when none answers, and stops it with its scope", () =>
    Effect.gen(function*() {
      const socket = `/tmp/${uniqueName("svc")}.sock`
      const services = () => podmanChildren("service", socket)
      // closed by the test, and by the test's scope when an assertion fails first
      const outer = yield* Effect.acquireRelease(Scope.make(), (scope) => Scope.close(scope, Exit.void))
      const first = Context.get(
        yield* Layer.buildWithScope(PodmanApi.layerService({ socket }).pipe(Layer.provide(NodeContext.layer)), outer),
        ContainerRuntime
      )
      assert.strictEqual(services().length, 1, "a service was started")
      assert.isTrue(yield* first.image(TEST_IMAGE).exists)
      // a second layer on the same socket finds it answering and starts nothing
      const inner = yield* Effect.acquireRelease(Scope.make(), (scope) => Scope.close(scope, Exit.void))
      const second = Context.get(
        yield* Layer.buildWithScope(PodmanApi.layerService({ socket }).pipe(Layer.provide(NodeContext.layer)), inner),
        ContainerRuntime
      )
      assert.isTrue(yield* second.image(TEST_IMAGE).exists)
      assert.strictEqual(services().length, 1, "no second service")
      yield* Scope.close(inner, Exit.void)
      assert.strictEqual(services().length, 1, "the first layer's service outlives the second layer")
      yield* Scope.close(outer, Exit.void)
      assert.deepStrictEqual(yield* awaitNoProcess(services), [])
    }))

  it.scopedLive("with neither a service nor a binary, the REST layer fails with PodmanMissing, naming which", () =>
    Effect.gen(function*() {
      const layer = PodmanApi.layer({ socket: "/nonexistent/podman.sock", binary: "/nonexistent/podman" }).pipe(
        Layer.provide(NodeContext.layer)
      )
      // the runtime is used inside its layer's scope (after it, its connection pool is closed)
      yield* Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const viaApi = yield* Effect.flip(runtime.container("web").state)
        assert.strictEqual(viaApi._tag, "PodmanMissing")
        if (viaApi._tag === "PodmanMissing") {
          assert.strictEqual(viaApi.reason, "NoService")
          assert.match(viaApi.message, /no podman service answers on \/nonexistent\/podman.sock/)
        }
        // what the REST layer leaves to podman-remote (here the escape hatch) needs the binary
        const viaCli = yield* Effect.flip(runtime.podman(["version"]))
        assert.strictEqual(viaCli._tag, "PodmanMissing")
        if (viaCli._tag === "PodmanMissing") {
          assert.match(viaCli.message, /podman binary "\/nonexistent\/podman" not found/)
        }
      }).pipe(Effect.provide(layer))
    }))
})
