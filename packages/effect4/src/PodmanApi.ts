/**
 * The REST layer of the Effect 4 edition: the libpod API over a kept-alive unix socket, and
 * `layerService`, which starts a podman service of its own when nothing answers (and stops it with
 * the layer). Creates go through libpod's SpecGenerator where it can say the spec; the rest
 * through the CLI in remote mode against the same service.
 *
 * @since 0.4.0
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Config, Effect, Layer, Option, Schedule } from "effect"
import * as Endpoint from "effect-podman-shared/Endpoint"
import { HttpClient, HttpClientRequest } from "effect/http"
import type { ChildProcessSpawner } from "effect/process"
import { ChildProcess } from "effect/process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type * as ContainerRuntimeModule from "./ContainerRuntime.js"
import * as Api from "./internal/api/driver.js"
import * as Cli from "./internal/cli/driver.js"
import * as Runner from "./internal/cli/runner.js"
import * as Options from "./internal/core/options.js"
import * as Runtime from "./internal/core/runtime.js"
import * as Podman from "./Podman.js"
import type { PodmanOptions } from "./Podman.js"
import { PodmanMissing } from "./PodmanError.js"

/**
 * Options of the REST layer: where the podman service is — its unix `socket`, or a `url`
 * (`unix:///path`, `tcp://host:port`) — and the CLI layer's options (the binary serves what the
 * API cannot say, in remote mode against the same service).
 *
 * @example
 * ```ts
 * import type { PodmanApi } from "effect-podman-4"
 *
 * const local: PodmanApi.PodmanApiOptions = { socket: "/run/podman/podman.sock", timeout: "20 seconds" }
 * const remote: PodmanApi.PodmanApiOptions = { url: "tcp://10.0.0.5:8888" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type PodmanApiOptions =
  & PodmanOptions
  & (
    | { readonly socket: string }
    | { readonly url: string; readonly socket?: undefined }
  )

/**
 * The service over the `HttpClient` in the context (one that reaches the service: for a socket,
 * undici with `connect.socketPath`, as `layer` provides) and a `ChildProcessSpawner`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { PodmanApi } from "effect-podman-4"
 *
 * const states = Effect.flatMap(PodmanApi.make({ socket: "/run/podman/podman.sock" }), (runtime) => runtime.containerStates("myapp")).pipe(
 *   Effect.provide(NodeHttpClient.layerUndiciOptions({ connect: { socketPath: "/run/podman/podman.sock" } }))
 * )
 * ```
 *
 * @since 0.4.0
 * @category constructors
 */
export const make = (
  options: PodmanApiOptions
): Effect.Effect<
  ContainerRuntimeModule.Service,
  never,
  ChildProcessSpawner.ChildProcessSpawner | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const endpoint = Endpoint.serviceEndpoint(options)
    const client = yield* HttpClient.HttpClient
    // requests name the service `http://podman`; a tcp service is reached at its own origin
    const origin = endpoint.origin
    const http = endpoint.socketPath !== undefined
      ? client
      : HttpClient.mapRequest(client, HttpClientRequest.updateUrl((url) => url.replace(/^http:\/\/podman\b/, origin)))
    const makeRunner = yield* Runner.make
    const config = Options.runnerConfig({ ...options, url: endpoint.cliUrl })
    return Runtime.make(
      Api.make(http, Cli.make(makeRunner(config), Options.timeouts(options)), {
        socket: endpoint.endpoint,
        timeout: config.timeout
      })
    )
  })

/**
 * The REST layer on a running podman service: its socket, or a `url`. It provides the Node
 * `HttpClient` (undici) reaching it; use `make` to bring your own.
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
export const layer = (
  options: PodmanApiOptions
): Layer.Layer<ContainerRuntime, never, ChildProcessSpawner.ChildProcessSpawner> => {
  const socketPath = Endpoint.serviceEndpoint(options).socketPath
  return Layer.effect(ContainerRuntime)(make(options)).pipe(
    Layer.provide(NodeHttpClient.layerUndiciOptions(socketPath === undefined ? {} : { connect: { socketPath } }))
  )
}

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
 * fresh path under `$XDG_RUNTIME_DIR`, else the temporary folder): `podman system service --time 0 unix://SOCKET` started as a
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
  options: ServiceOptions = {}
): Layer.Layer<ContainerRuntime, PodmanMissing, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.unwrap(Effect.gen(function*() {
    const socket = options.socket ?? (yield* Effect.acquireRelease(
      Effect.promise(() =>
        mkdtemp(join(Endpoint.serviceSocketParent(process.env, tmpdir()), "effect-podman-service-"))
      ),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    ).pipe(Effect.map((dir) => join(dir, "podman.sock"))))
    if (!(yield* ping(socket))) {
      const binary = options.binary ?? "podman"
      const argv = [binary, "system", "service", "--time", "0", `unix://${socket}`]
      const missing = new PodmanMissing({ binary, argv, socket, reason: { _tag: "NoService" } })
      // a scratch TMPDIR for the service's own temporary files (a pull its client abandoned),
      // removed after the service stops
      const { env } = yield* Runner.scratch
      yield* ChildProcess.make(binary, argv.slice(1), {
        env,
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

/**
 * The options of `layerService`: the CLI layer's, and the socket to serve on (or find a service on).
 *
 * @example
 * ```ts
 * import type { PodmanApi } from "effect-podman-4"
 *
 * const options: PodmanApi.ServiceOptions = { socket: "/run/user/1000/podman/podman.sock" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ServiceOptions = Omit<PodmanOptions, "url"> & { readonly socket?: string | undefined }

/**
 * `Podman.envConfig`'s variables, and `PODMAN_SOCKET`: the socket of a podman service (one is
 * started there when none answers).
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { PodmanApi } from "effect-podman-4"
 *
 * const here = PodmanApi.layerConfig({ ...PodmanApi.envConfig, socket: Config.succeed("/run/podman/podman.sock") })
 * ```
 *
 * @since 0.4.0
 * @category config
 */
export const envConfig: { readonly [K in keyof Required<ServiceOptions>]: Config.Config<ServiceOptions[K]> } = {
  binary: Podman.envConfig.binary,
  connection: Podman.envConfig.connection,
  root: Podman.envConfig.root,
  runroot: Podman.envConfig.runroot,
  timeout: Podman.envConfig.timeout,
  startTimeout: Podman.envConfig.startTimeout,
  stopBuffer: Podman.envConfig.stopBuffer,
  removeTimeout: Podman.envConfig.removeTimeout,
  killGrace: Podman.envConfig.killGrace,
  socket: Config.map(Config.option(Config.String("PODMAN_SOCKET")), Option.getOrUndefined)
}

/**
 * `layerService` with its options read from `Config` (default: `envConfig`).
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { PodmanApi } from "effect-podman-4"
 *
 * const PodmanRest = PodmanApi.layerConfig().pipe(Layer.provide(NodeServices.layer))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Wrap<ServiceOptions> = envConfig
): Layer.Layer<ContainerRuntime, Config.ConfigError | PodmanMissing, ChildProcessSpawner.ChildProcessSpawner> =>
  Layer.unwrap(Effect.gen(function*() {
    return layerService(yield* Config.unwrap(config))
  }))
