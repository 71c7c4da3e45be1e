/**
 * Derives the whole `ContainerRuntime` from a `Driver`: handles, input checks, batching.
 *
 * @internal
 */
import { Duration, Effect, Equal, Hash, Option, Schedule, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { posix } from "node:path"
import type { Container, ContainerRemoveResult, ContainerRuntime, Image } from "../../ContainerRuntime.js"
import { NonZeroExit } from "../../PodmanError.js"
import * as PortReservation from "../../PortReservation.js"
import * as Archive from "./archive.js"
import type { Driver, ImageSummary } from "./driver.js"
import * as Events from "./events.js"
import * as ImageOps from "./images.js"
import * as Lifecycle from "./lifecycle.js"
import * as Validate from "./validate.js"

/** The default of `loginCommand`: attach to (or create) the tmux session `main`. @internal */
export const DEFAULT_LOGIN_COMMAND: ReadonlyArray<string> = ["tmux", "new-session", "-A", "-s", "main"]

const NodeInspect = Symbol.for("nodejs.util.inspect.custom")

/** An absolute container path without `..` or NUL. */
const containerPath = (argument: string, path: string) =>
  Effect.flatMap(Validate.text(argument, path), () =>
    posix.isAbsolute(path) && !path.split("/").includes("..")
      ? Effect.succeed(path)
      : Validate.invalid(argument, path, "is an absolute path in the container, without '..'"))

/** A grace period as podman's whole seconds: rounded up, never cut short (default 10 s). */
const graceSeconds = (argument: string, input: Duration.DurationInput | undefined) =>
  Effect.map(
    Validate.duration(argument, input ?? Duration.seconds(10)),
    (grace) => Math.ceil(Duration.toMillis(Option.getOrElse(grace, () => Duration.seconds(10))) / 1000)
  )

/** Handles are stateless identifiers: equal, hashed and printed by kind and key. */
abstract class Handle implements Equal.Equal {
  abstract readonly kind: "Container" | "Image"
  abstract readonly key: string;

  [Equal.symbol](that: unknown): boolean {
    return that instanceof Handle && that.kind === this.kind && that.key === this.key
  }
  [Hash.symbol](): number {
    return Hash.cached(this, Hash.string(`${this.kind}:${this.key}`))
  }
  toJSON() {
    return { _id: this.kind, key: this.key }
  }
  toString() {
    return `${this.kind}(${JSON.stringify(this.key)})`
  }
  [NodeInspect]() {
    return this.toJSON()
  }
}

class ContainerHandle extends Handle implements Container {
  readonly kind = "Container" as const
  readonly state: Container["state"]
  readonly running: Container["running"]
  readonly id: Container["id"]
  readonly startedAt: Container["startedAt"]
  readonly mounts: Container["mounts"]
  readonly image: Container["image"]
  readonly rwSize: Container["rwSize"]
  readonly start: Container["start"]
  readonly exec: Container["exec"]
  readonly healthcheck: Container["healthcheck"]
  readonly stop: Container["stop"]
  readonly restart: Container["restart"]
  readonly kill: Container["kill"]
  readonly pause: Container["pause"]
  readonly unpause: Container["unpause"]
  readonly wait: Container["wait"]
  readonly copyIn: Container["copyIn"]
  readonly config: Container["config"]
  readonly stats: Container["stats"]
  readonly statsStream: Container["statsStream"]
  readonly copyFiles: Container["copyFiles"]
  readonly archive: Container["archive"]
  readonly copyOut: Container["copyOut"]
  readonly logs: Container["logs"]
  readonly logEntries: Container["logEntries"]
  readonly waitForLog: Container["waitForLog"]
  readonly loginCommand: Container["loginCommand"]

  get key() {
    return this.name
  }

  constructor(readonly name: string, driver: Driver, image: (ref: string) => Image) {
    super()
    const named = Validate.operand("container name", name)
    const inspect = (size: boolean) => Effect.zipRight(named, driver.inspectContainer(name, { size }))
    this.state = Effect.zipRight(named, driver.containerState(name))
    this.running = Effect.map(this.state, Option.exists((state) => state === "running"))
    this.id = Effect.map(inspect(false), Option.map((info) => info.id))
    this.startedAt = Effect.map(inspect(false), Option.flatMap((info) => info.startedAt))
    this.mounts = Effect.map(inspect(false), Option.map((info) => info.mounts))
    this.image = Effect.map(inspect(false), Option.map((info) => image(info.imageName)))
    this.rwSize = Effect.map(inspect(true), Option.flatMap((info) => info.rwSize))
    this.start = Effect.zipRight(named, driver.startContainer(name))
    this.exec = (argv, options) =>
      Effect.all([
        named,
        Validate.argv("exec argv", argv),
        Validate.environment(options?.env ?? {}),
        options?.user === undefined ? Effect.void : Validate.operand("exec user", options.user),
        Validate.workdir("exec workdir", options?.workdir),
        Validate.duration("exec timeout", options?.timeout)
      ]).pipe(
        Effect.flatMap(([, , , , , timeout]) =>
          driver.exec(name, argv, {
            timeout,
            user: options?.user,
            workdir: options?.workdir,
            env: options?.env ?? {},
            stdin: typeof options?.stdin === "string" ? new TextEncoder().encode(options.stdin) : options?.stdin
          })
        )
      )
    this.healthcheck = Effect.zipRight(named, driver.healthcheck(name))
    this.stop = (options) =>
      Effect.flatMap(
        graceSeconds("stop timeout", options?.timeout),
        (seconds) => Effect.zipRight(named, driver.stopContainer(name, seconds))
      )
    this.restart = (options) =>
      Effect.flatMap(
        graceSeconds("restart timeout", options?.timeout),
        (seconds) => Effect.zipRight(named, driver.controlContainer(name, { _tag: "Restart", seconds }))
      )
    this.kill = (signal = "SIGKILL") =>
      Effect.zipRight(
        Validate.signal(signal),
        Effect.zipRight(named, driver.controlContainer(name, { _tag: "Kill", signal }))
      )
    this.pause = Effect.zipRight(named, driver.controlContainer(name, { _tag: "Pause" }))
    this.unpause = Effect.zipRight(named, driver.controlContainer(name, { _tag: "Unpause" }))
    this.wait = (options) =>
      Effect.zipRight(
        named,
        Effect.flatMap(Validate.duration("wait timeout", options?.timeout), (timeout) =>
          driver.waitContainer(name, timeout))
      )
    this.copyIn = (src, dest) =>
      Effect.all([named, Validate.operand("source path", src), Validate.operand("destination path", dest)]).pipe(
        Effect.zipRight(driver.copyIn(name, src, dest))
      )
    this.config = Effect.map(inspect(false), Option.map((info) => info.config))
    this.stats = Effect.zipRight(named, driver.statsContainer(name))
    // an interval that is not > 0 would poll podman in a tight loop: refused before the first sample
    this.statsStream = (options) =>
      Stream.unwrap(
        Effect.map(
          Validate.duration("stats interval", options?.interval ?? Duration.seconds(1), { positive: true }),
          (interval) =>
            Stream.repeatEffectWithSchedule(
              this.stats,
              Schedule.spaced(Option.getOrElse(interval, () => Duration.seconds(1)))
            )
        )
      )
    this.copyFiles = (files) =>
      Effect.zipRight(
        Effect.all([
          named,
          Effect.forEach(Object.keys(files), (path) => containerPath("file path", path), { discard: true })
        ]),
        driver.copyFilesIn(
          name,
          Object.entries(files).map(([path, content]) => ({
            path: posix.normalize(path),
            bytes: typeof content === "string" ? new TextEncoder().encode(content) : content
          }))
        )
      )
    this.archive = (path) =>
      Stream.unwrap(
        Effect.as(Effect.all([named, containerPath("container path", path)]), driver.archiveOut(name, path))
      )
    this.copyOut = (path, hostPath) =>
      Effect.zipRight(
        Validate.operand("host path", hostPath),
        Archive.extract(this.archive(path), hostPath).pipe(
          Effect.catchTag("ExtractError", (error) =>
            Effect.fail(
              new NonZeroExit({
                reason: "HostFile",
                operation: "container.copyOut",
                argv: [],
                stderr: `${error.path}: ${error.reason}`,
                cause: error.cause ?? error
              })
            ))
        )
      )
    this.logEntries = (options = {}) =>
      Stream.unwrap(
        Effect.as(
          Effect.all([
            named,
            Validate.count("log tail", options.tail),
            Validate.date("log since", options.since)
          ]),
          driver.logs(name, options)
        )
      )
    this.logs = (options) => Stream.map(this.logEntries(options), (entry) => entry.line)
    this.waitForLog = (ready, { onLine = (line) => Effect.log(line), timeout }) =>
      this.logs({ follow: true }).pipe(
        Stream.tap(onLine),
        Stream.filter(ready),
        Stream.runHead,
        Effect.map(Option.isSome),
        Effect.timeoutTo({ duration: timeout, onTimeout: () => false, onSuccess: (found) => found })
      )
    this.loginCommand = (command) => [
      ...driver.loginPrefix,
      "exec",
      "-it",
      name,
      ...(command === undefined || command.length === 0 ? DEFAULT_LOGIN_COMMAND : command)
    ]
  }
}

class ImageHandle extends Handle implements Image {
  readonly kind = "Image" as const
  readonly repository: Option.Option<string>
  readonly tag: Option.Option<string>
  readonly size: Option.Option<number>
  readonly created: Option.Option<Date>
  readonly id: Image["id"]
  readonly exists: Image["exists"]
  readonly labels: Image["labels"]
  readonly history: Image["history"]
  readonly digest: Image["digest"]
  readonly remove: Image["remove"]

  get key() {
    return this.ref
  }

  constructor(readonly ref: string, driver: Driver, listed: Option.Option<ImageSummary>) {
    super()
    this.repository = Option.flatMap(listed, (summary) => summary.repository)
    this.tag = Option.flatMap(listed, (summary) => summary.tag)
    this.size = Option.flatMap(listed, (summary) => summary.size)
    this.created = Option.flatMap(listed, (summary) => summary.created)
    const named = Validate.operand("image reference", ref)
    const inspect = Effect.zipRight(named, driver.inspectImage(ref))
    this.id = Effect.map(inspect, Option.map((info) => info.id))
    this.exists = Effect.map(inspect, Option.isSome)
    this.labels = Effect.zipRight(named, driver.imageLabels(ref))
    this.history = Effect.zipRight(named, driver.imageHistory(ref))
    this.digest = Effect.zipRight(named, driver.images.digest(ref))
    this.remove = Effect.zipRight(named, driver.removeImage(ref, false))
  }
}

const nameOf = (container: Container | string): string => typeof container === "string" ? container : container.name

/** @internal */
export const make = (driver: Driver, session: string = randomUUID()): ContainerRuntime.Service => {
  const image = (ref: string): Image => new ImageHandle(ref, driver, Option.none())
  const container = (name: string): Container => new ContainerHandle(name, driver, image)

  const listed = (prefix: string, size: boolean) =>
    Validate.operand("name prefix", prefix).pipe(
      Effect.zipRight(driver.listContainers(prefix, { size })),
      Effect.map((all) => all.filter((summary) => summary.name.startsWith(`${prefix}-`)))
    )

  const forceRemove: ContainerRuntime.Service["forceRemove"] = (containers) =>
    Effect.gen(function*() {
      const names = Array.from(containers, nameOf)
      const checked = yield* Effect.forEach(names, (name) =>
        Validate.operand("container name", name).pipe(
          Effect.match({ onFailure: (error) => Option.some(error.message), onSuccess: () => Option.none<string>() })
        ))
      const valid = [...new Set(names.filter((_, i) => Option.isNone(checked[i]!)))]
      const results = valid.length === 0 ? [] : yield* driver.forceRemove(valid)
      const byName = new Map(results.map((result) => [result.name, result]))
      const answered = names.map((name, i): ContainerRemoveResult =>
        Option.match(checked[i]!, {
          onSome: (error) => ({ name, removed: false, error: Option.some(error) }),
          onNone: () => byName.get(name) ?? { name, removed: false, error: Option.some("no result from podman") }
        })
      )
      // as the reference does: each failed removal at debug, with the container and why (redacted)
      for (const result of answered) {
        if (Option.isSome(result.error)) {
          yield* Effect.logDebug(`forced removal of container ${result.name} failed: ${result.error.value}`).pipe(
            Effect.annotateLogs({ container: result.name })
          )
        }
      }
      return answered
    })

  const base: Omit<ContainerRuntime.Service, Lifecycle.Derived> = {
    container,
    image,
    containers: (filter) =>
      Effect.map(
        "label" in filter
          ? Effect.zipRight(Validate.operand("label", filter.label), driver.listLabeled(filter.label))
          : listed(filter.namePrefix, false),
        (all) =>
          all.map((summary) => ({
            container: container(summary.name),
            name: summary.name,
            state: summary.state,
            image: summary.image,
            ports: summary.ports,
            labels: summary.labels
          }))
      ),
    containersWithPrefix: (prefix) => Effect.map(listed(prefix, false), (all) => all.map((c) => container(c.name))),
    images: (options) =>
      Effect.map(
        options?.label === undefined
          ? driver.listImages(options?.danglingOnly ?? false)
          : Effect.zipRight(
            Validate.text("image label", options.label),
            Effect.map(driver.images.listLabeled(options.label), (all) =>
              options.danglingOnly === true ? all.filter((s) => Option.isNone(s.tag)) : all)
          ),
        (all) =>
          all.map((summary) => new ImageHandle(summary.ref, driver, Option.some(summary)))
      ),
    ...ImageOps.make(driver, image),
    podman: (args, options) =>
      Effect.zipRight(
        Validate.argv("podman arguments", args),
        driver.podman(args, Option.map(Option.fromNullable(options?.timeout), Duration.decode))
      ),
    tagImage: (ref, target) =>
      Effect.all([Validate.operand("image reference", ref), Validate.operand("image tag", target)]).pipe(
        Effect.zipRight(driver.images.tag(ref, target)),
        Effect.as(image(target))
      ),
    removeImage: (ref, options) =>
      Effect.zipRight(Validate.operand("image reference", ref), driver.removeImage(ref, options?.force ?? false)),
    exec: (target, argv, options) => container(nameOf(target)).exec(argv, options),
    forceRemove,
    execStdio: (target, argv, options) =>
      Effect.all([
        Validate.operand("container name", nameOf(target)),
        Validate.argv("exec argv", argv),
        Validate.environment(options.env ?? {}),
        Validate.workdir("exec workdir", options.workdir)
      ]).pipe(Effect.zipRight(driver.execStdio(nameOf(target), argv, options))),
    events: (prefix, options) =>
      Stream.unwrap(
        Effect.map(
          Effect.zipRight(
            Validate.operand("name prefix", prefix),
            Validate.date("events since", options?.since)
          ),
          () =>
            Stream.suspend(() => Events.resumed(driver.events, options?.since ?? new Date())).pipe(
              Stream.filter((event) => event.name.startsWith(`${prefix}-`))
            )
        )
      ),
    reservePort: PortReservation.reserve,
    host: driver.host,
    containerStates: (prefix) =>
      Effect.map(listed(prefix, false), (all) => new Map(all.map((summary) => [summary.name, summary.state]))),
    containerRwSizes: (prefix) =>
      Effect.map(listed(prefix, true), (all) =>
        new Map(
          all.flatMap((summary) =>
            Option.match(summary.rwSize, { onNone: () => [], onSome: (size) => [[summary.name, size]] })
          )
        ))
  }
  return { ...base, ...Lifecycle.make(driver, base, session) }
}
