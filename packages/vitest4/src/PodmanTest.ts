/**
 * Real podman in `@effect/vitest` 4 tests, for the Effect 4 edition: the live runtime as a layer,
 * a running container per test, or one per block.
 *
 * @since 0.4.0
 */
import { NodeServices } from "@effect/platform-node"
import { layer as vitestLayer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { Context } from "effect"
import type { Scope } from "effect"
import { ContainerRuntime, Podman, PodmanApi } from "effect-podman-4"
import type { ContainerError, ContainerSpec, PodmanError } from "effect-podman-4"

/**
 * Options of the test layer: the backend (`"rest"`: the libpod API on a podman service of the
 * layer's own, the default on a local podman; `"cli"`: one podman process per call, the default
 * for a remote podman given by `url` or `connection`) and the CLI layer's options.
 *
 * @example
 * ```ts
 * import type { PodmanTest } from "effect-podman-vitest-4"
 *
 * const options: PodmanTest.LayerOptions = { backend: "cli", timeout: "20 seconds" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface LayerOptions extends Podman.PodmanOptions {
  readonly backend?: "rest" | "cli" | undefined
}

/**
 * The live `ContainerRuntime` for tests, over `NodeServices`: the REST layer on a podman service
 * of its own (started with the layer, stopped with it), or the CLI layer (`backend: "cli"`, or a
 * remote podman). When the layer is built it runs `sweep` once, removing the containers of earlier
 * test runs that crashed or were killed.
 *
 * @example
 * ```ts
 * import { layer } from "@effect/vitest"
 * import { PodmanTest } from "effect-podman-vitest-4"
 *
 * layer(PodmanTest.layer(), { excludeTestServices: true })("with podman", (it) => {
 *   // it.effect here runs against real podman, on the live clock, in a scope of its own
 * })
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layer = (
  options: LayerOptions = {}
): Layer.Layer<ContainerRuntime.ContainerRuntime, PodmanError.PodmanError> => {
  const { backend, url, ...podman } = options
  const rest = backend === "rest" || (backend === undefined && url === undefined && podman.connection === undefined)
  return Layer.tap(
    (rest ? PodmanApi.layerService(podman) : Podman.layer(url === undefined ? podman : { ...podman, url })).pipe(
      Layer.provide(NodeServices.layer)
    ),
    (context) => Effect.asVoid(Context.get(context, ContainerRuntime.ContainerRuntime).sweep)
  )
}

/**
 * Options of {@link describe}: the layer's (`timeout` bounds each podman call) and `hookTimeout`,
 * vitest's bound on building and closing the layer (default 2 minutes).
 *
 * @example
 * ```ts
 * import type { PodmanTest } from "effect-podman-vitest-4"
 *
 * const options: PodmanTest.DescribeOptions = { timeout: "30 seconds", hookTimeout: "5 minutes" }
 * ```
 *
 * @since 0.4.0
 * @category vitest
 */
export interface DescribeOptions extends LayerOptions {
  readonly hookTimeout?: Duration.Input | undefined
}

/**
 * `describe` with real podman: the block's tests get `ContainerRuntime` and run on the live clock
 * (`it.effect` is scoped in @effect/vitest 4: what a test runs is removed when it ends).
 *
 * @example
 * ```ts
 * import { assert } from "@effect/vitest"
 * import { Effect, Option } from "effect"
 * import { ContainerRuntime } from "effect-podman-4"
 * import { PodmanTest } from "effect-podman-vitest-4"
 *
 * PodmanTest.describe("with podman", (it) => {
 *   it.effect("an absent container has no state", () =>
 *     Effect.gen(function*() {
 *       const runtime = yield* ContainerRuntime.ContainerRuntime
 *       assert.isTrue(Option.isNone(yield* runtime.container("absent").state))
 *     }))
 * })
 * ```
 *
 * @since 0.4.0
 * @category vitest
 */
export const describe = (
  name: string,
  f: (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) => void,
  options: DescribeOptions = {}
): void => {
  const { hookTimeout, ...podman } = options
  vitestLayer(layer(podman), { excludeTestServices: true, timeout: hookTimeout ?? Duration.minutes(2) })(name, f)
}

/**
 * A running container for the current test: `run(spec, options)` in the test's scope, removed
 * when the test ends.
 *
 * @example
 * ```ts
 * import { Wait } from "effect-podman-4"
 * import { PodmanTest } from "effect-podman-vitest-4"
 *
 * const web = PodmanTest.container(
 *   { image: "localhost/web:latest", ports: [{ container: 80 }] },
 *   { wait: Wait.forHttp("/", { port: 80 }) }
 * )
 * ```
 *
 * @since 0.4.0
 * @category containers
 */
export const container = (
  spec: ContainerSpec.ContainerSpecInput,
  options?: ContainerRuntime.RunOptions
): Effect.Effect<
  ContainerRuntime.ManagedContainer,
  PodmanError.PodmanError | ContainerError.SpecError | ContainerError.GpuConfigError | ContainerError.WaitFailed,
  ContainerRuntime.ContainerRuntime | Scope.Scope
> =>
  Effect.gen(function*() {
    const runtime = yield* ContainerRuntime.ContainerRuntime
    return yield* runtime.run(spec, options)
  })

/**
 * A layer holding one running container under your key: provide it to a block (`it.layer`) and
 * every test of the block shares the container, removed after the block.
 *
 * @example
 * ```ts
 * import { Context } from "effect"
 * import type { ContainerRuntime } from "effect-podman-4"
 * import { Wait } from "effect-podman-4"
 * import { PodmanTest } from "effect-podman-vitest-4"
 *
 * class Web extends Context.Service<Web, ContainerRuntime.ManagedContainer>()("test/Web") {}
 *
 * const WebLive = PodmanTest.containerLayer(Web, { image: "localhost/web:latest", ports: [{ container: 80 }] }, {
 *   wait: Wait.forHttp("/", { port: 80 })
 * })
 * ```
 *
 * @since 0.4.0
 * @category containers
 */
export const containerLayer = <Id>(
  key: Context.Key<Id, ContainerRuntime.ManagedContainer>,
  spec: ContainerSpec.ContainerSpecInput,
  options?: ContainerRuntime.RunOptions
): Layer.Layer<
  Id,
  PodmanError.PodmanError | ContainerError.SpecError | ContainerError.GpuConfigError | ContainerError.WaitFailed,
  ContainerRuntime.ContainerRuntime
> => Layer.effect(key)(container(spec, options))
