/**
 * The live driver: each primitive is one podman invocation through the argv runner.
 *
 * @internal
 */
import { isPlatformError } from "@effect/platform/Error"
import { Duration, Effect, Either, Fiber, Option, Sink, Stream } from "effect"
import type { Schema } from "effect"
import { controlArgs, execArgs, imageArgs, namePrefixPattern, stopArgs } from "effect-podman-shared/Argv"
import { stat } from "node:fs/promises"
import { resolve } from "node:path"
import type { ContainerRemoveResult, LogEntry } from "../../ContainerRuntime.js"
import { toCreateArgs } from "../../ContainerSpec.js"
import type { ContainerSpec, Resolved } from "../../ContainerSpec.js"
import * as Archive from "../core/archive.js"
import type { Driver } from "../core/driver.js"
import * as Failures from "../core/failures.js"
import * as LogFile from "../core/logFile.js"
import * as Json from "../core/podmanJson.js"
import { logCreateWarnings } from "../core/warnings.js"
import * as Images from "./images.js"
import * as Resources from "./resources.js"
import { nonZeroExit, operand, scratch } from "./runner.js"
import type { Arg, Output, Runner } from "./runner.js"
import { checkExit, lines, tailKeeper } from "./streams.js"

/** @internal */
export interface DriverTimeouts {
  /** Bound of `podman start`. */
  readonly start: Duration.Duration
  /** Added to a stop's grace period to bound `podman stop`. */
  readonly stopBuffer: Duration.Duration
  /** Bound of a batched `podman rm -f`. */
  readonly remove: Duration.Duration
}

/** Absent objects: podman exits 125 with "no such container" / "image not known". */
const absent = (output: Output, pattern: RegExp) => output.exitCode !== 0 && pattern.test(output.stderr)
const NO_SUCH_CONTAINER = /no such container/i
const NO_SUCH_IMAGE = /image not known|no such image/i

/** Whether podman itself failed to run an exec (`effect-podman-shared`'s rule). */
const podmanExecFailed = (output: Pick<Output, "exitCode" | "stderr" | "signal">) =>
  // podman itself killed by a signal is podman failing, not the command's exit code (128 + n)
  Failures.podmanExecFailed({
    exitCode: output.exitCode,
    stderr: output.stderr,
    killedBySignal: Option.isSome(output.signal)
  })

/**
 * An exec's environment as `-e` arguments: sensitive values travel in podman's own environment
 * (`-e KEY` alone), never in its argv.
 */
/** A bound given by a caller, or none (podman's own unbounded wait). */
const bound = (timeout: Option.Option<Duration.Duration>) => Option.getOrElse(timeout, () => Duration.infinity)

/** @internal */
export const make = (runner: Runner, timeouts: DriverTimeouts): Driver => {
  // a podman on another host (or behind a service): its files are not ours to read
  const remote = runner.config.globalArgs.some((arg) => /^--(url|connection|remote)\b/.test(arg))
  const container = (name: string) => operand("container name", name)
  const image = (ref: string) => operand("image reference", ref)

  /** `podman … inspect` of one object: none when podman says it is absent, decoded otherwise. */
  const inspectOne = <A, I, B>(
    args: ReadonlyArray<Arg>,
    absentPattern: RegExp,
    schema: Schema.Schema<ReadonlyArray<A>, I>,
    to: (raw: A) => B
  ) =>
    runner.exec(args).pipe(
      Effect.flatMap((output) =>
        absent(output, absentPattern)
          ? Effect.succeed(Option.none<B>())
          : output.exitCode !== 0
          ? Effect.fail(nonZeroExit(output))
          : Effect.map(Json.decode(schema)(output), (all) => Option.map(Option.fromNullable(all[0]), to))
      )
    )

  const inspectContainer: Driver["inspectContainer"] = (name, { size }) =>
    inspectOne(
      ["container", "inspect", ...(size ? ["--size"] : []), container(name)],
      NO_SUCH_CONTAINER,
      Json.ContainerInspectJson,
      Json.toContainerInfo
    )

  const containerState: Driver["containerState"] = (name) =>
    runner.exec(["container", "inspect", "--format", "{{.State.Status}}", container(name)]).pipe(
      Effect.flatMap((output) =>
        absent(output, NO_SUCH_CONTAINER)
          ? Effect.succeed(Option.none())
          : output.exitCode !== 0
          ? Effect.fail(nonZeroExit(output))
          : Effect.succeed(Option.some(Json.toContainerState(output.stdout.trim())))
      )
    )

  const inspectImage = (ref: string) =>
    inspectOne(["image", "inspect", image(ref)], NO_SUCH_IMAGE, Json.ImageInspectJson, Json.toImageInfo)

  /**
   * One `podman rm --force --ignore` for all; only when it fails, one call per container to name
   * the culprits. `--ignore` matters: podman < 5.1 given `--force` alone and one absent name exits
   * 0 having removed nothing (podman#21529).
   */
  const forceRemove: Driver["forceRemove"] = (names) => {
    const removeAll = (batch: ReadonlyArray<string>) =>
      // `--time 0`: a forced removal kills at once, without the stop grace period
      runner.run(["rm", "--force", "--ignore", "--time", "0", ...batch.map(container)], { timeout: timeouts.remove })
    const result = (name: string, error: Option.Option<string>): ContainerRemoveResult => ({
      name,
      removed: Option.isNone(error),
      error
    })
    return removeAll(names).pipe(
      Effect.as(names.map((name) => result(name, Option.none()))),
      Effect.catchAll((error) =>
        error._tag === "NonZeroExit" && names.length > 1
          ? Effect.forEach(
            names,
            (name) =>
              Effect.map(Effect.either(removeAll([name])), (single) =>
                result(
                  name,
                  Either.match(single, { onLeft: (e) => Option.some(e.message), onRight: () => Option.none() })
                )),
            { concurrency: 4 }
          )
          : Effect.succeed(names.map((name) => result(name, Option.some(error.message))))
      ),
      Effect.withSpan("podman container.remove", { attributes: { "podman.count": names.length } })
    )
  }

  const list = (filter: string, size: boolean) =>
    runner.run(["ps", "--all", ...(size ? ["--size"] : []), "--filter", filter, "--format", "json"]).pipe(
      Effect.flatMap(Json.decode(Json.PsJson)),
      Effect.map(Json.toContainerSummaries)
    )

  // `podman run -d` where the container starts at once: one process instead of two (~40 ms here)
  const create = (spec: ContainerSpec, resolved: Resolved, start: boolean) => {
    const { args, env } = toCreateArgs(spec, resolved)
    return runner.run(start ? ["run", "--detach", ...args.slice(1)] : args, { env, timeout: timeouts.start }).pipe(
      Effect.catchTag("NonZeroExit", Failures.gpuOrNonZero),
      Effect.flatMap((output) => logCreateWarnings(resolved.name, output.stderr))
    )
  }

  const logs: Driver["logs"] = (name, { follow, since, tail }) =>
    Stream.unwrapScoped(Effect.gen(function*() {
      // a local podman's log file is read as a file: what `podman logs` prints, >10× faster (a
      // dump), or followed until the container's conmon is gone (no `podman logs -f` running)
      if (!remote) {
        const info = yield* inspectContainer(name, { size: false })
        if (Option.isNone(info)) return yield* Effect.as(runner.run(["logs", container(name)]), Stream.empty)
        const fromFile = yield* LogFile.fromFile(info.value, { since, tail, follow })
        if (Option.isSome(fromFile)) return fromFile.value
      }
      const child = yield* runner.start([
        "logs",
        ...(follow === true ? ["--follow"] : []),
        ...(tail === undefined ? [] : ["--tail", String(tail)]),
        ...(since === undefined ? [] : ["--since", since.toISOString()]),
        container(name)
      ])
      const stderr = tailKeeper(20)
      // podman's own last words ("Error: no such container…") come on stderr, where they would
      // read as the container's: lines that look like them wait for the next line, or for a clean exit
      const containerStderr = Stream.suspend(() => {
        let held: Array<string> = []
        return Stream.concat(
          Stream.mapConcat(Stream.tap(lines(child.process.stderr), stderr.keep), (line) => {
            if (line.startsWith("Error: ")) {
              held.push(line)
              return []
            }
            const out = [...held, line]
            held = []
            return out
          }),
          Stream.unwrap(
            Effect.map(child.exit, ({ exitCode }) => (exitCode === 0 ? Stream.fromIterable(held) : Stream.empty))
          )
        )
      })
      const all = Stream.merge(
        Stream.map(lines(child.process.stdout), (line): LogEntry => ({ stream: "stdout", line })),
        Stream.map(containerStderr, (line): LogEntry => ({ stream: "stderr", line }))
      ).pipe(
        Stream.concat(checkExit(child, stderr.text))
      )
      // following is unbounded on purpose; a dump fails (and its child is reaped) when podman is
      // silent for the layer's timeout — a long log is not cut, a hung podman is
      return follow === true
        ? all
        : Stream.timeoutFail(all, () => Failures.timeout(child.argv, runner.config.timeout), runner.config.timeout)
    }))

  const events: Driver["events"] = (since) =>
    Stream.unwrapScoped(Effect.map(
      runner.start(["events", "--since", since.toISOString(), "--filter", "type=container", "--format", "{{json .}}"]),
      (child) => {
        const stderr = tailKeeper(20)
        return Stream.merge(
          Stream.filterMap(lines(child.process.stdout), Json.decodeEvent),
          Stream.drain(Stream.tap(lines(child.process.stderr), stderr.keep))
        ).pipe(Stream.concat(checkExit(child, stderr.text)))
      }
    ))

  /**
   * `podman exec -i`: stdin pumped in a fiber of its own (its end closes the child's stdin; a
   * child that stops reading does not hold the result back), stdout and stderr drained to their
   * sinks before the exit code is read.
   */
  const execStdio: Driver["execStdio"] = (name, argv, options) => {
    const { args, env: secret } = execArgs(container(name), argv, { ...options, interactive: true })
    const run = Effect.scoped(Effect.gen(function*() {
      const child = yield* runner.start(args, { stdin: "pipe", env: secret })
      const pump = yield* Effect.forkScoped(
        Stream.run(options.stdin, child.process.stdin).pipe(Effect.catchIf(isPlatformError, () => Effect.void))
      )
      const stderr = tailKeeper(20)
      const drained = Effect.all([
        child.exit,
        Stream.run(Stream.orDie(child.process.stdout), options.stdout),
        child.process.stderr.pipe(
          Stream.orDie,
          Stream.tap((chunk) => stderr.keep(new TextDecoder().decode(chunk))),
          Stream.run(options.stderr ?? Sink.drain)
        )
      ], { concurrency: "unbounded" })
      const [{ exitCode, signal }] = yield* Effect.raceFirst(drained, Effect.zipRight(Fiber.join(pump), Effect.never))
      const output = {
        operation: child.operation,
        argv: child.argv,
        exitCode,
        signal,
        stdout: "",
        stderr: stderr.text()
      }
      return podmanExecFailed(output) ? yield* nonZeroExit(output) : exitCode
    }))
    return Failures.within(
      options.timeout,
      runner.argv(execArgs(name, argv, { ...options, interactive: true }).args),
      "CallerBound"
    )(run)
  }

  /** A field of `podman info`; none when this podman does not have it (exit 125, "can't evaluate field"). */
  const infoField = (template: string) =>
    runner.exec(["info", "--format", template]).pipe(
      Effect.flatMap((output) =>
        output.exitCode === 0
          ? Effect.succeed(Option.some(output))
          : /can't evaluate field/.test(output.stderr)
          ? Effect.succeed(Option.none<Output>())
          : Effect.fail(nonZeroExit(output))
      )
    )

  return {
    host: {
      cdiSpecDirs: Effect.flatMap(infoField("{{json .Host.CDISpecs}}"), (field) =>
        Option.match(field, {
          onNone: () => Effect.succeed(Option.none<ReadonlyArray<string>>()),
          onSome: (output) => Effect.map(Json.decode(Json.CdiSpecDirsJson)(output), (dirs) => Option.some(dirs ?? []))
        })),
      rootlessNetworkCmd: Effect.map(
        infoField("{{.Host.RootlessNetworkCmd}}"),
        Option.flatMap((output) =>
          Option.liftPredicate(output.stdout.trim(), (cmd) => cmd !== "" && cmd !== "<no value>")
        )
      )
    },
    logs,
    events,
    resources: Resources.make(runner),
    images: Images.make(runner),
    execStdio,
    loginPrefix: runner.argv([]),
    inspectContainer,
    containerState,
    startContainer: (name) =>
      runner.run(["start", container(name)], { timeout: timeouts.start }).pipe(
        Effect.catchTag("NonZeroExit", Failures.gpuOrNonZero),
        Effect.asVoid
      ),
    podman: (args, timeout) =>
      Effect.map(
        runner.run(
          args,
          Option.match(timeout, { onNone: () => ({}), onSome: (bound) => ({ timeout: bound, callerBound: true }) })
        ),
        ({ stderr, stdout }) => ({ stdout, stderr })
      ),
    statsContainer: (name) =>
      runner.run(["stats", "--no-stream", "--format", "{{json .ContainerStats}}", container(name)]).pipe(
        Effect.flatMap(Json.decode(Json.StatsJson)),
        Effect.map(Json.toContainerStats)
      ),
    controlContainer: (name, control) =>
      Effect.asVoid(runner.run(
        controlArgs(control, container(name)),
        control._tag === "Restart"
          ? { timeout: Duration.sum(Duration.seconds(control.seconds), timeouts.stopBuffer) }
          : {}
      )),
    stopContainer: (name, seconds) =>
      runner.run(stopArgs(container(name), seconds), {
        timeout: Duration.sum(Duration.seconds(seconds), timeouts.stopBuffer)
      }).pipe(Effect.asVoid),
    waitContainer: (name, timeout) =>
      runner.run(["wait", container(name)], { timeout: bound(timeout), callerBound: true }).pipe(
        Effect.flatMap((output) => {
          const code = output.stdout.trim()
          return /^-?\d+$/.test(code)
            ? Effect.succeed(Number(code))
            : Effect.dieMessage(`podman wait ${name} printed no exit code: ${JSON.stringify(output.stdout)}`)
        })
      ),
    copyFilesIn: (name, files) =>
      Effect.scoped(
        Effect.flatMap(scratch, ({ env }) => runner.run(["cp", "-", `${name}:/`], { stdin: Archive.pack(files), env }))
      ).pipe(
        Effect.asVoid
      ),
    archiveOut: (name, path) =>
      Stream.unwrapScoped(Effect.map(runner.start(["cp", `${name}:${path}`, "-"]), (child) => {
        const stderr = tailKeeper(20)
        // an archive that stalls (a hung `podman cp`) fails after the layer's timeout of silence
        return Stream.concat(
          Stream.merge(
            Stream.orDie(child.process.stdout),
            Stream.drain(Stream.tap(lines(child.process.stderr), stderr.keep))
          ).pipe(
            Stream.timeoutFail(() => Failures.timeout(child.argv, runner.config.timeout), runner.config.timeout)
          ),
          checkExit(child, stderr.text)
        )
      })),
    copyIn: (name, src, dest) => {
      // `podman cp` reads `NAME:PATH` as a container path; an absolute path is always the host's
      const source = resolve(src)
      return Effect.promise(() => stat(source).then((info) => info.isDirectory(), () => false)).pipe(
        Effect.flatMap((isDirectory) =>
          runner.run(["cp", operand("source path", isDirectory ? `${source}/.` : source), `${name}:${dest}`])
        ),
        Effect.asVoid
      )
    },
    listContainers: (prefix, { size }) => list(`name=${namePrefixPattern(prefix)}`, size),
    listLabeled: (key) => list(`label=${key}`, false),
    create: (spec, resolved) => create(spec, resolved, false),
    createStarted: (spec, resolved) => create(spec, resolved, true),
    healthcheck: (name) =>
      runner.exec(["healthcheck", "run", container(name)]).pipe(
        Effect.flatMap((output) =>
          // 0: healthy; 1: unhealthy; anything else (no check defined, no container) is podman failing
          output.exitCode === 0 || output.exitCode === 1
            ? Effect.succeed(output.exitCode === 0)
            : Effect.fail(nonZeroExit(output))
        )
      ),
    listImages: (danglingOnly) =>
      runner.run(["images", ...(danglingOnly ? ["--filter", "dangling=true"] : []), "--format", "json"]).pipe(
        Effect.flatMap(Json.decode(Json.ImagesJson)),
        Effect.map(Json.toImageSummaries)
      ),
    inspectImage,
    imageLabels: (ref) =>
      runner.run(["image", "inspect", image(ref)]).pipe(
        Effect.flatMap(Json.decode(Json.ImageInspectJson)),
        Effect.map((all) => all[0] === undefined ? {} : Json.toImageInfo(all[0]).labels)
      ),
    imageHistory: (ref) =>
      runner.run(["image", "history", "--no-trunc", "--format", "json", image(ref)]).pipe(
        Effect.flatMap(Json.decode(Json.HistoryJson)),
        Effect.map((steps) => steps.map((step) => step.CreatedBy).filter((line) => line !== ""))
      ),
    removeImage: (ref, force) =>
      runner.exec(imageArgs.remove(image(ref), force)).pipe(
        Effect.flatMap((output) =>
          // 1: no such image, 2: in use by a container — podman refused, which is an answer
          output.exitCode === 0
            ? Effect.succeed(true)
            : output.exitCode === 1 || output.exitCode === 2
            ? Effect.succeed(false)
            : Effect.fail(nonZeroExit(output))
        )
      ),
    exec: (name, argv, { env: variables, stdin, timeout, user, workdir }) => {
      const { args, env: secret } = execArgs(container(name), argv, {
        interactive: stdin !== undefined,
        user,
        workdir,
        env: variables
      })
      return runner.exec(args, {
        timeout: bound(timeout),
        callerBound: true,
        env: secret,
        ...(stdin === undefined ? {} : { stdin: Stream.make(stdin) })
      }).pipe(
        Effect.flatMap((output) =>
          podmanExecFailed(output)
            ? Effect.fail(nonZeroExit(output))
            : Effect.succeed({ exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr })
        )
      )
    },
    forceRemove
  }
}
