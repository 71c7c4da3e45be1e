/**
 * The in-memory layer of the Effect 4 edition: a model of podman for unit tests, with no podman and
 * no processes. It answers as podman 4.3 does — the same refusals, reasons, exit codes and words
 * (`effect-podman-shared/PodmanAnswers`, shared with the Effect 3 edition's model) — or dies saying
 * what it cannot do; the contract suite runs every behaviour it claims on the CLI, REST and model
 * layers alike.
 *
 * Its containers run busybox's `true`, `false`, `echo`, `cat`, `sleep`, `httpd`, `env`, `id`,
 * `wget` and `sh -c` scripts of them (`effect-podman-shared/Shell`) on Effect time — so a `sleep`
 * follows the TestClock — and an `httpd` main process serves its image's pages on its published
 * ports for real. Networks, volumes, tmpfs mounts, pods, health checks, GPUs (CDI devices the
 * host resolves), registries a test declares (push, pull, their progress) and builds (`FROM` a
 * held image, `LABEL`, `ARG`, `RUN`, `COPY`, `CMD`, `HEALTHCHECK`) are modelled; bind mounts,
 * restart policies, extra hosts and `extraArgs` are not: a spec with them dies naming the field.
 *
 * @since 0.4.0
 */
import { Context, Effect, Layer } from "effect"
import type { Option, Scope } from "effect"
import type * as ModelFixtures from "effect-podman-shared/ModelFixtures"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type { ExecResult, Service as ContainerRuntimeService } from "./ContainerRuntime.js"
import * as Runtime from "./internal/core/runtime.js"
import * as ModelControl from "./internal/model/control.js"
import type * as Control_ from "./internal/model/control.js"
import type * as Core from "./internal/model/core.js"
import * as Model from "./internal/model/driver.js"
import type { PodmanError } from "./PodmanError.js"

/**
 * An image the model holds: its `name` (a short name, `web`, is matched as podman resolves it,
 * `localhost/web:latest`), default `command`, `labels`, `env` and `workdir`. `executables`, when
 * given, are the only programs it has (a missing one answers as podman's runtime does); `folders`,
 * when given, its only folders besides those holding files (a `cd` or an exec's directory elsewhere
 * fails as on podman); `files` are what its containers start with (`httpd -h /www` serves
 * `/www/index.html`).
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman-4"
 *
 * const web: TestRuntime.ImageFixture = {
 *   name: "localhost/web:latest",
 *   command: ["httpd", "-f", "-p", "80", "-h", "/www"],
 *   files: { "/www/index.html": "<h1>hello</h1>\n" }
 * }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ImageFixture = Core.Image

/**
 * A container a test puts in the model directly (`control.create`), as `podman create` would make
 * it: a missing image or a taken name fails as on podman (nothing is pulled). Its processes run as
 * any container's do (see the module's note); `devices` are CDI devices, and starting fails with
 * `GpuConfigError` unless the host resolves them (`cdiDevices`, `setCdiDevices`). Bind `mounts`
 * are not modelled: the model dies naming them.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman-4"
 *
 * const worker: TestRuntime.ContainerFixture = { name: "jobs-1", image: "localhost/api:latest", command: ["sh", "-c", "exit 2"] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerFixture = ModelFixtures.ContainerFixture

/**
 * Options of the layer: the images it holds (a spec naming another is pulled, as podman does,
 * from the registries declared; with `pull: "never"` it fails as podman does, `NonZeroExit`
 * `NoSuchImage`), the registries it reaches, the CDI devices its host resolves.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman-4"
 *
 * const options: TestRuntime.TestRuntimeOptions = {
 *   images: [{ name: "localhost/app:latest", command: ["sleep", "3600"] }],
 *   registries: ["registry.test:5000"]
 * }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface TestRuntimeOptions {
  readonly images?: ReadonlyArray<ImageFixture> | undefined
  /**
   * The registries its podman reaches, by `host:port` (over HTTP: `tlsVerify: false`), empty at
   * first: a push stores an image there, a pull (or a create of an image not held) takes it back.
   * A registry not declared answers as an unreachable one does (`PullFailed`, connection refused).
   */
  readonly registries?: ReadonlyArray<string> | undefined
  /**
   * The CDI devices the model's host resolves (`nvidia.com/gpu=all`, …): none by default, as on a
   * host without a GPU — a container asking for one then fails to start with `GpuConfigError`.
   */
  readonly cdiDevices?: ReadonlyArray<string> | undefined
  /**
   * What its podman says of its host (`runtime.host`): its CDI spec folders (podman 5+; none by
   * default, as podman 4.3 reports none), its rootless network command (none by default, as for
   * root).
   */
  readonly host?: ModelFixtures.HostFacts | undefined
}

/**
 * What a scripted main process is told: its container, its command, which start this is (1, 2, …)
 * and how to write a log line.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import type { TestRuntime } from "effect-podman-4"
 *
 * // a fake server: it logs that it is ready, then runs until stopped
 * const server = (process: TestRuntime.ProcessContext) =>
 *   process.argv[0] === "my-server" ? Option.some(Effect.andThen(process.log("listening"), Effect.never)) : Option.none()
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type ProcessContext = Control_.ProcessContext

/**
 * Where a fault strikes: an operation (`container.start`, `container.exec`, … — `NonZeroExit`'s
 * operation names), a container, how many times (default 1). Absent: any.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman-4"
 *
 * const target: TestRuntime.FaultTarget = { operation: "container.start", target: "db", times: 2 }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface FaultTarget {
  readonly operation?: string | undefined
  readonly target?: string | undefined
  readonly times?: number | undefined
}

/**
 * What a test tells the model beyond its images: main processes, execs and `execStdio`
 * conversations it scripts (for programs the model does not run), faults (the next calls of an
 * operation fail with an error of the test's choosing, to test error paths), a main process ended
 * with a code, a log line written.
 *
 * @since 0.4.0
 * @category models
 */
export interface Control {
  /** Holds one more image; answers its id. */
  readonly addImage: (fixture: ImageFixture) => Effect.Effect<string>
  /** Adds a name to an image (`podman tag`). */
  readonly tagImage: (ref: string, name: string) => Effect.Effect<void, PodmanError>
  /** Creates a container (`podman create`, never pulling): a missing image or a taken name fails as on podman. */
  readonly create: (fixture: ContainerFixture) => Effect.Effect<void, PodmanError>
  /** Declares one more registry its podman reaches (as the `registries` option does). */
  readonly addRegistry: (host: string) => Effect.Effect<void>
  /** Adds a network, volume or pod (as `podman network|volume|pod create` would); a taken name fails as on podman. */
  readonly addResource: (
    kind: "network" | "volume" | "pod",
    fixture: { readonly name: string; readonly labels?: Readonly<Record<string, string>> | undefined }
  ) => Effect.Effect<void, PodmanError>
  /** The next call of any operation fails with `error` (`fail(error)`). */
  readonly failNext: (error: PodmanError) => Effect.Effect<void>
  /** The CDI devices its host resolves from now on (as the `cdiDevices` option does). */
  readonly setCdiDevices: (devices: ReadonlyArray<string>) => Effect.Effect<void>
  /** What its `podman info` reports from now on (as the `host` option does). */
  readonly setHostInfo: (info: ModelFixtures.HostFacts) => Effect.Effect<void>
  /** A main process answered by the script (the first that answers `Some`); it ends on any signal. */
  readonly scriptProcess: (
    script: (process: ProcessContext) => Option.Option<Effect.Effect<number>>
  ) => Effect.Effect<void>
  /** An exec answered by the script (the first that answers `Some`), before the model runs it. */
  readonly scriptExec: (
    script: (container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>
  ) => Effect.Effect<void>
  /**
   * An `execStdio` conversation answered by the script (the first that answers `Some`): each line
   * of its stdin mapped to the lines it writes to stdout; it exits 0 when stdin ends.
   */
  readonly scriptStdio: (
    script: (container: string, argv: ReadonlyArray<string>) => Option.Option<(line: string) => ReadonlyArray<string>>
  ) => Effect.Effect<void>
  /** The next calls `target` names fail with `error`. */
  readonly fail: (error: PodmanError, target?: FaultTarget) => Effect.Effect<void>
  /** Ends a running container's main process with `exitCode`. */
  readonly exit: (name: string, exitCode: number) => Effect.Effect<void, PodmanError>
  /** Writes a line to a container's log. */
  readonly log: (name: string, line: string, stream?: "stdout" | "stderr") => Effect.Effect<void, PodmanError>
}

/**
 * The model's control: `yield*` it in a test that runs on `TestRuntime.layer`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PodmanError, TestRuntime } from "effect-podman-4"
 *
 * const startsFail = Effect.gen(function*() {
 *   const control = yield* TestRuntime.TestRuntimeControl
 *   yield* control.fail(new PodmanError.NonZeroExit({ reason: { _tag: "Other" }, operation: "container.start", argv: ["podman", "start", "db"], stderr: "Error: boom" }), { operation: "container.start" })
 * })
 * ```
 *
 * @since 0.4.0
 * @category services
 */
export class TestRuntimeControl
  extends Context.Service<TestRuntimeControl, Control>()("effect-podman-4/TestRuntimeControl")
{}

/**
 * The model itself: the service and its control, for a layer of your own (`layer` is this, as a
 * layer). Its containers live as long as the scope (whatever is left is removed when it closes).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TestRuntime } from "effect-podman-4"
 *
 * const states = Effect.scoped(Effect.gen(function*() {
 *   const { runtime } = yield* TestRuntime.make({ images: [{ name: "localhost/app:latest" }] })
 *   return yield* runtime.containerStates("app")
 * }))
 * ```
 *
 * @since 0.4.0
 * @category constructors
 */
export const make = (
  options: TestRuntimeOptions = {}
): Effect.Effect<{ readonly runtime: ContainerRuntimeService; readonly control: Control }, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scripts = ModelControl.empty()
    const { driver, hooks } = yield* Model.make({
      images: options.images ?? [],
      cdiDevices: options.cdiDevices ?? [],
      registries: options.registries ?? [],
      host: options.host ?? {}
    }, scripts)
    const fail = (error: PodmanError, target: FaultTarget = {}) =>
      Effect.sync(() =>
        void scripts.faults.push({
          error,
          operation: target.operation,
          target: target.target,
          remaining: target.times ?? 1
        })
      )
    const control: Control = {
      addImage: hooks.addImage,
      tagImage: (ref, name) => driver.images.tag(ref, name),
      create: (fixture) =>
        hooks.create(
          {
            image: fixture.image,
            command: fixture.command,
            labels: fixture.labels,
            env: fixture.env,
            workdir: fixture.workdir,
            user: fixture.user,
            mounts: fixture.mounts?.map((m) => ({ type: "bind", source: m.source, target: m.destination })),
            pod: fixture.pod
          },
          { name: fixture.name, ports: [], init: fixture.init === true, labels: {} },
          fixture.devices ?? []
        ),
      addRegistry: hooks.addRegistry,
      addResource: (kind, fixture) =>
        driver.resources.create(kind, fixture.name, { labels: fixture.labels ?? {}, internal: false, ports: [] }),
      failNext: (error) => fail(error),
      setCdiDevices: hooks.setCdiDevices,
      setHostInfo: hooks.setHostInfo,
      scriptProcess: (script) => Effect.sync(() => void scripts.process.push(script)),
      scriptExec: (script) => Effect.sync(() => void scripts.exec.push(script)),
      scriptStdio: (script) => Effect.sync(() => void scripts.stdio.push(script)),
      fail,
      exit: hooks.exit,
      log: (name, line, stream = "stdout") => hooks.log(name, line, stream)
    }
    return { runtime: Runtime.make(driver), control }
  })

/**
 * The model as a `ContainerRuntime`: its containers live as long as the layer (whatever is left is
 * removed when it closes).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ContainerRuntime, TestRuntime, Wait } from "effect-podman-4"
 *
 * const Test = TestRuntime.layer({ images: [{ name: "localhost/app:latest" }] })
 *
 * const program = Effect.gen(function*() {
 *   const runtime = yield* ContainerRuntime.ContainerRuntime
 *   const app = yield* runtime.run(
 *     { image: "localhost/app:latest", command: ["sh", "-c", "echo ready; sleep 3600"] },
 *     { wait: Wait.forLog(/ready/) }
 *   )
 *   return yield* app.exec(["echo", "hi"])
 * }).pipe(Effect.scoped, Effect.provide(Test))
 * ```
 *
 * @since 0.4.0
 * @category layers
 */
export const layer = (options: TestRuntimeOptions = {}): Layer.Layer<ContainerRuntime | TestRuntimeControl> =>
  Layer.effectContext(
    Effect.map(
      make(options),
      ({ control, runtime }) => Context.make(ContainerRuntime, runtime).pipe(Context.add(TestRuntimeControl, control))
    )
  )
