/**
 * An in-memory `ContainerRuntime` that behaves like podman: a model of images and of containers
 * moving through created → running → exited → removed, with podman's exit codes and messages.
 * The same contract suite runs against it and against `Podman.layer`, so what passes here
 * behaves the same on real podman.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Option, Scope } from "effect"
import type { ExecResult } from "./ContainerRuntime.js"
import { ContainerRuntime } from "./ContainerRuntime.js"
import * as ModelControl from "./internal/modelControl.js"
import * as ModelDriver from "./internal/modelDriver.js"
import * as ModelState from "./internal/modelState.js"
import * as Runtime from "./internal/runtime.js"
import type { PodmanError } from "./PodmanError.js"

/**
 * An image to add to the model.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const image: TestRuntime.ImageFixture = {
 *   name: "api",
 *   labels: { version: "1.2.0" },
 *   command: ["sh", "-c", "echo listening; sleep 3600"],
 *   files: { "/etc/api.conf": "port=8080\n" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ImageFixture {
  /** Its name (`app` becomes `localhost/app:latest`, as podman names local images); none: dangling. */
  readonly name?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The `CreatedBy` of each step, newest first. */
  readonly history?: ReadonlyArray<string> | undefined
  readonly size?: number | undefined
  /** Files in the image (path → content), visible to `cat` in its containers. */
  readonly files?: Readonly<Record<string, string>> | undefined
  /** The image's CMD (default `/bin/sh`, which exits at once without a terminal). */
  readonly command?: ReadonlyArray<string> | undefined
}

/**
 * A container to create in the model.
 *
 * The model runs a few commands itself, both as the main command (its output becomes the log)
 * and in `exec`: `true`, `false`, `echo …`, `cat FILE…`, `sleep N` (on Effect time), and
 * `sh -c` scripts of those joined by `;`, `&&` or newlines, with `>&2` and `exit N`; `httpd` and
 * `sleep infinity` run until stopped. Any other command exits 127, as on podman. Use
 * `scriptExec` / `scriptStdio` for anything else.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman"
 *
 * const worker: TestRuntime.ContainerFixture = { name: "jobs-1", image: "api", command: ["sh", "-c", "exit 2"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ContainerFixture {
  readonly name: string
  /** An image already in the model. */
  readonly image: string
  /** The main command; default: the image's CMD. */
  readonly command?: ReadonlyArray<string> | undefined
  /** Bind mounts. */
  readonly mounts?: ReadonlyArray<{ readonly source: string; readonly destination: string }> | undefined
  /** Labels (merged over the image's). */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** CDI devices (e.g. `nvidia.com/gpu=all`); starting fails with `GpuConfigError` unless `setCdiDevices` lists them. */
  readonly devices?: ReadonlyArray<string> | undefined
}

/**
 * Seeds the model and injects faults.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { PodmanError, TestRuntime } from "effect-podman"
 *
 * const scene = Effect.gen(function*() {
 *   const control = yield* TestRuntime.TestRuntimeControl
 *   yield* control.addImage({ name: "db" })
 *   yield* control.create({ name: "db-1", image: "db", command: ["sleep", "3600"] })
 *   yield* control.scriptExec((_, argv) =>
 *     argv[0] === "pg_isready" ? Option.some({ exitCode: 0, stdout: "accepting connections\n", stderr: "" }) : Option.none()
 *   )
 *   yield* control.failNext(new PodmanError.Timeout({ argv: ["podman", "start", "db-1"], timeoutMillis: 100 }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TestRuntimeControl {
  /** Adds an image; returns its id. */
  readonly addImage: (fixture: ImageFixture) => Effect.Effect<string>
  /** Adds a name to an image (`podman tag`). */
  readonly tagImage: (ref: string, name: string) => Effect.Effect<void, PodmanError>
  /** Creates a container (`podman create`): a missing image or a taken name fails as on podman. */
  readonly create: (fixture: ContainerFixture) => Effect.Effect<void, PodmanError>
  /** Makes a running container's main process exit with `exitCode`. */
  readonly exit: (name: string, exitCode: number) => Effect.Effect<void, PodmanError>
  /** The next operation of the runtime fails with `error` (`forceRemove` reports it per container). */
  readonly failNext: (error: PodmanError) => Effect.Effect<void>
  /** The CDI devices that resolve (as if a CDI spec declared them). */
  readonly setCdiDevices: (devices: ReadonlyArray<string>) => Effect.Effect<void>
  /**
   * What the model's `podman info` reports: CDI spec directories and the rootless network command
   * (podman 5 reports both; the default, like podman 4, reports neither).
   */
  readonly setHostInfo: (info: {
    readonly cdiSpecDirs?: ReadonlyArray<string> | undefined
    readonly rootlessNetworkCmd?: "pasta" | "slirp4netns" | undefined
  }) => Effect.Effect<void>
  /** Answers `exec` calls: `Option.some(result)` overrides the built-in commands. */
  readonly scriptExec: (
    script: (container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>
  ) => Effect.Effect<void>
  /**
   * Answers `execStdio` conversations line by line: for a command it knows, `Option.some(answer)`
   * maps each stdin line to the stdout lines it produces. (`cat` echoes stdin without a script.)
   */
  readonly scriptStdio: (
    script: (
      container: string,
      argv: ReadonlyArray<string>
    ) => Option.Option<(line: string) => ReadonlyArray<string>>
  ) => Effect.Effect<void>
  /** Writes a line to a container's log, as its main process would. */
  readonly log: (name: string, line: string, stream?: "stdout" | "stderr") => Effect.Effect<void, PodmanError>
}

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
  { readonly runtime: ContainerRuntime; readonly control: TestRuntimeControl },
  never,
  Scope.Scope
> =
  Effect.map(ModelState.make, (state) => ({
    runtime: Runtime.make(ModelDriver.make(state)),
    control: ModelControl.make(state)
  }))

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
export const layer: Layer.Layer<ContainerRuntime | TestRuntimeControl> = Layer.scopedContext(
  Effect.map(make, ({ control, runtime }) =>
    Context.make(ContainerRuntime, runtime).pipe(Context.add(TestRuntimeControl, control)))
)
