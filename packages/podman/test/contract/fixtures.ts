/**
 * What the contract suite needs from a layer to set a scene: containers in a given state and a
 * removable image. Each layer implements it its own way — real `podman create/run` for the live
 * layer, `TestRuntimeControl` for the model — and every fixture is removed when its scope closes.
 */
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { HOST_MODE } from "../../../shared/test/crossEdition/hostMode.js"
import { baseImage, testImage } from "../../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import type { ResourceKind } from "../../src/Resource.js"
import * as TestRuntime from "../../src/TestRuntime.js"
import { podmanRunner } from "../helpers/live.js"
import { registry } from "../helpers/registry.js"

/** The registry the model's tests push to and pull from (declared with `addRegistry`). */
const MODEL_REGISTRY = "registry.test:5000"

export const TEST_IMAGE = "localhost/effect-podman-test:latest"
export const BASE_IMAGE = "localhost/effect-podman-base:latest"

export interface CreateOptions {
  readonly command?: ReadonlyArray<string>
  readonly pod?: string | undefined
  readonly mounts?: ReadonlyArray<{ readonly source: string; readonly destination: string }>
}

export interface Fixtures {
  /** A created (never started) container. */
  readonly created: (name: string, options?: CreateOptions) => Effect.Effect<void, never, Scope.Scope>
  /** A running container (default command: `sleep 3600`, with an init process). */
  readonly running: (name: string, options?: CreateOptions) => Effect.Effect<void, never, Scope.Scope>
  /** A container whose main process exited with `code` (running `command`, by default `sh -c "exit CODE"`). */
  readonly exited: (
    name: string,
    code: number,
    command?: ReadonlyArray<string>
  ) => Effect.Effect<void, never, Scope.Scope>
  /** A created container labelled as made by a session whose process is gone (in `pod`, if given). */
  readonly orphan: (name: string, pod?: string) => Effect.Effect<void, never, Scope.Scope>
  /** A network, volume or pod labelled as made by a session whose process is gone. */
  readonly orphanResource: (kind: ResourceKind, name: string) => Effect.Effect<void, never, Scope.Scope>
  /** A registry reachable over HTTP (`tlsVerify: false`): its `host:port`. */
  readonly registry: string
  /** A fresh tag of the base image; returns its full name. */
  readonly taggedImage: (name: string) => Effect.Effect<string, never, Scope.Scope>
}

export const Fixtures = Context.GenericTag<Fixtures>("test/Fixtures")

/** A name no other test (or concurrent test file) uses. */
export const uniqueName = (label: string): string => `ep-${label}-${Math.random().toString(36).slice(2, 8)}`

/** Session labels of a process that cannot exist (above Linux's pid_max). */
export const DEAD_SESSION = { "effect-podman.session": "dead", "effect-podman.pid": "999999999" }

// The live fixtures run podman through the library's own runner; a real registry runs on loopback
// as long as the layer.
const liveFixtures = Effect.gen(function*() {
  const runner = yield* podmanRunner
  const registryHost = yield* registry
  const podman = (...args: Array<string>) => Effect.orDie(runner.run(args))
  const removeOnClose = (name: string) => Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", name])))
  const create = (name: string, options: CreateOptions = {}, labels: Record<string, string> = {}) =>
    removeOnClose(name).pipe(
      Effect.zipRight(podman(
        "create",
        "--init",
        "--name",
        name,
        ...Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
        ...(options.mounts ?? []).flatMap((m) => ["--volume", `${m.source}:${m.destination}`]),
        ...(options.pod === undefined ? [] : ["--pod", options.pod]),
        TEST_IMAGE,
        ...(options.command ?? [])
      )),
      Effect.asVoid
    )
  return Fixtures.of({
    registry: registryHost,
    created: create,
    orphan: (name, pod) => create(name, { pod }, DEAD_SESSION),
    running: (name, options) => Effect.zipRight(create(name, options), podman("start", name)),
    exited: (name, code, command = ["sh", "-c", `exit ${code}`]) =>
      // `start --attach` returns when the container exits, with the container's exit code
      Effect.zipRight(create(name, { command }), Effect.orDie(runner.exec(["start", "--attach", name]))),
    taggedImage: (name) =>
      Effect.acquireRelease(
        Effect.as(podman("tag", BASE_IMAGE, `localhost/${name}:latest`), `localhost/${name}:latest`),
        (ref) => Effect.ignore(runner.run(["image", "rm", ref]))
      ),
    orphanResource: (kind, name) => {
      const labels = Object.entries(DEAD_SESSION).flatMap(([key, value]) => ["--label", `${key}=${value}`])
      return Effect.acquireRelease(
        podman(...(kind === "pod" ? ["pod", "create", "--name", name, ...labels] : [kind, "create", ...labels, name])),
        () => Effect.ignore(runner.run([kind, "rm", "--force", name]))
      ).pipe(Effect.asVoid)
    }
  })
})

/** The live layer under test, with its fixtures. */
export const LiveLayer = Layer.merge(Podman.layer(), Layer.scoped(Fixtures, liveFixtures)).pipe(
  Layer.provide(NodeContext.layer)
)

/** The REST layer under test (with a podman service of its own), with the live fixtures. */
export const ApiLayer = Layer.merge(PodmanApi.layerService(), Layer.scoped(Fixtures, liveFixtures)).pipe(
  Layer.provide(NodeContext.layer)
)

// What the Containerfile of the test image makes (its description shared with the Effect 4
// edition's model), with what only this edition's model reports (history, size).
const TEST_IMAGE_FIXTURE: TestRuntime.ImageFixture = {
  ...testImage,
  size: 2_023_247
}

const modelFixtures = Effect.gen(function*() {
  const control = yield* TestRuntime.TestRuntimeControl
  const runtime = yield* ContainerRuntime
  yield* control.addImage({ ...baseImage, size: 2_008_152 })
  yield* control.addImage(TEST_IMAGE_FIXTURE)
  const removeOnClose = (name: string) => Effect.addFinalizer(() => runtime.forceRemove([name]))
  const create = (name: string, options: CreateOptions = {}, labels: Record<string, string> = {}) =>
    // as the live fixtures: `podman create --init`
    Effect.zipRight(
      removeOnClose(name),
      Effect.orDie(control.create({ name, image: TEST_IMAGE, labels, init: true, ...options }))
    )
  yield* control.addRegistry(MODEL_REGISTRY)
  // the host the live layers run on: what podman refuses there, the model refuses too
  yield* control.setHostInfo(HOST_MODE)
  return Fixtures.of({
    registry: MODEL_REGISTRY,
    created: create,
    orphan: (name, pod) => create(name, { pod }, DEAD_SESSION),
    running: (name, options) => Effect.zipRight(create(name, options), Effect.orDie(runtime.container(name).start)),
    exited: (name, code, command = ["sh", "-c", `exit ${code}`]) =>
      Effect.zipRight(
        create(name, { command }),
        Effect.orDie(Effect.zipRight(runtime.container(name).start, runtime.container(name).wait()))
      ),
    taggedImage: (name) =>
      Effect.acquireRelease(
        Effect.as(Effect.orDie(control.tagImage(BASE_IMAGE, name)), `localhost/${name}:latest`),
        (ref) => Effect.ignore(runtime.image(ref).remove)
      ),
    orphanResource: (kind, name) => Effect.orDie(control.addResource(kind, { name, labels: DEAD_SESSION }))
  })
})

/** The test layer under test, with its fixtures. */
export const ModelLayer = Layer.effect(Fixtures, modelFixtures).pipe(Layer.provideMerge(TestRuntime.layer))
