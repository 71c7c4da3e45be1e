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
 * ports for real. Networks, volumes, tmpfs mounts, pods, health checks and GPUs (CDI devices the
 * host resolves) are modelled; bind mounts, restart policies, extra hosts and `extraArgs` are not:
 * a spec with them dies naming the field.
 *
 * @since 0.4.0
 */
import { Effect, Layer } from "effect"
import { ContainerRuntime } from "./ContainerRuntime.js"
import type * as Core from "./internal/model/core.js"
import * as Model from "./internal/model/driver.js"
import * as Runtime from "./internal/runtime.js"

/**
 * An image the model holds: its `name` (a short name, `web`, is matched as podman resolves it,
 * `localhost/web:latest`), default `command`, `labels`, `env` and `workdir`. `executables`, when
 * given, are the only programs it has (a missing one answers as podman's runtime does); `files`
 * are what its containers start with (`httpd -h /www` serves `/www/index.html`).
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
 * Options of the layer: the images it holds (a spec naming another dies saying so; with `pull:
 * "never"` it fails as podman does, `NonZeroExit` `NoSuchImage`; it holds no registry, so a pull
 * dies saying so), and the CDI devices its host resolves.
 *
 * @example
 * ```ts
 * import type { TestRuntime } from "effect-podman-4"
 *
 * const options: TestRuntime.TestRuntimeOptions = { images: [{ name: "localhost/app:latest", command: ["sleep", "3600"] }] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface TestRuntimeOptions {
  readonly images?: ReadonlyArray<ImageFixture> | undefined
  /**
   * The CDI devices the model's host resolves (`nvidia.com/gpu=all`, …): none by default, as on a
   * host without a GPU — a container asking for one then fails to start with `GpuConfigError`.
   */
  readonly cdiDevices?: ReadonlyArray<string> | undefined
}

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
export const layer = (options: TestRuntimeOptions = {}): Layer.Layer<ContainerRuntime> =>
  Layer.effect(ContainerRuntime)(Effect.map(Model.make(options.images ?? [], options.cdiDevices ?? []), Runtime.make))
