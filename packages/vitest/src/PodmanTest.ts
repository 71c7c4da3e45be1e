/**
 * Real podman in `@effect/vitest` tests: the live runtime as a layer (sweeping what crashed runs
 * left behind, once, when it starts), a running container per test, or one per file.
 *
 * @since 0.1.0
 */
import { NodeContext } from "@effect/platform-node"
import { layer as vitestLayer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Context, Duration, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { ContainerRuntime, Podman } from "effect-podman"
import type { ContainerSpec, PodmanError } from "effect-podman"
import * as PodmanApi from "effect-podman/PodmanApi"

/**
 * Options of {@link layer}: the live layer's, and which one.
 *
 * @example
 * ```ts
 * import type { PodmanTest } from "effect-podman-vitest"
 *
 * const cli: PodmanTest.LayerOptions = { backend: "cli", timeout: "20 seconds" }
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export interface LayerOptions extends Podman.PodmanOptions {
  /**
   * `"rest"`: the libpod API on a podman service of the layer's own, started with it and stopped
   * after it (~0.1 s) — the fastest to a ready container and to every probe after it. `"cli"`: a
   * podman process per call. Default: `"rest"` for a local podman, `"cli"` when `url` or
   * `connection` names another one (`PodmanApi.layer` reaches a remote service directly).
   */
  readonly backend?: "rest" | "cli" | undefined
}

/**
 * The live `ContainerRuntime` for tests, over `NodeContext`: by default the REST layer on a podman
 * service of its own (`PodmanApi.layerService`), the fastest here; the CLI layer (`Podman.layer`)
 * with `backend: "cli"` or for a remote podman. When the layer is built it runs `sweep` once,
 * removing the containers of earlier test runs that crashed or were killed — no reaper sidecar
 * needed.
 *
 * @example
 * ```ts
 * import { layer } from "@effect/vitest"
 * import { PodmanTest } from "effect-podman-vitest"
 *
 * layer(PodmanTest.layer(), { excludeTestServices: true })("with podman", (it) => {
 *   // it.effect / it.scoped here run against real podman, on the live clock
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: LayerOptions = {}
): Layer.Layer<ContainerRuntime.ContainerRuntime, PodmanError.PodmanError> => {
  const { backend, ...podman } = options
  const rest = backend === "rest" ||
    (backend === undefined && podman.url === undefined && podman.connection === undefined)
  return Layer.tap(
    (rest ? PodmanApi.layerService(podman) : Podman.layer(podman)).pipe(Layer.provide(NodeContext.layer)),
    (context) => Effect.asVoid(Context.get(context, ContainerRuntime.ContainerRuntime).sweep)
  )
}

/**
 * A running container for the current test: `run(spec, options)` in the test's scope, removed
 * when the test ends (use it in `it.scoped`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Wait } from "effect-podman"
 * import { PodmanTest } from "effect-podman-vitest"
 *
 * const web = PodmanTest.container(
 *   { image: "localhost/web:latest", ports: [{ container: 80 }] },
 *   { wait: Wait.forHttp("/") }
 * )
 * ```
 *
 * @since 0.1.0
 * @category containers
 */
export const container = (
  spec: ContainerSpec.ContainerSpecInput,
  options?: ContainerRuntime.RunOptions
): Effect.Effect<
  ContainerRuntime.ManagedContainer,
  PodmanError.RunError,
  ContainerRuntime.ContainerRuntime | Scope.Scope
> => Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => runtime.run(spec, options))

/**
 * A layer holding one running container under your tag: provide it to a `describe` block (with
 * `it.layer`) and every test of the block shares the container, removed after the block.
 *
 * @example
 * ```ts
 * import { Context } from "effect"
 * import type { ContainerRuntime } from "effect-podman"
 * import { Wait } from "effect-podman"
 * import { PodmanTest } from "effect-podman-vitest"
 *
 * class Database extends Context.Tag("Database")<Database, ContainerRuntime.ManagedContainer>() {}
 *
 * const DatabaseLive = PodmanTest.containerLayer(Database, { image: "localhost/db:latest", ports: [{ container: 5432 }] }, {
 *   wait: Wait.forLog(/ready to accept connections/)
 * })
 * ```
 *
 * @since 0.1.0
 * @category containers
 */
export const containerLayer = <Id>(
  tag: Context.Tag<Id, ContainerRuntime.ManagedContainer>,
  spec: ContainerSpec.ContainerSpecInput,
  options?: ContainerRuntime.RunOptions
): Layer.Layer<
  Id,
  PodmanError.RunError,
  ContainerRuntime.ContainerRuntime
> => Layer.scoped(tag, container(spec, options))

/**
 * Options of {@link describe}: the live layer's (`timeout` is the bound of each podman call, as in
 * `Podman.layer`), and `hookTimeout`, vitest's bound on building the layer and closing it (the
 * hooks that pull, start and remove containers; default 2 minutes).
 *
 * @example
 * ```ts
 * import type { PodmanTest } from "effect-podman-vitest"
 *
 * const options: PodmanTest.DescribeOptions = { timeout: "30 seconds", hookTimeout: "5 minutes" }
 * ```
 *
 * @since 0.3.0
 * @category vitest
 */
export interface DescribeOptions extends LayerOptions {
  readonly hookTimeout?: Duration.DurationInput | undefined
}

/**
 * `describe` with real podman: the block's tests get `ContainerRuntime` from {@link layer} and run
 * on the live clock (where timeouts fire), with a generous hook timeout for image work. The
 * options' `timeout` bounds each podman call; `hookTimeout` bounds vitest's hooks — two values,
 * never one doing both jobs.
 *
 * @example
 * ```ts
 * import { assert } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { ContainerRuntime } from "effect-podman"
 * import { PodmanTest } from "effect-podman-vitest"
 *
 * PodmanTest.describe("images", (it) => {
 *   it.effect("the test image is there", () =>
 *     Effect.gen(function*() {
 *       const runtime = yield* ContainerRuntime.ContainerRuntime
 *       assert.isTrue(yield* runtime.image("localhost/effect-podman-test:latest").exists)
 *     }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category vitest
 */
export const describe = (
  name: string,
  f: (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime, true>) => void,
  options: DescribeOptions = {}
): void => {
  const { hookTimeout, ...podman } = options
  vitestLayer(layer(podman), { excludeTestServices: true, timeout: hookTimeout ?? Duration.minutes(2) })(name, f)
}
