/**
 * The test driver: the `Driver` primitives over the in-memory model, plus the control surface
 * that seeds fixtures and injects faults.
 *
 * @internal
 */
import { Deferred, Effect, Option } from "effect"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { basename, join, relative } from "node:path"
import type { ContainerRemoveResult, ExecResult } from "../ContainerRuntime.js"
import { classifyGpuError } from "../Gpu.js"
import { NonZeroExit } from "../PodmanError.js"
import type { GpuConfigError, PodmanError } from "../PodmanError.js"
import type { Driver } from "./driver.js"
import * as Model from "./model.js"
import type { ModelContainer, ModelImage } from "./model.js"

/** @internal */
export interface ImageFixture {
  readonly name?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly history?: ReadonlyArray<string> | undefined
  readonly size?: number | undefined
  readonly files?: Readonly<Record<string, string>> | undefined
}

/** @internal */
export interface ContainerFixture {
  readonly name: string
  readonly image: string
  readonly command?: ReadonlyArray<string> | undefined
  readonly mounts?: ReadonlyArray<{ readonly source: string; readonly destination: string }> | undefined
  readonly devices?: ReadonlyArray<string> | undefined
}

/** @internal */
export type ExecScript = (container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>

/** @internal */
export interface Control {
  readonly addImage: (fixture: ImageFixture) => Effect.Effect<string>
  readonly tagImage: (ref: string, name: string) => Effect.Effect<void, PodmanError>
  readonly create: (fixture: ContainerFixture) => Effect.Effect<void, PodmanError>
  readonly exit: (name: string, exitCode: number) => Effect.Effect<void, PodmanError>
  readonly failNext: (error: PodmanError) => Effect.Effect<void>
  readonly setCdiDevices: (devices: ReadonlyArray<string>) => Effect.Effect<void>
  readonly scriptExec: (script: ExecScript) => Effect.Effect<void>
}

/** Reads a host path as `[relative path, content]` pairs (a file: one pair). */
const readHost = (src: string): Option.Option<{ isDirectory: boolean; entries: Array<readonly [string, string]> }> => {
  const stat = statSync(src, { throwIfNoEntry: false })
  if (stat === undefined) return Option.none()
  if (!stat.isDirectory()) return Option.some({ isDirectory: false, entries: [[basename(src), readFileSync(src, "utf8")]] })
  const entries: Array<readonly [string, string]> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else entries.push([relative(src, path), readFileSync(path, "utf8")])
    }
  }
  walk(src)
  return Option.some({ isDirectory: true, entries })
}

/** @internal */
export const make = (): Effect.Effect<{ readonly driver: Driver; readonly control: Control }> =>
  Effect.sync(() => {
    const images: Array<ModelImage> = []
    const containers = new Map<string, ModelContainer>()
    let fault = Option.none<PodmanError>()
    let cdiDevices: ReadonlyArray<string> = []
    let script: ExecScript = () => Option.none()

    /** Every primitive first takes a pending injected fault. */
    const guarded = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | PodmanError> =>
      Effect.suspend(() => {
        const pending = fault
        fault = Option.none()
        return Option.match(pending, {
          onNone: (): Effect.Effect<A, E | PodmanError> => effect,
          onSome: (error) => Effect.fail(error)
        })
      })

    const findImage = (ref: string) =>
      Option.fromNullable(
        images.find((image) => Model.imageCandidates(ref).some((name) => image.names.includes(name))) ??
          images.find((image) => ref.length >= 3 && image.id.startsWith(ref))
      )
    const findContainer = (name: string) =>
      Option.fromNullable(
        containers.get(name) ?? [...containers.values()].find((c) => name.length >= 3 && c.id.startsWith(name))
      )
    const onContainer = <A, E>(
      argv: ReadonlyArray<string>,
      name: string,
      f: (c: ModelContainer) => Effect.Effect<A, E>
    ) =>
      Effect.suspend(() =>
        Option.match(findContainer(name), {
          onNone: (): Effect.Effect<A, E | NonZeroExit> => Effect.fail(Model.noSuchContainer(argv, name)),
          onSome: f
        })
      )
    const onImage = <A>(argv: ReadonlyArray<string>, ref: string, f: (image: ModelImage) => A) =>
      Effect.suspend(() =>
        Option.match(findImage(ref), {
          onNone: () => Effect.fail(Model.noSuchImage(argv, ref)),
          onSome: (image) => Effect.sync(() => f(image))
        })
      )
    const withContainer = <A, E>(
      argv: ReadonlyArray<string>,
      name: string,
      f: (c: ModelContainer) => Effect.Effect<A, E>
    ) => guarded(onContainer(argv, name, f))
    const withImage = <A>(argv: ReadonlyArray<string>, ref: string, f: (image: ModelImage) => A) =>
      guarded(onImage(argv, ref, f))

    const finish = (container: ModelContainer, exitCode: number) =>
      Effect.suspend(() => {
        if (container.state !== "running") return Effect.void
        container.state = "exited"
        container.exitCode = exitCode
        return Deferred.succeed(container.exited, exitCode)
      })

    const start = (container: ModelContainer): Effect.Effect<void, GpuConfigError | NonZeroExit> =>
      Effect.gen(function*() {
        if (container.state === "running") return
        const unresolved = container.devices.filter((device) => !cdiDevices.includes(device))
        if (unresolved.length > 0) {
          const stderr = `Error: setting up CDI devices: unresolvable CDI devices ${unresolved.join(", ")}`
          return yield* Option.getOrElse(
            classifyGpuError(stderr, ["podman", "start", container.name]),
            () => new NonZeroExit({ argv: ["podman", "start", container.name], exitCode: 125, stderr })
          )
        }
        container.state = "running"
        container.startedAt = Option.some(new Date())
        container.exited = yield* Deferred.make<number>()
        const outcome = Model.interpret(container.command, container.files)
        if (outcome._tag === "Done") return yield* finish(container, outcome.result.exitCode)
        if (Option.isSome(outcome.seconds)) {
          yield* Effect.forkDaemon(Effect.delay(finish(container, 0), `${outcome.seconds.value} seconds`))
        }
      })

    const remove = (name: string): ContainerRemoveResult => {
      Option.map(findContainer(name), (container) => {
        containers.delete(container.name)
        Deferred.unsafeDone(container.exited, Effect.succeed(137))
      })
      return { name, removed: true, error: Option.none() }
    }

    const driver: Driver = {
      loginPrefix: ["podman"],
      inspectContainer: (name, _options) =>
        guarded(Effect.sync(() =>
          Option.map(findContainer(name), (c) => ({
            id: c.id,
            name: c.name,
            state: c.state,
            imageName: c.imageName,
            startedAt: c.startedAt,
            mounts: c.mounts,
            rwSize: Option.some(c.rwSize)
          }))
        )),
      startContainer: (name) => withContainer(["start", name], name, start),
      stopContainer: (name, _seconds) => withContainer(["stop", name], name, (c) => finish(c, 143)),
      waitContainer: (name, timeout) =>
        withContainer(["wait", name], name, (c) => Model.bounded(Deferred.await(c.exited), ["wait", name], timeout)),
      copyIn: (name, src, dest) =>
        withContainer(["cp", src, `${name}:${dest}`], name, (c) =>
          Option.match(readHost(src), {
            onNone: () =>
              Effect.fail(
                new NonZeroExit({
                  argv: ["podman", "cp", src, `${name}:${dest}`],
                  exitCode: 125,
                  stderr: `Error: "${src}" could not be found on the host: no such file or directory`
                })
              ),
            onSome: ({ entries, isDirectory }) =>
              Effect.sync(() => {
                for (const [path, content] of Model.copyPaths(entries, isDirectory, basename(src), dest, c.files)) {
                  c.files.set(path, content)
                  c.rwSize += Buffer.byteLength(content)
                }
              })
          })),
      listContainers: (_prefix, _options) =>
        guarded(Effect.sync(() =>
          [...containers.values()].map((c) => ({ name: c.name, state: c.state, rwSize: Option.some(c.rwSize) }))
        )),
      listImages: (danglingOnly) =>
        guarded(Effect.sync(() =>
          images
            .filter((image) => !danglingOnly || image.names.length === 0)
            .flatMap((image) => {
              const common = { id: image.id, size: Option.some(image.size), created: Option.some(image.created) }
              return image.names.length === 0
                ? [{ ...common, ref: image.id, repository: Option.none(), tag: Option.none() }]
                : image.names.map((name) => {
                  const colon = name.lastIndexOf(":")
                  return {
                    ...common,
                    ref: name,
                    repository: Option.some(name.slice(0, colon)),
                    tag: Option.some(name.slice(colon + 1))
                  }
                })
            })
        )),
      inspectImage: (ref) => guarded(Effect.sync(() => Option.map(findImage(ref), (image) => ({ id: image.id })))),
      imageLabels: (ref) => withImage(["image", "inspect", ref], ref, (image) => image.labels),
      imageHistory: (ref) => withImage(["image", "history", ref], ref, (image) => image.history),
      removeImage: (ref) =>
        guarded(Effect.sync(() =>
          Option.match(findImage(ref), {
            onNone: () => false,
            onSome: (image) => {
              if ([...containers.values()].some((c) => c.image === image)) return false
              const name = Model.imageCandidates(ref).find((candidate) => image.names.includes(candidate))
              image.names = name === undefined ? [] : image.names.filter((n) => n !== name)
              if (name === undefined || image.names.length === 0) images.splice(images.indexOf(image), 1)
              return true
            }
          })
        )),
      exec: (name, argv, timeout) =>
        withContainer(["exec", name, ...argv], name, (c): Effect.Effect<ExecResult, PodmanError> => {
          if (c.state !== "running") {
            return Effect.fail(
              new NonZeroExit({
                argv: ["podman", "exec", name, ...argv],
                exitCode: 255,
                stderr: "Error: can only create exec sessions on running containers: container state improper"
              })
            )
          }
          const outcome = Option.match(script(name, argv), {
            onSome: (result): ReturnType<typeof Model.interpret> => ({ _tag: "Done", result }),
            onNone: () => Model.interpret(argv, c.files)
          })
          const run: Effect.Effect<ExecResult> = outcome._tag === "Done"
            ? Effect.succeed(outcome.result)
            : Option.match(outcome.seconds, {
              onNone: () => Effect.never,
              onSome: (seconds) => Effect.as(Effect.sleep(`${seconds} seconds`), { exitCode: 0, stdout: "", stderr: "" })
            })
          return Model.bounded(run, ["exec", name, ...argv], timeout)
        }),
      forceRemove: (names) =>
        Effect.suspend(() => {
          const pending = fault
          fault = Option.none()
          return Effect.succeed(Option.match(pending, {
            onNone: () => names.map(remove),
            onSome: (error) => names.map((name) => ({ name, removed: false, error: Option.some(error.message) }))
          }))
        })
    }

    const control: Control = {
      addImage: (fixture) =>
        Effect.sync(() => {
          const id = Model.randomId()
          images.unshift({
            id,
            names: fixture.name === undefined ? [] : [Model.normalizeImageName(fixture.name)],
            labels: fixture.labels ?? {},
            history: fixture.history ?? [],
            size: fixture.size ?? 0,
            created: new Date(),
            files: new Map(Object.entries(fixture.files ?? {}))
          })
          return id
        }),
      tagImage: (ref, name) =>
        onImage(["tag", ref, name], ref, (image) => {
          image.names.push(Model.normalizeImageName(name))
        }),
      create: (fixture) =>
        onImage(["create", "--name", fixture.name, fixture.image], fixture.image, (image) => image).pipe(
          Effect.filterOrFail(
            () => !containers.has(fixture.name),
            () =>
              new NonZeroExit({
                argv: ["podman", "create", "--name", fixture.name, fixture.image],
                exitCode: 125,
                stderr: `Error: creating container storage: the container name "${fixture.name}" is already in use`
              })
          ),
          Effect.flatMap((image) =>
            Effect.map(Deferred.make<number>(), (exited) => {
              containers.set(fixture.name, {
                id: Model.randomId(),
                name: fixture.name,
                image,
                imageName: image.names[0] ?? image.id,
                command: fixture.command ?? ["/bin/sleep", "3600"],
                mounts: (fixture.mounts ?? []).map((m) => ({ type: "bind", ...m, rw: true })),
                devices: fixture.devices ?? [],
                files: new Map(image.files),
                state: "created",
                exitCode: 0,
                startedAt: Option.none(),
                rwSize: 0,
                exited
              })
            })
          )
        ),
      exit: (name, exitCode) => onContainer(["kill", name], name, (c) => finish(c, exitCode)),
      failNext: (error) => Effect.sync(() => void (fault = Option.some(error))),
      setCdiDevices: (devices) => Effect.sync(() => void (cdiDevices = devices)),
      scriptExec: (next) => Effect.sync(() => void (script = next))
    }

    return { driver, control }
  })
