/**
 * The in-memory model of podman for the Effect 4 edition: the `Driver` over what `core.ts` holds.
 * What podman answers (its words, signal rules, environment) comes from
 * `effect-podman-shared/PodmanAnswers`, what a container runs from `effect-podman-shared/Shell`,
 * its files and what it reaches from `ModelFiles` / `ModelNetwork` — the Effect 3 edition's model
 * uses the same; what the model cannot do is a defect naming it, never a different answer.
 *
 * @internal
 */
import { Deferred, Effect, Fiber, Option, PubSub, Redacted, Stream } from "effect"
import type { Scope } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import { cliOperation } from "effect-podman-shared/Failures"
import * as Gpu from "effect-podman-shared/Gpu"
import * as Limits from "effect-podman-shared/Limits"
import { shorten } from "effect-podman-shared/Messages"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import type * as ModelFixtures from "effect-podman-shared/ModelFixtures"
import * as ModelLifecycle from "effect-podman-shared/ModelLifecycle"
import * as ModelNetwork from "effect-podman-shared/ModelNetwork"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import * as Shell from "effect-podman-shared/Shell"
import type { CreateSpec, Resolved } from "effect-podman-shared/Spec"
import { createServer } from "node:http"
import { totalmem } from "node:os"
import type { ExecResult } from "../../ContainerRuntime.js"
import { InvalidArgument } from "../../PodmanError.js"
import type { NonZeroExit, PodmanError } from "../../PodmanError.js"
import type { Driver, ExecSettings } from "../core/driver.js"
import { logsArgs, stateFromInspect } from "../core/driver.js"
import { logCreateWarnings } from "../core/warnings.js"
import * as Control from "./control.js"
import { cannot, drive, refused, within } from "./core.js"
import type { Container, Image, Line, State } from "./core.js"
import * as EventLog from "./events.js"
import * as Files from "./files.js"
import * as Images from "./images.js"
import * as Resources from "./resources.js"
import * as Stdio from "./stdio.js"

/** The spec fields the model has no behaviour for: it dies naming them rather than ignore them. */
const UNMODELLED = ["extraArgs", "restartPolicy", "extraHosts"] as const

/** What the model's host is (the shared fixture). @internal */
export type HostFacts = ModelFixtures.HostFacts

/** @internal */
export const make = (
  options: {
    readonly images: ReadonlyArray<Image>
    readonly cdiDevices: ReadonlyArray<string>
    readonly registries: ReadonlyArray<string>
    readonly host: HostFacts
  },
  scripts: Control.Scripts
): Effect.Effect<
  {
    readonly driver: Driver
    /** Ends a running container's main process with `exitCode`; writes a line to its log. */
    readonly hooks: {
      readonly exit: (name: string, exitCode: number) => Effect.Effect<void, PodmanError>
      readonly log: (name: string, line: string, stream: "stdout" | "stderr") => Effect.Effect<void, PodmanError>
      /** Holds one more image (first in listings, as a new image is); answers its id. */
      readonly addImage: (image: Image) => Effect.Effect<string>
      readonly addRegistry: (host: string) => Effect.Effect<void>
      readonly setCdiDevices: (devices: ReadonlyArray<string>) => Effect.Effect<void>
      readonly setHostInfo: (host: HostFacts) => Effect.Effect<void>
      /** `podman create` of `spec` (never pulling) with these CDI devices besides its GPU's. */
      readonly create: (
        spec: CreateSpec<Redacted.Redacted<string>>,
        resolved: Resolved,
        devices: ReadonlyArray<string>
      ) => Effect.Effect<void, PodmanError>
    }
  },
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    // what the test may change later (`setCdiDevices`, `setHostInfo`)
    let cdiDevices = options.cdiDevices
    let hostFacts = options.host
    const state: State = {
      images: Images.fromFixtures(options.images),
      registries: new Map(options.registries.map((host) => [host, new Map()])),
      containers: new Map(),
      resources: { network: new Map(), volume: new Map(), pod: new Map() }
    }
    const containers = state.containers
    const { emit, events } = yield* EventLog.make
    yield* Effect.addFinalizer(() =>
      Effect.forEach([...containers.keys()], (name) => removeOne(name), { discard: true })
    )

    const findImage = (ref: string) => Images.find(state.images, ref)?.image

    const withContainer = <A, E, R>(
      argv: ReadonlyArray<string>,
      name: string,
      f: (c: Container) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | PodmanError, R> =>
      // every call gives the containers' processes a turn first, as a podman call's round trip does
      Effect.andThen(Effect.yieldNow, (): Effect.Effect<A, E | PodmanError, R> => {
        // a fault the test set for this call
        const fault = Control.takeFault(scripts, cliOperation(argv), name)
        if (fault !== undefined) return Effect.fail(fault)
        const c = containers.get(name)
        if (c === undefined) return Effect.fail(refused(argv, Answers.noSuchContainer(name)))
        return c.defect === undefined ? f(c) : Effect.die(c.defect)
      })

    const append = (c: Container, stream: "stdout" | "stderr", text: string) =>
      Effect.suspend(() => {
        const parts = (c.partial[stream] + text).split("\n")
        c.partial[stream] = parts.pop() ?? ""
        const time = Date.now()
        const lines = parts.map((line) => ({ index: c.logs.push({ stream, line, time }) - 1, entry: { stream, line } }))
        return PubSub.publishAll(c.feed, lines)
      })

    /** A process's context in `c`: the main process's, or (given) an exec's user, directory, environment and stdin. */
    const io = (
      c: Container,
      exec?: {
        readonly user?: string | undefined
        readonly workdir?: string | undefined
        readonly env?: Readonly<Record<string, string>> | undefined
        readonly stdin?: string
      }
    ): Shell.Io => ({
      files: c.files,
      env: Answers.environment(c.id, c.env, exec?.env, { user: exec?.user ?? c.user, exec: exec !== undefined }),
      workdir: exec?.workdir ?? c.workdir,
      user: exec?.user ?? c.user,
      executables: c.image.executables === undefined ? undefined : new Set(c.image.executables),
      image: c.imageName,
      folders: c.files.foldersWith(c.image.folders),
      stdin: exec?.stdin ?? "",
      // a read-only root: only mounts (volumes, tmpfs) take writes
      writable: (path) => c.files.writable(path, c.readOnly),
      http: (host, port, path) => ModelNetwork.answerHttp(containers.values(), c, host, port, path)
    })

    /** The main process ended (or was ended) with `exitCode`. */
    const finish = (c: Container, exitCode: number) =>
      Effect.suspend(() => {
        if (!ModelLifecycle.canEnd(c.state)) return Effect.void
        c.state = ModelLifecycle.END.state
        c.exitCode = exitCode
        c.process = undefined
        for (const server of c.servers.splice(0)) server.close()
        // a last line without a newline is logged too (podman's log keeps it as a partial record)
        const partial = (["stdout", "stderr"] as const).filter((stream) => c.partial[stream] !== "")
        return Effect.forEach(partial, (stream) => append(c, stream, "\n"), { discard: true }).pipe(
          Effect.andThen(Effect.forEach(ModelLifecycle.END.events, (status) => emit(c, status, exitCode))),
          Effect.andThen(Deferred.succeed(c.exited, exitCode)),
          Effect.andThen(PubSub.publish(c.feed, "end")),
          Effect.asVoid
        )
      })

    /** Ends the main process with `exitCode`. */
    const end = (c: Container, exitCode: number) =>
      Effect.suspend(() => {
        const fiber = c.process
        return fiber === undefined ? Effect.void : Effect.andThen(Fiber.interrupt(fiber), finish(c, exitCode))
      })

    /** An `httpd` main process serves its pages on the published TCP ports (its pod's), for real. */
    const serve = (c: Container, root: string) =>
      Effect.forEach(c.ports.filter((p) => p.protocol === "tcp"), (port) =>
        Effect.callback<void>((resume) => {
          const server = createServer((request, response) => {
            const body = ModelNetwork.page(c, root, request.url ?? "/")
            response.writeHead(body === undefined ? 404 : 200, { "content-type": "text/html" })
            response.end(body ?? "404 Not Found")
          })
          server.once("error", () => resume(Effect.void)) // as podman's forwarding would: it just does not answer
          server.listen({ host: port.hostIp, port: port.host }, () => resume(Effect.void))
          c.servers.push(server)
        }), { discard: true })

    const start = (c: Container) =>
      Effect.gen(function*() {
        const command = c.command[0] ?? ""
        // a main process the test scripted (it ends on any signal), or what the model runs
        let scripted: Effect.Effect<number> | undefined
        for (const script of scripts.process) {
          const answer = script({
            container: c.name,
            argv: c.command,
            start: c.starts + 1,
            log: (line, stream = "stdout") => append(c, stream, `${line}\n`)
          })
          if (Option.isSome(answer)) {
            scripted = answer.value
            break
          }
        }
        // what podman does with it (`ModelLifecycle`): nothing, a refusal, or a start
        const plan = ModelLifecycle.startPlan(c, {
          cdiDevices,
          scripted: scripted !== undefined,
          missing: Shell.isMissing(command, io(c))
        })
        if (plan._tag === "Running") return
        if (plan._tag === "Refused") return yield* refused(["start", c.name], plan.refusal)
        c.state = plan.state
        c.startedAt = new Date()
        c.exited = yield* Deferred.make<number>()
        yield* Effect.forEach(plan.events, (status) => emit(c, status), { discard: true })
        const httpd = ModelNetwork.httpdOf(c)
        if (httpd !== undefined) yield* serve(c, httpd.root)
        c.starts++
        c.scripted = scripted !== undefined
        const main = scripted ?? (plan.main === "initMissing"
          ? Effect.as(append(c, "stderr", Answers.CATATONIT_MISSING), 1)
          : drive(() => Shell.run(c.command, io(c)), (stream, text) => append(c, stream, text)))
        // what the model cannot run is loud: the container's waiters die with it, and every later
        // operation on the container
        const loud = Effect.catchDefect((defect: unknown) =>
          Effect.suspend(() => {
            c.defect = defect
            return Effect.andThen(Deferred.die(c.exited, defect), PubSub.publish(c.feed, "end"))
          })
        )
        c.process = yield* Effect.forkIn(
          Effect.flatMap(main, (code) => finish(c, code)).pipe(loud, Effect.asVoid),
          scope
        )
      })

    function removeOne(name: string) {
      return Effect.suspend(() => {
        const c = containers.get(name)
        if (c === undefined) return Effect.void
        containers.delete(name)
        const { events, exitCode } = ModelLifecycle.REMOVE
        return end(c, exitCode).pipe(
          Effect.andThen(Deferred.succeed(c.exited, exitCode)),
          Effect.andThen(Effect.forEach(events, (status) => emit(c, status), { discard: true }))
        )
      })
    }

    const create = (
      spec: CreateSpec<Redacted.Redacted<string>>,
      resolved: Resolved,
      started: boolean,
      devices: ReadonlyArray<string> = []
    ) =>
      Effect.gen(function*() {
        const { args, env } = Argv.createArgs(spec, resolved, Redacted.value)
        const argv = started ? ["run", "--detach", ...args.slice(1)] : args
        const fault = Control.takeFault(scripts, cliOperation(argv), resolved.name)
        if (fault !== undefined) return yield* fault
        // what the kernel would refuse the CLI is refused here too, before anything is made
        const problem = Limits.spawnProblem(["podman", ...argv], env, process.env)
        if (problem !== undefined) return yield* new InvalidArgument({ ...problem, value: shorten(problem.value) })
        const field = UNMODELLED.find((key) =>
          spec[key] !== undefined && !(key === "restartPolicy" && spec[key] === "no")
        )
        if (field !== undefined) return yield* cannot(`create a container with "${field}"`)
        if (spec.mounts?.some((m) => m.type === "bind")) {
          return yield* cannot("mount a host path (bind mounts): use a volume or a tmpfs mount")
        }
        // what create pulls first, under its policy — verifying TLS, as podman's create does (an
        // HTTP registry's image is pulled first with `tlsVerify: false`)
        if (spec.pull === "always" || (spec.pull !== "never" && findImage(spec.image) === undefined)) {
          const pulled = Images.pullInto(state, spec.image, true)
          if (pulled._tag === "Refused") return yield* refused(argv, pulled.refusal)
        }
        const image = findImage(spec.image)
        if (image === undefined) return yield* refused(argv, Answers.noSuchImage(spec.image))
        const holder = containers.get(resolved.name)
        if (holder !== undefined) return yield* refused(argv, Answers.nameInUse(resolved.name, holder.id))
        if (
          spec.network !== undefined && !state.resources.network.has(spec.network) &&
          !ModelNetwork.isBuiltinNetwork(spec.network)
        ) {
          return yield* refused(argv, Answers.noSuchNetwork(spec.network))
        }
        if (spec.pod !== undefined && !state.resources.pod.has(spec.pod)) {
          return yield* refused(argv, Answers.noSuchPod(spec.pod))
        }
        const imageFiles = Object.entries(image.files ?? {})
        const mounted = (spec.mounts ?? []).flatMap((m): Array<ModelFiles.MountedVolume> =>
          m.type === "volume"
            ? [{
              ...ModelFiles.attachVolume(state.resources.volume, imageFiles, m.source, m.target, (name) =>
                ModelFiles.makeResource(name)),
              readOnly: m.readOnly === true
            }]
            : m.type === "tmpfs"
            ? [{ target: m.target, files: new Map() }]
            : []
        )
        const id = Answers.randomId()
        const gpu = (() => {
          const args = Gpu.gpuArgs(spec.gpu)
          return "args" in args ? args.args : []
        })()
        // the environment GPU args set (`-e NVIDIA_VISIBLE_DEVICES=…`)
        const gpuEnv = Object.fromEntries(
          gpu.filter((_, i) =>
            gpu[i - 1] === "-e"
          ).map((pair) => pair.split(/=(.*)/s).slice(0, 2))
        )
        const secrets = Object.fromEntries(
          Object.entries(spec.secretEnv ?? {}).map(([key, value]) => [key, Redacted.value(value)])
        )
        const c: Container = {
          id,
          name: resolved.name,
          image,
          imageName: /^[0-9a-f]{64}$/.test(spec.image) ? spec.image : Answers.normalizeImageName(spec.image),
          command: [...(spec.entrypoint ?? []), ...(spec.command ?? image.command ?? [])],
          env: { ...image.env, ...spec.env, ...secrets, ...gpuEnv },
          devices: [...Gpu.cdiDevices(gpu), ...devices],
          memoryLimit: spec.memory === undefined ? totalmem() : Answers.memoryBytes(spec.memory),
          settings: Answers.settingsOf(id, spec, hostFacts),
          startedAt: undefined,
          rwSize: 0,
          // as podman lists them: volumes (by name here); tmpfs mounts are not listed
          mounts: (spec.mounts ?? []).flatMap((m) =>
            m.type === "tmpfs"
              ? []
              : [{ type: m.type, source: m.source, destination: m.target, rw: m.readOnly !== true }]
          ),
          healthcheck: spec.healthcheck?.command ?? image.healthcheck,
          labels: { ...image.labels, ...spec.labels, ...resolved.labels },
          init: resolved.init,
          workdir: spec.workdir ?? image.workdir ?? "/",
          user: spec.user ?? "",
          readOnly: spec.readOnly === true,
          ports: spec.pod === undefined ? resolved.ports : state.resources.pod.get(spec.pod)?.ports ?? [],
          files: new ModelFiles.MountedFiles(imageFiles, mounted),
          network: spec.network,
          aliases: spec.networkAliases ?? [],
          pod: spec.pod,
          volumes: (spec.mounts ?? []).flatMap((m) => m.type === "volume" ? [m.source] : []),
          state: "created",
          exitCode: 0,
          starts: 0,
          scripted: false,
          exited: yield* Deferred.make<number>(),
          process: undefined,
          defect: undefined,
          servers: [],
          logs: [],
          feed: yield* PubSub.unbounded<Line | "end">(),
          partial: { stdout: "", stderr: "" }
        }
        containers.set(c.name, c)
        yield* logCreateWarnings(c.name, Answers.createWarnings(spec, hostFacts))
        yield* emit(c, "create")
        if (!started) {
          return
        }
        // `podman run` of what cannot start: the container stays, created
        const unresolved = c.devices.filter((device) => !cdiDevices.includes(device))
        if (unresolved.length > 0) return yield* refused(argv, Answers.cdiUnresolved(unresolved, undefined))
        // `podman run` of a program the image lacks, without init: the container stays, created
        const command = c.command[0] ?? ""
        if (!c.init && Shell.isMissing(command, io(c))) return yield* refused(argv, Answers.runMissing(command))
        yield* start(c)
      })

    const exec = (
      c: Container,
      argv: ReadonlyArray<string>,
      podman: ReadonlyArray<string>,
      settings: ExecSettings
    ): Effect.Effect<ExecResult, NonZeroExit> => {
      if (c.state !== "running") return Effect.fail(refused(podman, Answers.execNotRunning))
      const stdin = settings.stdin === undefined ? "" : Files.utf8(settings.stdin)
      if (stdin === undefined) return cannot("read stdin that is not UTF-8 (it holds text only)")
      for (const script of scripts.exec) {
        const answer = script(c.name, argv)
        if (Option.isSome(answer)) return Effect.succeed(answer.value)
      }
      const out = { stdout: "", stderr: "" }
      const command = argv[0] ?? ""
      const processIo = io(c, { ...settings, stdin })
      // a working directory the container lacks: runc cannot start the process
      if (settings.workdir !== undefined && Shell.folderKnown(processIo, settings.workdir) === false) {
        return Effect.succeed({ exitCode: 127, stdout: "", stderr: Answers.execWorkdirMissing(settings.workdir) })
      }
      const code = Shell.isMissing(command, processIo)
        ? Effect.sync(() => {
          out.stderr += Answers.execMissing(command)
          return 127
        })
        : drive(() => Shell.run(argv, processIo), (stream, text) => Effect.sync(() => void (out[stream] += text)))
      return Effect.map(code, (exitCode) => ({ exitCode, ...out }))
    }

    const driver: Driver = {
      state: (name) => stateFromInspect(driver.inspect)(name),
      inspect: (name) =>
        // a main process the model could not run: asking about the container dies saying why
        Effect.andThen(
          Effect.suspend(() => {
            const dead = containers.get(name)?.defect
            return dead === undefined ? Effect.void : Effect.die(dead)
          }),
          Effect.sync(() =>
            Option.map(Option.fromNullishOr(containers.get(name)), (c) => ({
              status: c.state,
              conmonPid: 0,
              logPath: undefined,
              settings: c.settings,
              id: c.id,
              imageName: c.imageName,
              startedAt: c.startedAt,
              mounts: c.mounts
            }))
          )
        ),
      start: (name) =>
        withContainer(["start", name], name, (c) => {
          const refusal = Answers.startRefusal(c)
          return refusal === undefined ? start(c) : Effect.fail(refused(["start", name], refusal))
        }),
      // podman 4.3 logs no reliable `stop` event (sometimes one, before or after `died`): the model
      // logs the `died`
      stop: (name, seconds) =>
        withContainer(Argv.stopArgs(name, seconds), name, (c) => {
          const refusal = Answers.stopRefusal(c)
          return refusal === undefined
            ? end(c, Answers.stopExit(c, seconds))
            : Effect.fail(refused(Argv.stopArgs(name, seconds), refusal))
        }),
      control: (name, control) => {
        const argv = Argv.controlArgs(control, name)
        return withContainer(argv, name, (c) => {
          const refusal = Answers.controlRefusal(control, c, hostFacts)
          if (refusal !== undefined) return Effect.fail(refused(argv, refusal))
          switch (control._tag) {
            case "Kill": {
              const signal = Answers.signalNumber(control.signal)!
              if (Answers.signalStops(signal) && !c.scripted) {
                return cannot(`send ${control.signal}: it holds no stopped processes (pause the container instead)`)
              }
              if (c.state === "paused" && signal !== 9 && !c.scripted) {
                return cannot(
                  `send ${control.signal} to a paused container: the signal waits for unpause, which it does not hold (SIGKILL ends it)`
                )
              }
              const code = Answers.signalExit(signal, c)
              return Effect.andThen(emit(c, "kill"), code === undefined ? Effect.void : end(c, code))
            }
            case "Pause":
              return Effect.andThen(Effect.sync(() => void (c.state = "paused")), emit(c, "pause"))
            case "Unpause":
              return Effect.andThen(Effect.sync(() => void (c.state = "running")), emit(c, "unpause"))
            case "Restart":
              return Effect.andThen(end(c, Answers.stopExit(c, control.seconds)), start(c))
          }
        })
      },
      wait: (name, timeout) =>
        withContainer(["wait", name], name, (c) =>
          Answers.waitAnswersAtOnce(c.state) ? Effect.succeed(c.exitCode) : Deferred.await(c.exited)).pipe(
            within(timeout, ["wait", name])
          ),
      exec: (name, argv, settings) => {
        // the argv the CLI layer runs, for the refusals
        const command = Argv.execArgs(name, argv, { ...settings, interactive: settings.stdin !== undefined }).args
        return withContainer(command, name, (c) =>
          exec(c, argv, command, settings)).pipe(
            within(settings.timeout, command)
          )
      },
      logs: (name, options) =>
        Stream.unwrap(withContainer(logsArgs(name, options), name, (c) =>
          Effect.gen(function*() {
            const subscription = yield* PubSub.subscribe(c.feed)
            const since = options.since?.getTime() ?? -Infinity
            const written = c.logs.filter((line) =>
              line.time >= since
            ).map(({ stream, line }) => ({ stream, line }))
            const past = options.tail === undefined
              ? written
              : written.slice(Math.max(0, written.length - options.tail))
            const seen = c.logs.length
            const live = options.follow && (c.state === "running" || c.state === "paused")
              ? Stream.fromSubscription(subscription).pipe(
                Stream.takeWhile((item): item is Line => item !== "end"),
                Stream.filter((line) => line.index >= seen),
                Stream.map((line) => line.entry)
              )
              : Stream.empty
            return Stream.concat(Stream.fromIterable(past), live)
          }))),
      list: (filter) =>
        Effect.andThen(
          Effect.yieldNow,
          Effect.sync(() =>
            [...containers.values()]
              .filter((c) =>
                "label" in filter
                  ? Answers.hasLabel(c.labels, filter.label)
                  : c.name.startsWith(`${filter.namePrefix}-`)
              )
              .map((c) => ({
                name: c.name,
                state: c.state,
                // as podman names it: the image's full name
                image: c.imageName,
                ports: c.ports, // in a pod: the pod's, as podman lists them
                labels: c.labels
              }))
          )
        ),
      execStdio: Stdio.make({ withContainer, exec, io, scripts }),
      rwSize: (name) => Effect.sync(() => Option.map(Option.fromNullishOr(containers.get(name)), (c) => c.rwSize)),
      loginPrefix: ["podman"],
      stats: (name) =>
        withContainer(["stats", "--no-stream", "--format", "{{json .ContainerStats}}", name], name, (c) => {
          const refusal = Answers.statsRefusal(hostFacts)
          return refusal !== undefined
            ? Effect.fail(refused(["stats", "--no-stream", "--format", "{{json .ContainerStats}}", name], refusal))
            : Effect.sync(() =>
              Answers.modelStats({
                running: c.state === "running" || c.state === "paused",
                init: c.init,
                memoryLimit: c.memoryLimit
              })
            )
        }),
      // the check runs as podman runs it, a shell command line in the container
      healthcheck: (name) =>
        withContainer(["healthcheck", "run", name], name, (c) => {
          // podman asks whether it runs first, then whether it has a check
          if (c.state !== "running") {
            return Effect.fail(refused(["healthcheck", "run", name], Answers.healthcheckNotRunning(c.id)))
          }
          if (c.healthcheck === undefined) {
            return Effect.fail(refused(["healthcheck", "run", name], Answers.noHealthcheck(c.id)))
          }
          return Effect.map(
            exec(c, ["/bin/sh", "-c", Argv.healthCommand(c.healthcheck)], ["healthcheck", "run", name], {}),
            (result) => result.exitCode === 0
          )
        }),
      ...Files.make(withContainer),
      remove: (names) => Effect.forEach(names, removeOne, { discard: true }),
      events,
      resources: Resources.make(state, removeOne),
      images: Images.make(state, removeOne),
      host: {
        cdiSpecDirs: Effect.sync(() => Option.fromNullishOr(hostFacts.cdiSpecDirs)),
        rootlessNetworkCmd: Effect.sync(() => Option.fromNullishOr(hostFacts.rootlessNetworkCmd))
      },
      podman: (args) =>
        cannot(`run podman ${args.join(" ")} (it is a model of podman's operations, not of its command line)`),
      create
    }
    const hooks = {
      exit: (name: string, exitCode: number) => withContainer(["kill", name], name, (c) => end(c, exitCode)),
      log: (name: string, line: string, stream: "stdout" | "stderr") =>
        withContainer(["logs", name], name, (c) => append(c, stream, `${line}\n`)),
      addImage: (image: Image) =>
        Effect.sync(() => {
          const [held] = Images.fromFixtures([image])
          state.images.unshift(held!)
          return held!.id
        }),
      addRegistry: (host: string) =>
        Effect.sync(() => void (state.registries.has(host) || state.registries.set(host, new Map()))),
      setCdiDevices: (devices: ReadonlyArray<string>) => Effect.sync(() => void (cdiDevices = devices)),
      setHostInfo: (host: HostFacts) => Effect.sync(() => void (hostFacts = host)),
      create: (spec: CreateSpec<Redacted.Redacted<string>>, resolved: Resolved, devices: ReadonlyArray<string>) =>
        create({ ...spec, pull: "never" }, resolved, false, devices)
    }
    return { driver, hooks }
  })
