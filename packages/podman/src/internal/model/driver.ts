/**
 * The test driver: the `Driver` primitives over the in-memory model.
 *
 * @internal
 */
import { Deferred, Effect, Either, Option, PubSub, Redacted, Stream } from "effect"
import { controlArgs, createArgs, execArgs, stopArgs } from "effect-podman-shared/Argv"
import { copyRefusal } from "effect-podman-shared/ModelFiles"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import { folderKnown } from "effect-podman-shared/Shell"
import { totalmem } from "node:os"
import { basename } from "node:path"
import type { ContainerRemoveResult, ExecResult, ExecStdioOptions } from "../../ContainerRuntime.js"
import type { NonZeroExit } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"
import * as Archive from "../core/archive.js"
import { stateFromInspect } from "../core/driver.js"
import type { Driver } from "../core/driver.js"
import * as Failures from "../core/failures.js"
import * as Gpu from "../core/gpu.js"
import * as HostTree from "../core/hostTree.js"
import * as Validate from "../core/validate.js"
import * as Images from "./images.js"
import * as Model from "./model.js"
import type { LogLine, ModelContainer } from "./model.js"
import * as Resources from "./resources.js"
import * as Shell from "./shell.js"
import * as Signals from "./signals.js"
import * as State from "./state.js"

const notRunning = (argv: ReadonlyArray<string>) => Model.refused(argv, Answers.execNotRunning)

/**
 * Runs an `exec` command in a container, its output captured; a program the image lacks exits
 * 127 with the OCI runtime's message, as on podman.
 */
const execute = (
  state: State.State,
  container: ModelContainer,
  argv: ReadonlyArray<string>,
  overrides: Parameters<typeof State.processIo>[3] = {}
) => {
  const out = { stdout: "", stderr: "" }
  const io = State.processIo(state, container, (stream, text) => Effect.sync(() => void (out[stream] += text)), {
    ...overrides,
    exec: true
  })
  const command = argv[0] ?? ""
  // a working directory the container lacks: runc cannot start the process
  const missingDir = overrides.workdir !== undefined && folderKnown(io, overrides.workdir) === false
  const exitCode = missingDir
    ? Effect.as(io.write("stderr", Answers.execWorkdirMissing(overrides.workdir!)), 127)
    : Shell.isMissing(command, io)
    ? Effect.as(io.write("stderr", Answers.execMissing(command)), 127)
    : Shell.run(argv, io)
  return Effect.map(exitCode, (code) => ({ exitCode: code, ...out }))
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const strict = new TextDecoder("utf-8", { fatal: true })

/** A file's bytes as the model holds them (text): bytes that are not UTF-8 are a defect saying so. */
const text = (path: string, bytes: Uint8Array): string => {
  try {
    return strict.decode(bytes)
  } catch {
    throw new Error(`the model cannot hold ${path}: it holds text files only, and these bytes are not UTF-8`)
  }
}

const summary = (c: ModelContainer) => ({
  name: c.name,
  state: c.state,
  rwSize: Option.some(c.rwSize),
  labels: c.labels,
  image: c.imageName,
  ports: c.ports
})

/** @internal */
export const make = (state: State.State): Driver => {
  const images = Images.make(state)
  /**
   * What `create` pulls first, under its policy — verifying TLS, as podman's create does (an HTTP
   * registry's image is pulled first with `tlsVerify: false`); a pull that fails is `PullFailed`.
   */
  const pullFor = (policy: "never" | "missing" | "always", ref: string, argv: ReadonlyArray<string>) =>
    policy === "always" || (policy === "missing" && Option.isNone(State.findImage(state, ref)))
      ? Effect.mapError(
        Stream.runDrain(images.pull(ref, true)),
        (error) => error._tag === "NonZeroExit" ? Model.failure(argv, "PullFailed", error.stderr) : error
      )
      : Effect.void
  const withContainer = <A, E, R>(
    argv: ReadonlyArray<string>,
    name: string,
    f: (c: ModelContainer) => Effect.Effect<A, E, R>
  ) => State.guarded(state, Failures.cliOperation(argv), [name], State.onContainer(state, argv, name, f))
  const withImage = <A>(argv: ReadonlyArray<string>, ref: string, f: (image: Model.ModelImage) => A) =>
    State.guarded(state, Failures.cliOperation(argv), [ref], State.onImage(state, argv, ref, f))

  /** Past lines (filtered), then — with `follow` on a running container — new ones until it ends. */
  const logs: Driver["logs"] = (name, options) =>
    Stream.unwrapScoped(withContainer(["logs", name], name, (c) =>
      Effect.gen(function*() {
        const feed = yield* PubSub.subscribe(c.logFeed)
        const since = options.since?.getTime() ?? -Infinity
        const past = c.logs.filter((line) => line.time.getTime() >= since)
        const tail = options.tail === undefined ? past : past.slice(Math.max(0, past.length - options.tail))
        const live = options.follow === true && (c.state === "running" || c.state === "paused")
          ? Stream.fromQueue(feed).pipe(
            Stream.takeWhile((item) => item._tag === "Line"),
            Stream.filterMap((item) => item._tag === "Line" ? Option.some(item.line) : Option.none<LogLine>())
          )
          : Stream.empty
        return Stream.concat(Stream.fromIterable(tail), live).pipe(Stream.map(({ line, stream }) => ({ stream, line })))
      })))

  /** `cat` echoes stdin; a `scriptStdio` answers line by line; other commands run in the shell. */
  const execStdio: Driver["execStdio"] = <E, R>(
    name: string,
    argv: ReadonlyArray<string>,
    options: ExecStdioOptions<E, R>
  ) => {
    const command = execArgs(name, argv, { ...options, interactive: true }).args
    const run = withContainer(command, name, (c): Effect.Effect<number, NonZeroExit | E, R> => {
      if (c.state !== "running") return Effect.fail(notRunning(command))
      return Option.match(state.stdioScript(name, argv), {
        onSome: (answer) =>
          options.stdin.pipe(
            Stream.decodeText(),
            Stream.splitLines,
            Stream.mapConcat((line) => answer(line).map((out) => encoder.encode(`${out}\n`))),
            Stream.run(options.stdout),
            Effect.as(0)
          ),
        onNone: () =>
          argv.length === 1 && argv[0] === "cat"
            ? Effect.as(Stream.run(options.stdin, options.stdout), 0)
            : Effect.gen(function*() {
              const { exitCode, ...out } = yield* execute(state, c, argv, {
                env: options.env,
                user: options.user,
                workdir: options.workdir
              })
              yield* Stream.run(Stream.make(encoder.encode(out.stdout)), options.stdout)
              if (options.stderr !== undefined) {
                yield* Stream.run(Stream.make(encoder.encode(out.stderr)), options.stderr)
              }
              return exitCode
            })
      })
    })
    return Failures.within(options.timeout, ["podman", ...command], "CallerBound")(run)
  }

  /**
   * `podman create` (or, `started`, `podman run --detach`): its refusals name the argv the CLI
   * layer runs, and what the kernel would refuse it is refused here too.
   */
  const create = (
    spec: Parameters<Driver["create"]>[0],
    resolved: Parameters<Driver["create"]>[1],
    started: boolean
  ) => {
    const { args, env } = createArgs(spec, resolved, Redacted.value)
    const argv = started ? ["run", "--detach", ...args.slice(1)] : args
    return Effect.zipRight(
      Validate.spawnable(["podman", ...argv], env),
      State.guarded(
        state,
        "container.create",
        [resolved.name, spec.image],
        // the pull policy, as podman's: `missing` pulls an absent image and `always` any image (from
        // a registry the test declared), `never` leaves an absent image absent (NoSuchImage)
        Effect.zipRight(
          pullFor(spec.pull ?? "missing", spec.image, argv),
          State.create(state, {
            argv,
            name: resolved.name,
            image: spec.image,
            command: spec.entrypoint !== undefined || spec.command !== undefined
              ? [...(spec.entrypoint ?? []), ...(spec.command ?? [])]
              : undefined,
            mounts: (spec.mounts ?? []).flatMap((m) =>
              m.type === "bind" ? [{ source: m.source, destination: m.target }] : []
            ),
            volumes: (spec.mounts ?? []).flatMap((m) =>
              m.type === "volume" ? [{ source: m.source, target: m.target, readOnly: m.readOnly === true }] : []
            ),
            tmpfs: (spec.mounts ?? []).flatMap((m) => m.type === "tmpfs" ? [m.target] : []),
            network: spec.network,
            aliases: spec.networkAliases,
            pod: spec.pod,
            devices: Either.match(Gpu.gpuRunArgs(spec.gpu), {
              onLeft: () => [],
              onRight: (args) => args.filter((_, i) => args[i - 1] === "--device")
            }),
            labels: { ...spec.labels, ...resolved.labels },
            healthcheck: spec.healthcheck?.command,
            ports: resolved.ports,
            env: {
              ...spec.env,
              ...Object.fromEntries(
                Object.entries(spec.secretEnv ?? {}).map(([key, value]) => [key, Redacted.value(value)])
              )
            },
            workdir: spec.workdir,
            user: spec.user,
            init: resolved.init,
            limits: spec
          })
        )
      )
    )
  }

  const driver: Omit<Driver, "createStarted" | "containerState"> = {
    loginPrefix: ["podman"],
    host: {
      cdiSpecDirs: State.guarded(state, "system.info", [], Effect.sync(() => state.hostInfo.cdiSpecDirs)),
      rootlessNetworkCmd: State.guarded(state, "system.info", [], Effect.sync(() => state.hostInfo.rootlessNetworkCmd))
    },
    inspectContainer: (name, _options) =>
      State.guarded(
        state,
        "container.inspect",
        [name],
        Effect.suspend(() => {
          // a main process the model could not run: asking about the container dies saying why
          const dead = Option.getOrUndefined(State.findContainer(state, name))?.defect
          return dead === undefined ? Effect.void : Effect.die(dead)
        }).pipe(Effect.zipRight(Effect.sync(() =>
          Option.map(State.findContainer(state, name), (c) => ({
            id: c.id,
            name: c.name,
            state: c.state,
            imageName: c.imageName,
            startedAt: c.startedAt,
            mounts: c.mounts,
            rwSize: Option.some(c.rwSize),
            config: c.config,
            logFile: Option.none(),
            conmonPid: Option.none()
          }))
        )))
      ),
    podman: (args) =>
      Effect.dieMessage(
        `the model cannot run \`podman ${args.join(" ")}\`: the escape hatch needs a real podman ` +
          "(Podman.layer or PodmanApi.layer); test what you need of it against those"
      ),
    // what podman reports of a busybox process: a few hundred KiB, one process (two with an init),
    // the limit (or the host's memory); zeros when it does not run
    statsContainer: (name) =>
      withContainer(["stats", "--no-stream", name], name, (c) => {
        const refusal = Answers.statsRefusal(state.hostInfo.mode)
        return refusal !== undefined
          ? Effect.fail(Model.refused(["stats", "--no-stream", name], refusal))
          : Effect.sync(() =>
            Answers.modelStats({
              running: c.state === "running" || c.state === "paused",
              init: c.init,
              memoryLimit: Option.getOrElse(c.config.memory, () => totalmem())
            })
          )
      }),
    controlContainer: (name, control) =>
      withContainer(controlArgs(control, name), name, (c) => Signals.control(state, c, control)),
    startContainer: (name) =>
      withContainer(["start", name], name, (c) => {
        const refusal = Answers.startRefusal(c)
        return refusal === undefined ? State.start(state, c) : Effect.fail(Model.refused(["start", name], refusal))
      }),
    stopContainer: (name, seconds) =>
      withContainer(stopArgs(name, seconds), name, (c) => {
        const refusal = Answers.stopRefusal(c)
        return refusal === undefined
          ? State.stop(state, c, Answers.stopExit(c, seconds))
          : Effect.fail(Model.refused(stopArgs(name, seconds), refusal))
      }),
    waitContainer: (name, timeout) =>
      withContainer(["wait", name], name, (c) =>
        Answers.waitAnswersAtOnce(c.state)
          ? Effect.succeed(c.exitCode)
          : Failures.within(Option.getOrUndefined(timeout), ["podman", "wait", name], "CallerBound")(
            Deferred.await(c.exited)
          )),
    copyFilesIn: (name, files) =>
      withContainer(["cp", "-", `${name}:/`], name, (c) =>
        Effect.suspend(() => {
          for (const file of files) {
            // a folder is not overwritten by a file, nor a file made a folder: podman's extraction stops there
            const refusal = copyRefusal(c.files, file.path)
            if (refusal !== undefined) return Effect.fail(Model.refused(["cp", "-", `${name}:/`], refusal))
            c.files.set(file.path, text(file.path, file.bytes))
            c.rwSize += file.bytes.length
          }
          return Effect.void
        })),
    archiveOut: (name, path) =>
      Stream.unwrap(withContainer(["cp", `${name}:${path}`, "-"], name, (c) => {
        const base = path.replace(/\/+$/, "")
        const under = [...c.files.keys()].filter((p) => p.startsWith(`${base}/`))
        if (!c.files.has(base) && under.length === 0) {
          return Effect.fail(Model.refused(["cp", `${name}:${path}`, "-"], Answers.noSuchPath(name, path)))
        }
        const top = basename(base)
        return Effect.succeed(
          c.files.has(base)
            ? Archive.pack([{ path: `/${top}`, bytes: encoder.encode(c.files.get(base)!) }])
            : Archive.pack(
              under.map((p) => ({ path: `/${top}${p.slice(base.length)}`, bytes: encoder.encode(c.files.get(p)!) })),
              [top]
            )
        )
      })),
    copyIn: (name, src, dest) => {
      const argv = ["podman", "cp", src, `${name}:${dest}`]
      return withContainer(["cp", src, `${name}:${dest}`], name, (c) =>
        Effect.gen(function*() {
          const tree = yield* Failures.hostTree(src, argv)
          const unsupported = tree.entries.find((e) => e.type !== "file" && e.type !== "directory")
          if (unsupported !== undefined) {
            return yield* Effect.dieMessage(
              `the model cannot copy a ${unsupported.type} (${unsupported.source}): it holds regular files only; ` +
                "test copying trees with links, FIFOs or devices against Podman.layer or PodmanApi.layer"
            )
          }
          const files = yield* Effect.forEach(
            tree.entries.filter((e) => e.type === "file"),
            (e) =>
              Effect.map(
                Effect.mapError(HostTree.readFile(e), (error) => Failures.hostPath(argv, error)),
                (bytes) => [e.path, decoder.decode(bytes)] as const
              )
          )
          for (const [path, content] of Model.copyPaths(files, tree.isDirectory, basename(src), dest, c.files)) {
            c.files.set(path, content)
            c.rwSize += Buffer.byteLength(content)
          }
        }))
    },
    listContainers: (_prefix, _options) =>
      State.guarded(state, "container.list", [], Effect.sync(() => [...state.containers.values()].map(summary))),
    listLabeled: (key) =>
      State.guarded(
        state,
        "container.list",
        [],
        Effect.sync(() => [...state.containers.values()].filter((c) => Model.hasLabel(c.labels, key)).map(summary))
      ),
    create: (spec, resolved) => create(spec, resolved, false),
    healthcheck: (name) =>
      // podman asks whether it runs first, then whether it has a check
      withContainer(["healthcheck", "run", name], name, (c) =>
        c.state !== "running"
          ? Effect.fail(Model.refused(["healthcheck", "run", name], Answers.healthcheckNotRunning(c.id)))
          : Option.match(c.healthcheck, {
            onNone: () => Effect.fail(Model.refused(["healthcheck", "run", name], Answers.noHealthcheck(c.id))),
            onSome: (command) => Effect.map(execute(state, c, command), (result) => result.exitCode === 0)
          })),
    listImages: (danglingOnly) =>
      State.guarded(
        state,
        "image.list",
        [],
        Effect.sync(() =>
          state.images
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
        )
      ),
    inspectImage: (ref) =>
      State.guarded(
        state,
        "image.inspect",
        [ref],
        Effect.sync(() => Option.map(State.findImage(state, ref), (image) => ({ id: image.id })))
      ),
    imageLabels: (ref) => withImage(["image", "inspect", ref], ref, (image) => image.labels),
    imageHistory: (ref) => withImage(["image", "history", ref], ref, (image) => image.history),
    // one of several names is untagged; the last name (or an id) removes the image — with its
    // containers when forced, refused while a container uses it otherwise
    removeImage: (ref, force) =>
      State.guarded(
        state,
        "image.remove",
        [ref],
        Effect.gen(function*() {
          const found = State.findImage(state, ref)
          if (Option.isNone(found)) return false
          const image = found.value
          const name = Model.imageCandidates(ref).find((candidate) => image.names.includes(candidate))
          if (name !== undefined && image.names.length > 1) {
            image.names = image.names.filter((n) => n !== name)
            return true
          }
          // by id, with several names: podman wants it forced
          if (name === undefined && image.names.length > 1 && !force) {
            return yield* Model.refused(["image", "rm", ref], Answers.removeByIdRefusal(image))
          }
          const users = [...state.containers.values()].filter((c) => c.image === image)
          if (users.length > 0 && !force) return false
          for (const user of users) yield* State.remove(state, user.name)
          state.images.splice(state.images.indexOf(image), 1)
          return true
        })
      ),
    exec: (name, argv, { env, stdin, timeout, user, workdir }) => {
      // the argv the CLI layer runs, for the refusals
      const command = execArgs(name, argv, { interactive: stdin !== undefined, user, workdir, env }).args
      return withContainer(command, name, (c): Effect.Effect<ExecResult, PodmanError> => {
        if (c.state !== "running") return Effect.fail(notRunning(command))
        const run = Option.match(state.execScript(name, argv), {
          onSome: Effect.succeed,
          onNone: () =>
            execute(state, c, argv, {
              env,
              user,
              workdir,
              stdin: stdin === undefined ? undefined : decoder.decode(stdin)
            })
        })
        return Failures.within(Option.getOrUndefined(timeout), ["podman", ...command], "CallerBound")(run)
      })
    },
    forceRemove: (names) =>
      Effect.suspend((): Effect.Effect<ReadonlyArray<ContainerRemoveResult>> => {
        return Option.match(State.takeFault(state, "container.remove", names), {
          onNone: () =>
            Effect.as(
              Effect.forEach(names, (name) => State.remove(state, name), { discard: true }),
              names.map((name) => ({ name, removed: true, error: Option.none() }))
            ),
          onSome: (error) =>
            Effect.succeed(names.map((name) => ({ name, removed: false, error: Option.some(error.message) })))
        })
      }),
    logs,
    events: (since) =>
      Stream.unwrapScoped(State.guarded(
        state,
        "events",
        [],
        Effect.map(PubSub.subscribe(state.events), (live) =>
          Stream.concat(
            Stream.fromIterable(state.eventLog.filter((event) => event.time.getTime() >= since.getTime())),
            Stream.fromQueue(live)
          ))
      )),
    execStdio,
    resources: Resources.make(state),
    images
  }
  return {
    ...driver,
    containerState: stateFromInspect(driver.inspectContainer),
    // `podman run --detach`: the container is created, then started; a program the image lacks
    // (without init) is run's own refusal, and the container stays, created
    createStarted: (spec, resolved) =>
      Effect.zipRight(
        create(spec, resolved, true),
        Effect.catchIf(
          withContainer(["start", resolved.name], resolved.name, (c) => State.start(state, c, { run: true })),
          (error) =>
            error._tag === "NonZeroExit" && error.operation === "container.start" &&
            error.stderr.includes("runc create failed"),
          () => {
            const { args } = createArgs(spec, resolved, Redacted.value)
            const command = state.containers.get(resolved.name)?.command[0] ?? ""
            return Effect.fail(Model.refused(["run", "--detach", ...args.slice(1)], Answers.runMissing(command)))
          }
        )
      )
  }
}
