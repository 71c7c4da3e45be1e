/**
 * An in-memory `ContainerRuntime` that behaves like podman: a model of images and of containers
 * moving through created → running → exited → removed, with podman's exit codes and messages.
 * The same contract suite runs against it and against `Podman.layer`, so what passes here
 * behaves the same on real podman.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import type * as ModelFixtures from "effect-podman-shared/ModelFixtures"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as Runtime from "./internal/core/handles.js"
import * as ModelControl from "./internal/model/control.js"
import type { Control, ImageFixture } from "./internal/model/control.js"
import * as ModelDriver from "./internal/model/driver.js"
import * as ModelState from "./internal/model/state.js"

export type {
  /** @since 0.1.0 */
  ContainerFixture,
  /** @since 0.4.0 */
  Control,
  /** @since 0.3.0 */
  FaultTarget,
  /** @since 0.1.0 */
  ImageFixture,
  /** @since 0.3.0 */
  ProcessContext
} from "./internal/model/control.js"

/**
 * What a test can do to the model: add images and containers, make a main process exit, inject
 * faults, declare CDI devices, script `exec` answers, write log lines (each member is documented
 * where it is declared).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TestRuntime } from "effect-podman"
 *
 * const seed = (control: TestRuntime.TestRuntimeControl) =>
 *   Effect.zipRight(control.addImage({ name: "app" }), control.create({ name: "web-1", image: "app" }))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the public name of the model's control
export interface TestRuntimeControl extends Control {}

/**
 * The tag of {@link TestRuntimeControl}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, TestRuntime } from "effect-podman"
 *
 * const program = Effect.gen(function*() {
 *   const control = yield* TestRuntime.TestRuntimeControl
 *   yield* control.addImage({ name: "app", labels: { tier: "web" } })
 *   yield* control.create({ name: "web-1", image: "app" })
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   yield* runtime.container("web-1").start
 *   return yield* runtime.containerStates("web") // Map { "web-1" => "running" }
 * }).pipe(Effect.provide(TestRuntime.layer))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const TestRuntimeControl: Context.Tag<TestRuntimeControl, TestRuntimeControl> = Context.GenericTag<
  TestRuntimeControl
>("effect-podman/TestRuntimeControl")

/**
 * Makes a fresh model: the runtime and its control. Containers' processes run in the scope, and
 * stop when it closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TestRuntime } from "effect-podman"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const { runtime, control } = yield* TestRuntime.make
 *     yield* control.addImage({ name: "app" })
 *     return yield* runtime.image("app").exists // true
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  { readonly runtime: ContainerRuntime.Service; readonly control: TestRuntimeControl },
  never,
  Scope.Scope
> = Effect.map(ModelState.make, (state) => ({
  runtime: Runtime.make(ModelDriver.make(state)),
  control: ModelControl.make(state)
}))

/**
 * What a fresh model starts with: the images it holds, the registries it reaches (by `host:port`,
 * over HTTP), the CDI devices its host resolves and what its `podman info` reports — the options
 * `TestRuntime.layer` takes in the Effect 4 edition; here `layerWith` and `makeWith` take them.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const options: TestRuntime.TestRuntimeOptions = {
 *   images: [{ name: "localhost/app:latest", command: ["sleep", "3600"], env: { MODE: "test" } }],
 *   registries: ["registry.test:5000"]
 * }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface TestRuntimeOptions {
  readonly images?: ReadonlyArray<ImageFixture> | undefined
  /** Registries a push stores in and a pull takes from (`addRegistry`). */
  readonly registries?: ReadonlyArray<string> | undefined
  /** CDI devices that resolve (`setCdiDevices`): none by default, as on a host without a GPU. */
  readonly cdiDevices?: ReadonlyArray<string> | undefined
  /** What its `podman info` reports (`setHostInfo`): neither field by default, as podman 4. */
  readonly host?: ModelFixtures.HostFacts | undefined
}

/**
 * `make`, starting from `options`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TestRuntime } from "effect-podman"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const { runtime } = yield* TestRuntime.makeWith({ images: [{ name: "app" }] })
 *     return yield* runtime.image("app").exists // true
 *   })
 * )
 * ```
 *
 * @since 0.4.0
 * @category constructors
 */
export const makeWith = (options: TestRuntimeOptions): Effect.Effect<
  { readonly runtime: ContainerRuntime.Service; readonly control: TestRuntimeControl },
  never,
  Scope.Scope
> =>
  Effect.tap(make, ({ control }) =>
    Effect.all([
      Effect.forEach([...(options.images ?? [])].reverse(), control.addImage),
      Effect.forEach(options.registries ?? [], control.addRegistry),
      control.setCdiDevices(options.cdiDevices ?? []),
      options.host === undefined ? Effect.void : control.setHostInfo(options.host)
    ], { discard: true }))

/**
 * A layer with a fresh model holding what `options` give (`layer` is `layerWith({})`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, TestRuntime } from "effect-podman"
 *
 * const Test = TestRuntime.layerWith({ images: [{ name: "localhost/app:latest", command: ["sleep", "3600"] }] })
 *
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.image("app").exists).pipe(
 *   Effect.provide(Test)
 * ) // true
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layerWith = (options: TestRuntimeOptions): Layer.Layer<ContainerRuntime | TestRuntimeControl> =>
  Layer.scopedContext(
    Effect.map(
      makeWith(options),
      ({ control, runtime }) => Context.make(ContainerRuntime, runtime).pipe(Context.add(TestRuntimeControl, control))
    )
  )

/**
 * A layer with a fresh, empty model: `ContainerRuntime` and `TestRuntimeControl`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, TestRuntime } from "effect-podman"
 *
 * const program = Effect.flatMap(ContainerRuntime.ContainerRuntime, (rt) => rt.container("nope").state).pipe(
 *   Effect.provide(TestRuntime.layer)
 * ) // Option.none()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ContainerRuntime | TestRuntimeControl> = layerWith({})
