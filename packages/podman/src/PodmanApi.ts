/**
 * A second live `ContainerRuntime`: the libpod REST API over a unix socket, for callers who probe
 * often (dashboards, schedulers, test suites with hundreds of containers). An inspect over a
 * kept-alive socket costs a few milliseconds where spawning `podman` costs tens. `execStdio` runs
 * over a hijacked (upgraded) connection and `copyIn` through the archive endpoint. What remains
 * (create, health checks, host info) goes through the podman CLI in remote mode against the same
 * socket, so both halves see one podman.
 *
 * Import it from `effect-podman/PodmanApi` (it needs `@effect/platform-node`, an optional peer
 * dependency, which the package root does not load).
 *
 * @since 0.1.0
 */
import type { CommandExecutor } from "@effect/platform"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Config, Duration, Effect, Layer, Option, Schedule } from "effect"
import type { ConfigError, Scope } from "effect"
import * as Endpoint from "effect-podman-shared/Endpoint"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Agent, upgrade } from "undici"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as ApiDriver from "./internal/api/driver.js"
import * as PodmanDriver from "./internal/cli/driver.js"
import { driverTimeouts, runnerConfig } from "./internal/cli/options.js"
import * as Runner from "./internal/cli/runner.js"
import * as Runtime from "./internal/core/handles.js"
import * as Podman from "./Podman.js"
import type { PodmanOptions } from "./Podman.js"
import { NonZeroExit, PodmanMissing, Timeout } from "./PodmanError.js"
import type { InvalidArgument } from "./PodmanError.js"

/**
 * Options of the REST layer: where the service listens — a unix `socket` path, or a `url`
 * `tcp://HOST:PORT` — and the CLI options for the remote-mode half.
 *
 * @example
 * ```ts
 * import type * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const local: PodmanApi.PodmanApiOptions = { socket: "/run/podman/podman.sock" }
 * const remote: PodmanApi.PodmanApiOptions = { url: "tcp://127.0.0.1:8888" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PodmanApiOptions =
  & PodmanOptions
  & (
    | { readonly socket: string }
    | { readonly url: string; readonly socket?: undefined }
  )

/** The HTTP origin, the CLI's `--url`, and undici's connect options, for a socket or a TCP URL. */

/**
 * Makes the REST runtime over `socket`. The HTTP connection pool is closed with the scope.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const runtime = yield* PodmanApi.make({ socket: "/run/podman/podman.sock" })
 *     return yield* runtime.container("web").state
 *   })
 * ).pipe(Effect.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: PodmanApiOptions
): Effect.Effect<ContainerRuntime.Service, never, CommandExecutor.CommandExecutor | Scope.Scope> =>
  Effect.gen(function*() {
    const endpoint = Endpoint.serviceEndpoint(options)
    const dispatcher = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new Agent({
          ...(endpoint.socketPath === undefined ? {} : { connect: { socketPath: endpoint.socketPath } }),
          keepAliveTimeout: 30_000
        })
      ),
      (agent) => Effect.promise(() => agent.close())
    )
    const runner = yield* Runner.make(runnerConfig({ ...options, url: endpoint.cliUrl }))
    const timeouts = driverTimeouts(options)
    return Runtime.make(
      // the platform's own client spans keep each response, and with it the request's body (an
      // exec's environment): this layer traces its calls itself, with redacted attributes only
      ApiDriver.make(
        HttpClient.withTracerDisabledWhen(NodeHttpClient.makeUndici(dispatcher), () => true),
        PodmanDriver.make(runner, timeouts),
        {
          origin: endpoint.origin,
          endpoint: endpoint.endpoint,
          upgrade: (path) =>
            Effect.acquireRelease(
              Effect.tryPromise({
                try: () =>
                  upgrade(
                    `${endpoint.origin}${path}`,
                    {
                      dispatcher,
                      method: "POST",
                      protocol: "tcp",
                      headers: { "content-type": "application/json" },
                      // podman wants the JSON body; undici sends it, though its upgrade types omit `body`
                      body: JSON.stringify({ Detach: false, Tty: false })
                    } as Parameters<typeof upgrade>[1]
                  ),
                catch: (error) => error as NodeJS.ErrnoException
              }).pipe(
                Effect.map((upgraded) => upgraded.socket),
                Effect.mapError((error) =>
                  error.code === "ECONNREFUSED" || error.code === "ENOENT"
                    ? new PodmanMissing({ binary: "podman", socket: endpoint.endpoint, argv: ["POST", path] })
                    : new NonZeroExit({
                      operation: "container.exec",
                      argv: ["POST", path],
                      stderr: `Error: ${error.message}`
                    })
                )
              ),
              (socket) => Effect.sync(() => socket.destroy())
            ),
          timeout: runnerConfig(options).timeout,
          stopBuffer: timeouts.stopBuffer
        }
      )
    )
  })

/**
 * The REST layer over an existing podman service: a unix socket, or `url: "tcp://HOST:PORT"`
 * (a remote podman; the CLI half uses the same URL).
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const PodmanRest = PodmanApi.layer({ socket: "/run/podman/podman.sock" }).pipe(Layer.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: PodmanApiOptions
): Layer.Layer<ContainerRuntime, never, CommandExecutor.CommandExecutor> =>
  Layer.scoped(ContainerRuntime, make(options))

/**
 * Whether a podman service answers `/_ping` on `socket`: `false` when nothing listens, `Timeout`
 * when something accepts and stays silent past `bound` (it is not podman, or it is hung).
 */
const ping = (socket: string, bound: Duration.Duration): Effect.Effect<boolean, Timeout> =>
  Effect.acquireUseRelease(
    Effect.sync(() => new Agent({ connect: { socketPath: socket } })),
    (agent) =>
      NodeHttpClient.makeUndici(agent).execute(HttpClientRequest.get("http://podman/_ping")).pipe(
        Effect.map((response) => response.status === 200),
        Effect.orElseSucceed(() => false),
        Effect.timeoutFail({
          duration: bound,
          onTimeout: () =>
            new Timeout({ argv: ["GET", `unix://${socket}/_ping`], timeoutMillis: Duration.toMillis(bound) })
        })
      ),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * The REST layer with its own podman service: when nothing answers on `socket` (default: a fresh
 * path in a fresh folder under `$XDG_RUNTIME_DIR`, else the temporary folder), it starts
 * `podman system service --time 0 unix://SOCKET` as a
 * child of this process, waits until it answers, and stops it when the layer's scope closes.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const PodmanRest = PodmanApi.layerService().pipe(Layer.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerService = (
  options: PodmanOptions & { readonly socket?: string | undefined } = {}
): Layer.Layer<ContainerRuntime, PodmanMissing | InvalidArgument | Timeout, CommandExecutor.CommandExecutor> =>
  Layer.scoped(
    ContainerRuntime,
    Effect.gen(function*() {
      const socket = options.socket ?? (yield* Effect.acquireRelease(
        Effect.promise(() =>
          mkdtemp(join(Endpoint.serviceSocketParent(process.env, tmpdir()), "effect-podman-service-"))
        ),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      ).pipe(Effect.map((dir) => join(dir, "podman.sock"))))
      const config = runnerConfig(options)
      // something that accepts and never answers is not taken over: it fails with Timeout
      if (!(yield* ping(socket, config.timeout))) {
        const runner = yield* Runner.make(config)
        // a scratch TMPDIR for the service's own temporary files (a pull its client abandoned),
        // removed after the service stops
        const { env } = yield* Runner.scratch
        yield* runner.start(["system", "service", "--time", "0", `unix://${socket}`], { env })
        const startup = driverTimeouts(options).start
        yield* ping(socket, Duration.seconds(2)).pipe(
          Effect.filterOrFail((up) => up, () => "not yet"),
          Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo(startup))),
          Effect.mapError(() =>
            new PodmanMissing({
              binary: options.binary ?? "podman",
              socket,
              argv: ["podman", "system", "service", "--time", "0", `unix://${socket}`],
              reason: "NoService"
            })
          )
        )
      }
      return yield* make({ ...options, socket })
    })
  )

/** The options of {@link layerService}. */
type ServiceOptions = PodmanOptions & { readonly socket?: string | undefined }

/**
 * Every option of {@link layerService} read from the environment: `Podman.envConfig`'s variables,
 * and `PODMAN_SOCKET` (the socket to use, or to start a service on).
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const socketOnly = Config.all(PodmanApi.envConfig).pipe(Config.map((options) => options.socket))
 * ```
 *
 * @since 0.2.0
 * @category config
 */
export const envConfig: { readonly [K in keyof Required<ServiceOptions>]: Config.Config<ServiceOptions[K]> } = {
  ...Podman.envConfig,
  socket: Config.map(Config.option(Config.string("PODMAN_SOCKET")), Option.getOrUndefined)
}

/**
 * {@link layerService}, configured from `Config` (the `PgClient.layerConfig` shape); by default
 * from the environment ({@link envConfig}).
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import * as PodmanApi from "effect-podman/PodmanApi"
 *
 * const PodmanRest = PodmanApi.layerConfig().pipe(Layer.provide(NodeContext.layer))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<ServiceOptions> = envConfig
): Layer.Layer<
  ContainerRuntime,
  ConfigError.ConfigError | PodmanMissing | InvalidArgument | Timeout,
  CommandExecutor.CommandExecutor
> => Layer.unwrapEffect(Effect.map(Config.unwrap(config), layerService))
