/**
 * The state of the test layer's model and its transitions (create → start → died → remove),
 * each publishing the lifecycle events podman 4 publishes.
 *
 * @internal
 */
import { Deferred, Effect, Fiber, Option, PubSub } from "effect"
import type { Scope } from "effect"
import * as ModelLifecycle from "effect-podman-shared/ModelLifecycle"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { ContainerEvent, ContainerEventStatus, ExecResult } from "../../ContainerRuntime.js"
import type { PublishedPort } from "../../ContainerSpec.js"
import type { NonZeroExit } from "../../PodmanError.js"
import type { GpuConfigError, PodmanError } from "../../PodmanError.js"
import type { ResourceKind } from "../../Resource.js"
import { classifyGpuError } from "../core/gpu.js"
import { logCreateWarnings } from "../core/warnings.js"
import * as Model from "./model.js"
import type { ModelContainer, ModelImage } from "./model.js"
import { answerHttp, attachVolume, networkExists, serve } from "./network.js"
import * as Shell from "./shell.js"

/** @internal */
export type ExecScript = (container: string, argv: ReadonlyArray<string>) => Option.Option<ExecResult>

/** @internal */
export type StdioScript = (
  container: string,
  argv: ReadonlyArray<string>
) => Option.Option<(line: string) => ReadonlyArray<string>>

/** A fault waiting for the operations it targets. @internal */
export interface Fault {
  readonly error: PodmanError
  /** The operation it hits (`container.start`, …; `NonZeroExit.operation`'s names); any when absent. */
  readonly operation: string | undefined
  /** The container or image it hits; any when absent. */
  readonly target: string | undefined
  /** How many more calls it fails. */
  remaining: number
}

/** What a scripted main process is told. @internal */
export interface ProcessContext {
  readonly container: string
  readonly argv: ReadonlyArray<string>
  /** 1 on the container's first start, 2 on the next, … */
  readonly start: number
  /** Writes a line to the container's log (stdout by default). */
  readonly log: (line: string, stream?: "stdout" | "stderr") => Effect.Effect<void>
}

/** Scripts answer in the order they were given: the first that answers `Some` wins. @internal */
export const firstOf = <Args extends ReadonlyArray<unknown>, A>(
  earlier: (...args: Args) => Option.Option<A>,
  later: (...args: Args) => Option.Option<A>
) =>
(...args: Args): Option.Option<A> => Option.orElse(earlier(...args), () => later(...args))

/** @internal */
export type ProcessScript = (context: ProcessContext) => Option.Option<Effect.Effect<number>>

/** @internal */
export interface State {
  readonly images: Array<ModelImage>
  readonly containers: Map<string, ModelContainer>
  /** Where containers' main processes run: closed with the layer, so nothing outlives it. */
  readonly scope: Scope.Scope
  /** Every event so far (podman keeps an event log too: `events --since` replays it). */
  readonly eventLog: Array<ContainerEvent>
  readonly events: PubSub.PubSub<ContainerEvent>
  /** The registries a test declared: what was pushed there, by full reference. */
  readonly registries: Map<string, Map<string, { readonly image: ModelImage; readonly digest: string }>>
  /** Networks, volumes and pods, by name. */
  readonly resources: Record<ResourceKind, Map<string, Model.ModelResource>>
  readonly faults: Array<Fault>
  cdiDevices: ReadonlyArray<string>
  /** What the model's podman reports in `podman info` (podman 4: neither field). */
  hostInfo: {
    readonly cdiSpecDirs: Option.Option<ReadonlyArray<string>>
    readonly rootlessNetworkCmd: Option.Option<string>
    /** Rootless, and which cgroups: what podman refuses whatever the container (pause, stats). */
    readonly mode: Answers.HostMode
  }
  execScript: ExecScript
  stdioScript: StdioScript
  processScript: ProcessScript
}

/** @internal */
export const make: Effect.Effect<State, never, Scope.Scope> = Effect.map(
  Effect.zip(PubSub.unbounded<ContainerEvent>(), Effect.scope),
  ([events, scope]) => ({
    images: [],
    containers: new Map(),
    scope,
    eventLog: [],
    events,
    faults: [],
    resources: { network: new Map(), volume: new Map(), pod: new Map() },
    registries: new Map(),
    cdiDevices: [],
    hostInfo: { cdiSpecDirs: Option.none(), rootlessNetworkCmd: Option.none(), mode: {} },
    execScript: () => Option.none(),
    stdioScript: () => Option.none(),
    processScript: () => Option.none()
  })
)

/**
 * Takes the first injected fault that targets `operation` on one of `targets` (or on anything),
 * counting it down. @internal
 */
export const takeFault = (
  state: State,
  operation: string,
  targets: ReadonlyArray<string>
): Option.Option<PodmanError> => {
  const index = state.faults.findIndex((fault) =>
    (fault.operation === undefined || fault.operation === operation) &&
    (fault.target === undefined || targets.includes(fault.target))
  )
  if (index < 0) return Option.none()
  const fault = state.faults[index]!
  if (--fault.remaining <= 0) state.faults.splice(index, 1)
  return Option.some(fault.error)
}

/** Every primitive of the runtime first takes an injected fault that targets it. @internal */
export const guarded = <A, E, R>(
  state: State,
  operation: string,
  targets: ReadonlyArray<string>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | PodmanError, R> =>
  Effect.suspend(() =>
    Option.match(takeFault(state, operation, targets), {
      onNone: (): Effect.Effect<A, E | PodmanError, R> => effect,
      onSome: (error) => Effect.fail(error)
    })
  )

/** @internal */
export const findImage = (state: State, ref: string): Option.Option<ModelImage> =>
  Option.fromNullable(
    state.images.find((image) => Model.imageCandidates(ref).some((name) => image.names.includes(name))) ??
      state.images.find((image) => ref.length >= 3 && image.id.startsWith(ref))
  )

/** @internal */
export const findContainer = (state: State, name: string): Option.Option<ModelContainer> =>
  Option.fromNullable(
    state.containers.get(name) ??
      [...state.containers.values()].find((c) => name.length >= 3 && c.id.startsWith(name))
  )

/** Runs `f` on the container, or fails as podman does when it is absent. @internal */
export const onContainer = <A, E, R>(
  state: State,
  argv: ReadonlyArray<string>,
  name: string,
  f: (c: ModelContainer) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | NonZeroExit, R> =>
  Effect.suspend(() =>
    Option.match(findContainer(state, name), {
      onNone: (): Effect.Effect<A, E | NonZeroExit, R> => Effect.fail(Model.noSuchContainer(argv, name)),
      // a main process the model could not run: every later operation dies saying why
      onSome: (c) => c.defect === undefined ? f(c) : Effect.die(c.defect)
    })
  )

/** Applies `f` to the image, or fails as podman does when it is absent. @internal */
export const onImage = <A>(
  state: State,
  argv: ReadonlyArray<string>,
  ref: string,
  f: (image: ModelImage) => A
): Effect.Effect<A, NonZeroExit> =>
  Effect.suspend(() =>
    Option.match(findImage(state, ref), {
      onNone: () => Effect.fail(Model.noSuchImage(argv, ref)),
      onSome: (image) => Effect.sync(() => f(image))
    })
  )

/** @internal */
export const emit = (
  state: State,
  container: ModelContainer,
  status: ContainerEventStatus,
  exitCode: Option.Option<number> = Option.none()
): Effect.Effect<void> =>
  Effect.suspend(() => {
    const event: ContainerEvent = {
      name: container.name,
      id: container.id,
      status,
      time: new Date(),
      image: Option.some(container.imageName),
      exitCode
    }
    state.eventLog.push(event)
    return PubSub.publish(state.events, event)
  })

/** What a new container is made of. @internal */
export interface NewContainer {
  /** The command its refusals name (default `podman create --name NAME IMAGE`). */
  readonly argv?: ReadonlyArray<string> | undefined
  readonly name: string
  readonly image: string
  readonly command?: ReadonlyArray<string> | undefined
  readonly mounts?: ReadonlyArray<{ readonly source: string; readonly destination: string }> | undefined
  readonly devices?: ReadonlyArray<string> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly healthcheck?: ReadonlyArray<string> | undefined
  readonly ports?: ReadonlyArray<PublishedPort> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly workdir?: string | undefined
  readonly user?: string | undefined
  readonly init?: boolean | undefined
  readonly network?: string | undefined
  readonly aliases?: ReadonlyArray<string> | undefined
  readonly pod?: string | undefined
  /** tmpfs mount targets: empty, writable, gone with the container. */
  readonly tmpfs?: ReadonlyArray<string> | undefined
  /** Limits and settings (memory, CPUs, …), reported by inspect. */
  readonly limits?: Model.Limits | undefined
  /** Named volumes mounted at targets (created if absent, as podman does). */
  readonly volumes?:
    | ReadonlyArray<{ readonly source: string; readonly target: string; readonly readOnly?: boolean }>
    | undefined
}

/** `podman create`: a missing image or a taken name fails as on podman. @internal */
export const create = (state: State, spec: NewContainer): Effect.Effect<void, NonZeroExit> => {
  const argv = spec.argv === undefined
    ? ["podman", "create", "--name", spec.name, spec.image]
    : ["podman", ...spec.argv]
  return onImage(state, argv.slice(1), spec.image, (image) => image).pipe(
    Effect.filterOrFail(
      () => !state.containers.has(spec.name),
      () => Model.refused(argv, Answers.nameInUse(spec.name, state.containers.get(spec.name)?.id ?? ""))
    ),
    Effect.filterOrFail(
      () => spec.network === undefined || networkExists(state.resources.network, spec.network),
      () => Model.refused(argv, Answers.noSuchNetwork(spec.network ?? ""))
    ),
    Effect.filterOrFail(
      () => spec.pod === undefined || state.resources.pod.has(spec.pod),
      () => Model.refused(argv, Answers.noSuchPod(spec.pod ?? ""))
    ),
    Effect.flatMap((image) =>
      Effect.gen(function*() {
        const volumes = [
          ...(spec.volumes ?? []).map((m) => ({
            ...attachVolume(state.resources.volume, image, m.source, m.target),
            readOnly: m.readOnly === true
          })),
          ...(spec.tmpfs ?? []).map((target) => ({ target, files: new Map<string, string>() }))
        ]
        const id = Model.randomId()
        const container: ModelContainer = {
          id,
          config: Model.configOf(id, spec.limits ?? {}, state.hostInfo.mode),
          name: spec.name,
          image,
          imageName: image.names[0] ?? image.id,
          command: spec.command ?? image.command,
          env: { ...image.env, ...spec.env },
          workdir: spec.workdir ?? image.workdir ?? "/",
          user: spec.user ?? "",
          init: spec.init ?? false,
          starts: 0,
          scripted: false,
          // as podman lists them: host paths, then volumes by name; tmpfs mounts are not listed
          mounts: [
            ...(spec.mounts ?? []).map((m) => ({ type: "bind", ...m, rw: true })),
            ...(spec.volumes ?? []).map((m) => ({
              type: "volume",
              source: m.source,
              destination: m.target,
              rw: !m.readOnly
            }))
          ],
          network: spec.network,
          aliases: spec.aliases ?? [],
          pod: spec.pod,
          volumes: (spec.volumes ?? []).map((m) => m.source),
          devices: spec.devices ?? [],
          labels: { ...image.labels, ...spec.labels },
          healthcheck: Option.fromNullable(spec.healthcheck ?? image.healthcheck),
          ports: spec.ports ?? [],
          servers: [],
          files: new Model.MountedFiles(image.files, volumes),
          state: "created",
          exitCode: 0,
          startedAt: Option.none(),
          rwSize: 0,
          exited: yield* Deferred.make<number>(),
          process: Option.none(),
          logs: [],
          logFeed: yield* PubSub.unbounded<Model.LogItem>(),
          partial: { stdout: "", stderr: "" }
        }
        state.containers.set(spec.name, container)
        yield* emit(state, container, "create")
        yield* logCreateWarnings(spec.name, Answers.createWarnings(spec.limits ?? {}, state.hostInfo.mode))
      })
    )
  )
}

/** The main process ended (or was stopped) with `exitCode`. @internal */
export const finish = (state: State, container: ModelContainer, exitCode: number): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (!ModelLifecycle.canEnd(container.state)) return Effect.void
    container.state = ModelLifecycle.END.state
    container.exitCode = exitCode
    container.process = Option.none()
    for (const server of container.servers.splice(0)) server.close()
    return Effect.all([
      Deferred.succeed(container.exited, exitCode),
      PubSub.publish(container.logFeed, { _tag: "End" }),
      Effect.forEach(ModelLifecycle.END.events, (status) => emit(state, container, status, Option.some(exitCode)))
    ], { discard: true })
  })

/** The process context of a command in `container`. @internal */
export const processIo = (
  state: State,
  container: ModelContainer,
  write: Shell.Io["write"],
  overrides: {
    /** An exec (its environment has no `HOSTNAME`, as podman's exec sessions have none). */
    readonly exec?: boolean | undefined
    readonly env?: Readonly<Record<string, string>> | undefined
    readonly user?: string | undefined
    readonly workdir?: string | undefined
    readonly stdin?: string | undefined
  } = {}
): Shell.Io => ({
  files: container.files,
  env: Model.environment(container, overrides.env, {
    user: overrides.user ?? container.user,
    exec: overrides.exec === true
  }),
  workdir: overrides.workdir ?? container.workdir,
  user: overrides.user ?? container.user,
  executables: container.image.executables,
  image: container.imageName,
  folders: container.files.foldersWith(container.image.folders),
  write,
  stdin: overrides.stdin ?? "",
  // a read-only root: only mounts (volumes, tmpfs) take writes; a read-only volume takes none
  writable: (path) => container.files.writable(path, container.config.readOnly),
  http: (host, port, path) => answerHttp(state.containers.values(), container, host, port, path)
})

/**
 * Starts the main process: a scripted one, a command the model runs, or — for a program the image
 * lacks — what podman does: catatonit exits 1 under `--init`, the start fails (125) without.
 * CDI devices that no spec declares fail as on podman. @internal
 */
export const start = (
  state: State,
  container: ModelContainer,
  options?: { readonly run?: boolean }
): Effect.Effect<void, GpuConfigError | NonZeroExit> =>
  Effect.gen(function*() {
    const argv = ["podman", "start", container.name]
    const io = processIo(state, container, (stream, text) => Model.appendLog(container, stream, text))
    const command = container.command[0] ?? ""
    const scripted = state.processScript({
      container: container.name,
      argv: container.command,
      start: container.starts + 1,
      log: (line, stream = "stdout") => Model.appendLog(container, stream, `${line}\n`)
    })
    // what podman does with it (`ModelLifecycle`): nothing, a refusal, or a start
    const plan = ModelLifecycle.startPlan(container, {
      cdiDevices: state.cdiDevices,
      scripted: Option.isSome(scripted),
      missing: Shell.isMissing(command, io),
      run: options?.run
    })
    if (plan._tag === "Running") return
    if (plan._tag === "Refused") {
      // CDI devices no spec declares are a GpuConfigError, as on podman
      return yield* Option.getOrElse(
        classifyGpuError(plan.refusal.stderr, argv),
        () => Model.refused(argv, plan.refusal)
      )
    }
    container.starts++
    container.scripted = Option.isSome(scripted)
    container.state = plan.state
    container.startedAt = Option.some(new Date())
    container.exited = yield* Deferred.make<number>()
    yield* Effect.forEach(plan.events, (status) => emit(state, container, status), { discard: true })
    if (Option.isNone(scripted) && /(^|\/)httpd$/.test(command)) {
      yield* serve(
        container,
        container.pod === undefined ? container.ports : state.resources.pod.get(container.pod)?.ports ?? []
      )
    }
    const main = Option.getOrElse(scripted, () =>
      plan.main === "initMissing"
        ? Effect.as(io.write("stderr", Answers.CATATONIT_MISSING), 1)
        : Shell.run(container.command, io)).pipe(
        Effect.flatMap((code) => finish(state, container, code)),
        // what the model cannot run is said, not a process that runs for ever: wait, logs and every
        // later operation on the container die with it
        Effect.catchAllDefect((defect) =>
          Effect.suspend(() => {
            container.defect = defect
            return Effect.all([
              Deferred.die(container.exited, defect),
              PubSub.publish(container.logFeed, { _tag: "End" })
            ], { discard: true })
          })
        )
      )
    container.process = Option.some(yield* Effect.forkIn(Effect.as(main, 0), state.scope))
  })

/** Ends the main process with `exitCode` (143: SIGTERM through an init, as `podman stop` does). @internal */
export const stop = (state: State, container: ModelContainer, exitCode = 143): Effect.Effect<void> =>
  Effect.suspend(() =>
    Option.match(container.process, {
      onNone: () => Effect.void,
      onSome: (fiber) => Effect.zipRight(Fiber.interrupt(fiber), finish(state, container, exitCode))
    })
  )

/** Removes a container, killing it first; absent counts as removed. @internal */
export const remove = (state: State, name: string): Effect.Effect<void> =>
  Effect.suspend(() =>
    Option.match(findContainer(state, name), {
      onNone: () => Effect.void,
      onSome: (container) =>
        Effect.gen(function*() {
          const { events, exitCode } = ModelLifecycle.REMOVE
          yield* stop(state, container, exitCode)
          state.containers.delete(container.name)
          yield* Deferred.succeed(container.exited, exitCode)
          yield* Effect.forEach(events, (status) => emit(state, container, status), { discard: true })
        })
    })
  )
