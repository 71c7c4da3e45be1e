/**
 * The REST layer of the Effect 4 edition: the libpod API over a kept-alive unix socket, and
 * `layerService`, which starts a podman service of its own when nothing answers (and stops it with
 * the layer). Creates go through libpod's SpecGenerator where it can say the spec; the rest
 * through the CLI in remote mode against the same service.
 *
 * @since 0.4.0
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Duration, Effect, Layer, Schedule } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import type { ChildProcessSpawner } from "effect/process";
import { ChildProcess } from "effect/process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as Api from "./internal/api.js"
import * as Cli from "./internal/cli.js"
import * as Runner from "./internal/runner.js"
import * as Runtime from "./internal/runtime.js"
import type { PodmanOptions } from "./Podman.js"
import { PodmanMissing } from "./PodmanError.js"

/**
 * Options of the REST layer: the socket of a podman service, and the CLI layer's options (the
 * binary serves what the API cannot say, in remote mode against the same service).
 *
 * @example
 * ```ts
 * import type { PodmanApi } from "effect-podman-4"
 *
 * const options: PodmanApi.ApiOptions = { socket: "/run/podman/podman.sock", timeout: "20 seconds" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ApiOptions extends Omit<PodmanOptions, "url"> {
  readonly socket: string
}

/**
 * The REST layer on a running podman service's socket.
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { PodmanApi } from "effect-podman-4"
 *
 * const PodmanRest = PodmanApi.layer({ socket: "/run/podman/podman.sock" }).pipe(Layer.provide(NodeServices.layer))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layer = (options: ApiOptions): Layer.Layer<ContainerRuntime, never, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.effect(ContainerRuntime)(Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const makeRunner = yield* Runner.make
    const timeout = Duration.fromInputUnsafe(options.timeout ?? "30 seconds")
    const runner = makeRunner({
      binary: options.binary ?? "podman",
      globalArgs: ["--url", `unix://${options.socket}`],
      timeout,
      killGrace: Duration.fromInputUnsafe(options.killGrace ?? "2 seconds")
    })
    return Runtime.make(Api.make(http, Cli.make(runner), { socket: options.socket, timeout }))
  })).pipe(Layer.provide(NodeHttpClient.layerUndiciOptions({ connect: { socketPath: options.socket } })))

/** Whether a podman service answers `/_ping` on `socket`. */
const ping = (socket: string) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(HttpClientRequest.get("http://podman/_ping"))
    return response.status === 200
  }).pipe(
    Effect.timeoutOrElse({ duration: "2 seconds", orElse: () => Effect.succeed(false) }),
    Effect.orElseSucceed(() => false),
    Effect.provide(NodeHttpClient.layerUndiciOptions({ connect: { socketPath: socket } }))
  )

/**
 * The REST layer with a podman service of its own when nothing answers on `socket` (default: a
 * fresh path in a temporary folder): `podman system service --time 0 unix://SOCKET` started as a
 * child, waited for, and stopped (SIGTERM, then SIGKILL after `killGrace`) with the layer.
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { PodmanApi } from "effect-podman-4"
 *
 * const PodmanRest = PodmanApi.layerService().pipe(Layer.provide(NodeServices.layer))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layerService = (
  options: Omit<PodmanOptions, "url"> & { readonly socket?: string | undefined } = {}
): Layer.Layer<ContainerRuntime, PodmanMissing, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.unwrap(Effect.gen(function*() {
    const socket = options.socket ?? (yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "effect-podman-service-"))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    ).pipe(Effect.map((dir) => join(dir, "podman.sock"))))
    if (!(yield* ping(socket))) {
      const binary = options.binary ?? "podman"
      const argv = [binary, "system", "service", "--time", "0", `unix://${socket}`]
      const missing = new PodmanMissing({ binary, argv, socket, reason: { _tag: "NoService" } })
      yield* ChildProcess.make(binary, argv.slice(1), {
        extendEnv: true,
        forceKillAfter: options.killGrace ?? "2 seconds",
        stdin: "ignore",
        stdout: "ignore",
        stderr: "ignore"
      }).pipe(Effect.mapError(() => missing))
      yield* ping(socket).pipe(
        Effect.flatMap((up) => up ? Effect.void : Effect.fail(missing)),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 })
      )
    }
    return layer({ ...options, socket })
  }))
