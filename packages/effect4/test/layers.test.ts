// The layers' options, against real podman: `root` / `runroot` reach podman (a storage of its own
// holds none of the host's images), the bounds of start, stop and removal are the layer's, a REST
// layer on a `tcp://` service and on a `unix://` url, `make` with the caller's HttpClient, and
// `PodmanApi.layerConfig` reading `PODMAN_SOCKET`.
import { NodeHttpClient, NodeServices } from "@effect/platform-node"
import { assert, it } from "@effect/vitest"
import { Config, Effect, Layer, Option, Schedule } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { access } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { ContainerRuntime, Podman, PodmanApi } from "../src/index.js"

const IMAGE = "localhost/effect-podman-test:latest"
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`
const dir = mkdtempSync(join(tmpdir(), "ep4-layers-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A podman service on `address` for the scope: started, waited for, killed at its end. */
const service = (address: string, ready: Effect.Effect<boolean>) =>
  Effect.acquireRelease(
    Effect.sync(() => spawn("podman", ["system", "service", "--time", "0", address], { stdio: "ignore" })),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  ).pipe(Effect.tap(() =>
    ready.pipe(
      Effect.repeat({ until: (up) => up, schedule: Schedule.spaced("50 millis") }),
      Effect.timeout("20 seconds")
    )
  ))

const runsAContainer = Effect.gen(function*() {
  const runtime = yield* ContainerRuntime.ContainerRuntime
  const job = yield* runtime.run({ image: IMAGE, namePrefix: "ep4-layers", command: ["sh", "-c", "echo via $0"] })
  assert.strictEqual(yield* job.wait(), 0)
  assert.deepStrictEqual(yield* job.state, Option.some("exited"))
  return job.name
})

it.live(
  "root and runroot reach podman: a storage of its own holds none of the host's images",
  () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      assert.isFalse(yield* runtime.image(IMAGE).exists)
      assert.deepStrictEqual(yield* runtime.images(), [])
    }).pipe(Effect.provide(
      Podman.layer({ root: join(dir, "root"), runroot: join(dir, "runroot") }).pipe(Layer.provide(NodeServices.layer))
    )),
  60_000
)

it.live("a REST layer on a tcp:// service runs a container there", () =>
  Effect.gen(function*() {
    const port = yield* Effect.promise(() => Ports.freePort("127.0.0.1"))
    yield* service(`tcp://127.0.0.1:${port}`, Effect.promise(() => Ports.accepts("127.0.0.1", port)))
    yield* Effect.scoped(runsAContainer).pipe(
      Effect.provide(PodmanApi.layer({ url: `tcp://127.0.0.1:${port}` }).pipe(Layer.provide(NodeServices.layer)))
    )
  }).pipe(Effect.scoped), 60_000)

it.live(
  "a REST layer on a unix:// url; make with the caller's HttpClient; layerConfig reads PODMAN_SOCKET",
  () =>
    Effect.gen(function*() {
      const socket = join(dir, `${unique("sock")}.sock`)
      yield* service(`unix://${socket}`, Effect.promise(() => access(socket).then(() => true, () => false)))
      yield* Effect.scoped(runsAContainer).pipe(
        Effect.provide(PodmanApi.layer({ url: `unix://${socket}` }).pipe(Layer.provide(NodeServices.layer)))
      )
      // the caller's client lives as long as the runtime is used: provided around both
      yield* Effect.gen(function*() {
        const runtime = yield* PodmanApi.make({ socket })
        const name = yield* Effect.scoped(runsAContainer).pipe(
          Effect.provideService(ContainerRuntime.ContainerRuntime, runtime)
        )
        assert.match(name, /^ep4-layers-/)
      }).pipe(
        Effect.provide(
          Layer.merge(NodeServices.layer, NodeHttpClient.layerUndiciOptions({ connect: { socketPath: socket } }))
        )
      )
      yield* Effect.scoped(runsAContainer).pipe(Effect.provide(
        PodmanApi.layerConfig({ ...PodmanApi.envConfig, socket: Config.succeed(socket) }).pipe(
          Layer.orDie,
          Layer.provide(NodeServices.layer)
        )
      ))
    }).pipe(Effect.scoped),
  60_000
)

it.live(
  "the layer's bounds: a removal slower than removeTimeout is a LayerBound Timeout",
  () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const results = yield* runtime.forceRemove(["ep4-layers-none"])
      assert.isFalse(results[0]!.removed)
      assert.match(Option.getOrThrow(results[0]!.error), /podman did not answer within 1 ms/)
    }).pipe(Effect.provide(Podman.layer({ removeTimeout: "1 millis" }).pipe(Layer.provide(NodeServices.layer)))),
  60_000
)
