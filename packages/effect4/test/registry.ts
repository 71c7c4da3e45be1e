/**
 * The registry the image tests push to and pull from: on the real layers a real one (Debian's
 * `docker-registry`, distribution 2.8) on a free loopback port for as long as the layer, on the
 * model one it declares (`TestRuntime.layer({ registries })`).
 */
import { Context, Effect, Layer, Schedule } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import { spawn } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

export class Registry extends Context.Service<Registry, { readonly host: string }>()("test/Registry") {}

/** A registry on loopback for the scope: its `host:port`. */
export const start = Effect.gen(function*() {
  const root = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "ep4-registry-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  const port = yield* Effect.promise(() => Ports.freePort("127.0.0.1"))
  const config = join(root, "config.yml")
  yield* Effect.promise(() =>
    writeFile(
      config,
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${
        join(root, "data")
      }\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`
    )
  )
  yield* Effect.acquireRelease(
    Effect.sync(() => spawn("docker-registry", ["serve", config], { stdio: "ignore" })),
    (child) => Effect.sync(() => void child.kill("SIGKILL"))
  )
  const host = `127.0.0.1:${port}`
  yield* Effect.tryPromise(() =>
    fetch(`http://${host}/v2/`).then((r) => r.ok ? undefined : Promise.reject(new Error(String(r.status))))
  ).pipe(
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 }),
    Effect.mapError((error) =>
      new Error(`docker-registry did not answer on ${host} (make setup installs it): ${String(error)}`)
    ),
    Effect.orDie
  )
  return host
})

/** A real registry for as long as the layer. */
export const layerLive = Layer.effect(Registry)(Effect.map(start, (host) => ({ host })))

/** What the model declares. */
export const MODEL_REGISTRY = "registry.test:5000"

export const layerModel = Layer.succeed(Registry)({ host: MODEL_REGISTRY })
