/**
 * The CLI backend of the Effect 4 edition: one `podman` process per operation (the runner), with
 * the argv of `effect-podman-shared`.
 *
 * @internal
 */
import { Duration, Effect, Fiber, Option, Redacted, Result, Schema, Sink, Stream } from "effect"
import * as Archive from "effect-podman-shared/Archive"
import * as Argv from "effect-podman-shared/Argv"
import * as Events from "effect-podman-shared/Events"
import * as Failures from "effect-podman-shared/Failures"
import * as PodmanJson from "effect-podman-shared/PodmanJson"
import * as Progress from "effect-podman-shared/Progress"
import { redactEnvArgs } from "effect-podman-shared/Redact"
import * as Scratch from "effect-podman-shared/Scratch"
import { stat } from "node:fs/promises"
import type { NonZeroExit } from "../../PodmanError.js"
import { Timeout } from "../../PodmanError.js"
import type { Driver } from "../core/driver.js"
import {
  HistoryJson,
  ImageInspectedJson,
  imageRequestArgs,
  ImagesListed,
  Inspected,
  Listed,
  logsArgs,
  ResourcesListed,
  SizeRw,
  StatsEntry,
  toImagesListed,
  toInspected,
  toLabeledResources,
  toListings,
  within
} from "../core/driver.js"
import { defaultTimeouts } from "../core/options.js"
import type { Timeouts } from "../core/options.js"
import { unreadable } from "../core/unreadable.js"
import { logCreateWarnings } from "../core/warnings.js"
import { buildEntries } from "./build.js"
import type { Output, Runner } from "./runner.js"
import { nonZeroExit, scratch } from "./runner.js"

/** podman's JSON output, decoded; what cannot be read is a `NonZeroExit` saying so. */
const json = <S extends Schema.Top>(
  output: Output,
  schema: S,
  what: string
): Effect.Effect<S["Type"], NonZeroExit, S["DecodingServices"]> =>
  Effect.try({ try: () => JSON.parse(output.stdout) as unknown, catch: () => "not JSON" }).pipe(
    Effect.flatMap((raw) => Schema.decodeUnknownEffect(schema)(raw)),
    Effect.mapError((error) => unreadable(what, output.operation, output.argv, error))
  )

/** A field of `podman info`; undefined when this podman does not have it ("can't evaluate field"). */
const infoField = (runner: Runner, template: string) =>
  Effect.flatMap(runner.exec(["info", "--format", template]), (output) =>
    output.exitCode === 0
      ? Effect.succeed<Output | undefined>(output)
      : /can't evaluate field/.test(output.stderr)
      ? Effect.succeed(undefined)
      : Effect.fail(nonZeroExit(output)))

/** The id of a local image. */
/**
 * `stream` (podman's output while it runs `args`), failing with the layer's `Timeout` when podman
 * says nothing for the layer's `timeout`; its child is killed as the stream ends.
 */
/**
 * A pull or push: bounded by the layer's timeout of silence, with a scratch `TMPDIR` (what podman
 * leaves there when it is killed goes with it).
 */
const transfer = (runner: Runner, args: ReadonlyArray<string>) =>
  silentFor(runner, args, Stream.unwrap(Effect.map(scratch, ({ env }) => runner.entries(args, env))))

const silentFor = <A, E, R>(
  runner: Runner,
  args: ReadonlyArray<string>,
  stream: Stream.Stream<A, E, R>
): Stream.Stream<A, E | Timeout, R> =>
  Stream.timeoutOrElse(stream, {
    duration: runner.config.timeout,
    orElse: () =>
      Stream.fail(
        new Timeout({
          argv: redactEnvArgs([runner.config.binary, ...runner.config.globalArgs, ...args]),
          timeoutMillis: Duration.toMillis(runner.config.timeout),
          reason: { _tag: "LayerBound" },
          operation: Failures.cliOperation(args)
        })
      )
  })

const imageId = (runner: Runner, ref: string) =>
  Effect.map(runner.run(["image", "inspect", "--format", "{{.Id}}", ref]), (output) => output.stdout.trim())

/** @internal */
export const make = (runner: Runner, bounds: Timeouts = defaultTimeouts): Driver => ({
  state: (name) =>
    Effect.flatMap(
      runner.exec(["container", "inspect", "--format", "{{.State.Status}}", name]),
      (output) =>
        output.exitCode === 0
          ? Effect.succeed(Option.some(PodmanJson.toContainerState(output.stdout.trim())))
          : Failures.reasonOf(output.stderr) === "NoSuchContainer"
          ? Effect.succeed(Option.none())
          : Effect.fail(nonZeroExit(output))
    ),
  inspect: (name) =>
    Effect.flatMap(runner.exec(["container", "inspect", name]), (output) => {
      if (output.exitCode !== 0) {
        return Failures.reasonOf(output.stderr) === "NoSuchContainer"
          ? Effect.succeed(Option.none())
          : Effect.fail(nonZeroExit(output))
      }
      return Effect.map(json(output, Schema.Array(Inspected), "an inspect"), (all) =>
        Option.map(Option.fromNullishOr(all[0]), toInspected))
    }),
  start: (name) => Effect.asVoid(runner.run(["start", name], { timeout: bounds.start, layerBound: true })),
  control: (name, control) =>
    Effect.asVoid(runner.run(
      Argv.controlArgs(control, name),
      control._tag === "Restart"
        ? { timeout: Duration.sum(Duration.seconds(control.seconds), bounds.stopBuffer), layerBound: true }
        : {}
    )),
  stop: (name, seconds) =>
    Effect.asVoid(
      runner.run(Argv.stopArgs(name, seconds), {
        timeout: Duration.sum(Duration.seconds(seconds), bounds.stopBuffer),
        layerBound: true
      })
    ),
  wait: (name, timeout) =>
    Effect.map(
      runner.run(["wait", name], { timeout: timeout ?? Duration.infinity }),
      (output) => Number(output.stdout.trim())
    ),
  exec: (name, argv, { env, stdin, timeout, user, workdir }) => {
    const { args, env: secret } = Argv.execArgs(name, argv, { interactive: stdin !== undefined, user, workdir, env })
    return Effect.flatMap(
      runner.exec(args, {
        timeout: timeout ?? Duration.infinity,
        env: secret,
        ...(stdin === undefined ? {} : { stdin: Stream.make(stdin) })
      }),
      (output) =>
        Failures.podmanExecFailed({ exitCode: output.exitCode, stderr: output.stderr, killedBySignal: false })
          ? Effect.fail(nonZeroExit(output))
          : Effect.succeed({ exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr })
    )
  },
  execStdio: (name, argv, options) => {
    const { args, env: secret } = Argv.execArgs(name, argv, { ...options, interactive: true })
    const run = Effect.scoped(Effect.gen(function*() {
      const child = yield* runner.start(args, { env: secret })
      const { handle } = child
      // stdin in a fiber of its own: its end closes the child's stdin, and a child that stops
      // reading does not hold the result back
      const pump = yield* Effect.forkScoped(Effect.ignore(Stream.run(options.stdin, handle.stdin), { log: false }))
      let stderrTail = ""
      const drained = Effect.all([
        Effect.orElseSucceed(handle.exitCode, () => -1),
        Stream.run(Stream.orDie(handle.stdout), options.stdout),
        handle.stderr.pipe(
          Stream.orDie,
          Stream.tap((chunk) =>
            Effect.sync(() => void (stderrTail = (stderrTail + new TextDecoder().decode(chunk)).slice(-8192)))
          ),
          Stream.run(options.stderr ?? Sink.drain)
        )
      ], { concurrency: "unbounded" })
      const [exitCode] = yield* Effect.raceFirst(drained, Effect.andThen(Fiber.join(pump), Effect.never))
      const output = {
        operation: child.operation,
        argv: child.argv,
        exitCode: Number(exitCode),
        stdout: "",
        stderr: child.redact(stderrTail)
      }
      return Failures.podmanExecFailed({ ...output, killedBySignal: false })
        ? yield* nonZeroExit(output)
        : Number(exitCode)
    }))
    return within(options.timeout, redactEnvArgs(args))(run)
  },
  events: (since) =>
    runner.lines(["events", "--since", since.toISOString(), "--filter", "type=container", "--format", "{{json .}}"])
      .pipe(
        Stream.map(Events.decodeEvent),
        Stream.filter((event): event is Events.ContainerEvent => event !== undefined)
      ),
  rwSize: (name) =>
    Effect.flatMap(runner.exec(["container", "inspect", "--size", name]), (output) => {
      if (output.exitCode !== 0) {
        return Failures.reasonOf(output.stderr) === "NoSuchContainer"
          ? Effect.succeed(Option.none())
          : Effect.fail(nonZeroExit(output))
      }
      return Effect.map(json(output, Schema.Array(SizeRw), "an inspect"), (all) => Option.fromNullishOr(all[0]?.SizeRw))
    }),
  loginPrefix: [runner.config.binary, ...runner.config.globalArgs],
  stats: (name) =>
    Effect.flatMap(
      runner.run(["stats", "--no-stream", "--format", "{{json .ContainerStats}}", name]),
      (output) => Effect.map(json(output, StatsEntry, "a stats sample"), PodmanJson.toContainerStats)
    ),
  healthcheck: (name) =>
    Effect.flatMap(runner.exec(["healthcheck", "run", name]), (output) =>
      // 0: healthy; 1: unhealthy; anything else (no check defined, not running) is podman failing
      output.exitCode === 0 || output.exitCode === 1
        ? Effect.succeed(output.exitCode === 0)
        : Effect.fail(nonZeroExit(output))),
  // `podman cp` reads `NAME:PATH` as a container path; an absolute path is always the host's; a
  // directory is copied contents-first
  copyIn: (name, src, dest) =>
    Effect.flatMap(
      Effect.promise(() => stat(src).then((info) => info.isDirectory(), () => false)),
      (isDirectory) =>
        Effect.asVoid(
          runner.run(["cp", isDirectory ? `${src}/.` : src, `${name}:${dest}`], { timeout: Duration.infinity })
        )
    ),
  copyFilesIn: (name, files) =>
    Effect.scoped(
      Effect.flatMap(scratch, ({ env }) =>
        runner.run(["cp", "-", `${name}:/`], {
          env,
          stdin: Stream.orDie(Stream.fromAsyncIterable(Archive.pack(files), (error) => error))
        }))
    ).pipe(
      Effect.asVoid
    ),
  // an archive that stalls (a hung `podman cp`) fails after the layer's timeout of silence
  archiveOut: (name, path) =>
    silentFor(runner, ["cp", `${name}:${path}`, "-"], runner.bytes(["cp", `${name}:${path}`, "-"])),
  logs: (name, options) => runner.entries(logsArgs(name, options)),
  list: (filter) =>
    Effect.flatMap(
      runner.run([
        "ps",
        "--all",
        "--filter",
        "label" in filter ? `label=${filter.label}` : `name=${Argv.namePrefixPattern(filter.namePrefix)}`,
        "--format",
        "json"
      ]),
      (output) => Effect.map(json(output, Listed, "a listing"), toListings)
    ),
  resources: {
    create: (kind, name, settings) => Effect.asVoid(runner.run(Argv.resourceCreateArgs(kind, name, settings))),
    // an absent one counts as removed
    remove: (kind, names) =>
      Effect.forEach(
        names,
        (name) =>
          Effect.flatMap(runner.exec(Argv.resourceRemoveArgs(kind, name)), (output) =>
            output.exitCode === 0 || /no such|not found/i.test(output.stderr)
              ? Effect.void
              : Effect.fail(nonZeroExit(output))),
        {
          discard: true
        }
      ),
    list: (kind, key) =>
      Effect.flatMap(
        runner.run(Argv.resourceListArgs(kind, key)),
        (output) => Effect.map(json(output, ResourcesListed, `a ${kind} listing`), toLabeledResources)
      )
  },
  images: {
    progress: (request) =>
      Stream.suspend(() => {
        let id = ""
        // a push prints no id: its `Done` is the pushed image's
        const done = request._tag === "Push" ? imageId(runner, request.ref) : undefined
        const args = imageRequestArgs(request)
        // a transfer silent for the layer's timeout (a registry that never answers) fails; a build's steps may be quiet
        const entries = request._tag === "Build"
          ? buildEntries(runner, args)
          : transfer(runner, args)
        const lines = entries.pipe(
          Stream.tap((entry) =>
            Effect.sync(() => void (entry.stream === "stdout" && Progress.isImageId(entry.line) && (id = entry.line)))
          ),
          Stream.filterMap((entry) => {
            const line = entry.line !== "" && !Progress.isImageId(entry.line)
              ? Scratch.withoutMarker(entry.line)
              : undefined
            return line === undefined ? Result.failVoid : Result.succeed(Progress.parseLine(line))
          })
        )
        const finish = Stream.fromEffect(Effect.map(
          done ?? Effect.sync(() => id),
          (resolved): Progress.ImageProgress => ({ _tag: "Done", id: resolved })
        ))
        return Stream.concat(lines, finish)
      }),
    prune: Effect.map(
      runner.run(["image", "prune", "--force"]),
      (output) => output.stdout.split("\n").filter(Progress.isImageId)
    ),
    pull: (ref, tlsVerify) =>
      Stream.runDrain(
        transfer(runner, Argv.imageArgs.pull(ref, tlsVerify))
      ),
    push: (ref, destination, tlsVerify) =>
      Stream.runDrain(
        transfer(runner, Argv.imageArgs.push(ref, destination, tlsVerify))
      ),
    tag: (ref, target) => Effect.asVoid(runner.run(Argv.imageArgs.tag(ref, target))),
    remove: (ref, force) =>
      Effect.flatMap(runner.exec(Argv.imageArgs.remove(ref, force)), (output) =>
        // 1: no such image, 2: in use by a container — podman refused, which is an answer
        output.exitCode === 0
          ? Effect.succeed(true)
          : output.exitCode === 1 || output.exitCode === 2
          ? Effect.succeed(false)
          : Effect.fail(nonZeroExit(output))),
    inspect: (ref) =>
      Effect.flatMap(runner.exec(["image", "inspect", ref]), (output) => {
        if (output.exitCode !== 0) {
          return Failures.reasonOf(output.stderr) === "NoSuchImage"
            ? Effect.succeed(Option.none())
            : Effect.fail(nonZeroExit(output))
        }
        return Effect.map(json(output, ImageInspectedJson, "an image inspect"), (all) =>
          Option.map(Option.fromNullishOr(all[0]), (image) => ({
            id: image.Id,
            labels: image.Labels ?? {},
            digest: image.Digest !== undefined && /^sha256:[0-9a-f]{64}$/.test(image.Digest) ? image.Digest : undefined
          })))
      }),
    labels: (ref) =>
      Effect.flatMap(
        runner.run(["image", "inspect", ref]),
        (output) => Effect.map(json(output, ImageInspectedJson, "an image inspect"), (all) => all[0]?.Labels ?? {})
      ),
    history: (ref) =>
      Effect.flatMap(
        runner.run(["image", "history", "--no-trunc", "--format", "json", ref]),
        (output) =>
          Effect.map(json(output, HistoryJson, "an image history"), (steps) =>
            steps.map((step) => step.CreatedBy ?? "").filter((line) => line !== ""))
      ),
    list: (label) =>
      Effect.flatMap(
        runner.run(label === undefined ? ["images", "--format", "json"] : Argv.imageArgs.listLabeled(label)),
        (output) => Effect.map(json(output, ImagesListed, "an image listing"), toImagesListed)
      )
  },
  host: {
    cdiSpecDirs: Effect.flatMap(infoField(runner, "{{json .Host.CDISpecs}}"), (output) =>
      output === undefined
        ? Effect.succeed(Option.none())
        : Effect.map(json(output, Schema.NullOr(Schema.Array(Schema.String)), "podman's CDI spec folders"), (dirs) =>
          Option.some(dirs ?? []))),
    rootlessNetworkCmd: Effect.map(infoField(runner, "{{.Host.RootlessNetworkCmd}}"), (output) => {
      const command = output?.stdout.trim() ?? ""
      return command === "" || command === "<no value>" ? Option.none() : Option.some(command)
    })
  },
  podman: (args, timeout) => Effect.map(runner.run(args, { timeout }), ({ stderr, stdout }) => ({ stdout, stderr })),
  remove: (names) =>
    names.length === 0
      ? Effect.void
      : Effect.asVoid(
        runner.run(["rm", "--force", "--ignore", "--time", "0", ...names], { timeout: bounds.remove, layerBound: true })
      ),
  create: (spec, resolved, started) => {
    const { args, env } = Argv.createArgs(spec, resolved, Redacted.value)
    return Effect.flatMap(
      runner.run(started ? ["run", "--detach", ...args.slice(1)] : args, { env }),
      (output) => logCreateWarnings(resolved.name, output.stderr)
    )
  }
})
