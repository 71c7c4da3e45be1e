/**
 * The REST driver: the libpod API over a unix socket for what is asked often (inspect, lists,
 * images, start/stop/wait, exec and execStdio, copyIn, health checks, logs, events, removal), and
 * create where the SpecGenerator can say the spec; the podman CLI in remote mode (`--url unix://…`,
 * the same service) for the rest (other creates, host info, resources, image transfers).
 *
 * @internal
 */
import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { NodeSink, NodeStream } from "@effect/platform-node"
import { Deferred, Duration, Effect, Fiber, Option, Redacted, Schedule, Schema, Sink, Stream } from "effect"
import type { Scope } from "effect"
import { controlEndpoint, namePrefixPattern } from "effect-podman-shared/Argv"
import * as ContainersConf from "effect-podman-shared/ContainersConf"
import type { CreateSpec } from "effect-podman-shared/Spec"
import * as SpecGenerator from "effect-podman-shared/SpecGenerator"
import { posix } from "node:path"
import type { Duplex } from "node:stream"
import type { LogEntry } from "../../Container.js"
import type { PodmanMissing } from "../../PodmanError.js"
import { NonZeroExit } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"
import * as Archive from "../core/archive.js"
import { createThenStart, stateFromInspect } from "../core/driver.js"
import type { Driver } from "../core/driver.js"
import * as Failures from "../core/failures.js"
import * as HostTree from "../core/hostTree.js"
import * as LogFile from "../core/logFile.js"
import * as Json from "../core/podmanJson.js"
import * as Validate from "../core/validate.js"
import { logCreateWarnings } from "../core/warnings.js"
import * as Client from "./client.js"
import * as ApiFailures from "./failures.js"
import { demultiplex, frameLines } from "./frames.js"

/** @internal */
export interface ApiConfig {
  /** POSTs to `path` asking for a protocol upgrade: the raw, full-duplex connection. */
  readonly upgrade: (path: string) => Effect.Effect<Duplex, PodmanMissing | NonZeroExit, Scope.Scope>
  /** `http://podman` over a unix socket, `http://HOST:PORT` over TCP. */
  readonly origin: string
  /** What to name when nothing answers (the socket path or the URL). */
  readonly endpoint: string
  readonly timeout: Duration.Duration
  readonly stopBuffer: Duration.Duration
}

/** The archive endpoint's stat header: base64 JSON with `isDir`. */
const isDirectoryStat = (header: string | undefined): boolean => {
  try {
    return header !== undefined && JSON.parse(Buffer.from(header, "base64").toString("utf8")).isDir === true
  } catch {
    return false
  }
}

const ExecCreated = Schema.parseJson(Schema.Struct({ Id: Schema.String }))
const ExecInspected = Schema.parseJson(
  Schema.Struct({ Running: Schema.Boolean, ExitCode: Schema.optional(Schema.NullOr(Schema.Number)) })
)

const HealthResult = Schema.parseJson(Schema.Struct({ Status: Schema.String }))

class NotYet {
  readonly _tag = "NotYet"
}

/** @internal */
export const make = (http: HttpClient.HttpClient, cli: Driver, config: ApiConfig): Driver => {
  const { BASE, c, describe, expect, failed, filters, getOptional, getRequired, json, lost, send } = Client.make(
    http,
    config
  )

  const list = (filter: Record<string, ReadonlyArray<string>>, size: boolean) =>
    Effect.map(
      getRequired(`/containers/json?all=true${size ? "&size=true" : ""}&filters=${filters(filter)}`, Json.PsJson),
      Json.toContainerSummaries
    )

  /**
   * `copyIn` through the archive endpoint, with `podman cp`'s semantics: a directory's contents
   * go into `dest` (created if absent); a file goes into `dest` when it is a directory, else
   * becomes `dest`. The archive streams from the host tree as it is uploaded (see `hostTree`).
   */
  const copyIn: Driver["copyIn"] = (name, src, dest) =>
    Effect.gen(function*() {
      const argv = ["PUT", `${c(name)}/archive?path=${dest}`]
      const tree = yield* Failures.hostTree(src, argv)
      const stat = yield* send(HttpClientRequest.head(`${BASE}${c(name)}/archive?path=${encodeURIComponent(dest)}`))
      const destIsDirectory = stat.status === 200 && isDirectoryStat(stat.headers["x-docker-container-path-stat"])
      const { entries, isDirectory, root } = tree
      const target = destIsDirectory ? dest : posix.dirname(dest)
      const base = posix.basename(dest)
      const renamed: ReadonlyArray<HostTree.HostEntry> = destIsDirectory
        ? entries
        : isDirectory
        ? [{ ...root, path: base }, ...entries.map((e) => ({ ...e, path: `${base}/${e.path}` }))]
        : entries.map((e) => ({ ...e, path: base }))
      // a host file that cannot be read fails the upload; report that, not the broken request
      const failedRead = yield* Deferred.make<HostTree.HostPathError>()
      const body = HostTree.archive(renamed).pipe(
        Stream.tapError((error) => Deferred.succeed(failedRead, error))
      )
      yield* expect(
        // as podman cp: a file never replaces a folder (nor a folder a file), it is refused
        HttpClientRequest.put(`${BASE}${c(name)}/archive?path=${encodeURIComponent(target)}&noOverwriteDirNonDir=true`)
          .pipe(
            HttpClientRequest.bodyStream(body, { contentType: "application/x-tar" })
          ),
        (status) => status < 300
      ).pipe(
        Effect.catchAll((error) =>
          Effect.flatMap(Deferred.poll(failedRead), (read) =>
            Option.match(read, {
              onNone: () => Effect.fail(error),
              onSome: (awaited) => Effect.flatMap(awaited, (e) => Effect.fail(Failures.hostPath(argv, e)))
            }))
        )
      )
    })

  /**
   * `create` through the API where libpod's SpecGenerator can say the spec (no podman-remote
   * process: ~35 ms less here); through the CLI in remote mode otherwise — raw `extraArgs`, GPU
   * devices, special network modes, `pull: always` — and for an image that is not here yet, which
   * the CLI pulls first as its pull policy says.
   */
  const clientUlimits = ContainersConf.once()
  const create: Driver["create"] = (spec, resolved) =>
    Effect.flatMap(Effect.promise(clientUlimits), (ulimits) =>
      ulimits instanceof Error
        ? Effect.fail(
          new NonZeroExit({
            operation: "container.create",
            argv: ["POST", "/containers/create"],
            stderr: `Error: ${ulimits.message}`
          })
        )
        : createWith(spec, resolved, spec.ulimits ?? ulimits))

  // as podman-remote: the client's containers.conf `default_ulimits` for a spec that names none
  const createWith = (
    spec: Parameters<Driver["create"]>[0],
    resolved: Parameters<Driver["create"]>[1],
    ulimits: CreateSpec["ulimits"]
  ) =>
    Option.match(Option.fromNullable(SpecGenerator.specGenerator({ ...spec, ulimits }, resolved, Redacted.value)), {
      onNone: () => cli.create(spec, resolved),
      onSome: (body) => {
        const request = HttpClientRequest.post(`${BASE}/containers/create`).pipe(HttpClientRequest.bodyUnsafeJson(body))
        return Effect.zipRight(
          // what the container's kernel would refuse (E2BIG) is refused here, as the CLI layer does
          Validate.spawnable(
            [...spec.entrypoint ?? [], ...spec.command ?? []],
            SpecGenerator.environment(spec, Redacted.value),
            {}
          ),
          expect(request, (status) => status < 300).pipe(
            // podman's warnings are in the answer (its body is small: an id and those)
            Effect.flatMap((response) => Effect.orElseSucceed(response.json, () => undefined)),
            Effect.flatMap((answer) => logCreateWarnings(resolved.name, answer)),
            Effect.catchIf(
              (error) => error._tag === "NonZeroExit" && error.reason === "NoSuchImage" && spec.pull !== "never",
              () => cli.create(spec, resolved)
            )
          )
        )
      }
    })

  /**
   * `execStdio` over a hijacked connection (`POST /exec/ID/start` upgraded to a raw stream): stdin
   * written to it (its end half-closes the connection: the command's EOF), stdout and stderr
   * demultiplexed into their sinks, then the exit code from `GET /exec/ID/json`.
   */
  const execStdio: Driver["execStdio"] = (name, argv, options) => {
    const run = Effect.scoped(Effect.gen(function*() {
      const created = yield* expect(
        HttpClientRequest.post(`${BASE}${c(name)}/exec`).pipe(HttpClientRequest.bodyUnsafeJson({
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Cmd: argv,
          Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
          ...(options.user === undefined ? {} : { User: options.user }),
          ...(options.workdir === undefined ? {} : { WorkingDir: options.workdir })
        })),
        (status) => status < 300
      )
      const { Id } = yield* json(ExecCreated)(created)
      const connection = yield* config.upgrade(`${Client.API}/exec/${Id}/start`)
      const pump = yield* Effect.forkScoped(
        Stream.run(options.stdin, NodeSink.fromWritable(() => connection, (e) => e, { endOnDone: true })).pipe(
          Effect.catchIf((e): e is unknown => e instanceof Error, () => Effect.void)
        )
      )
      // partition gives [those that fail the predicate, those that satisfy it]
      const [stderr, stdout] = yield* Stream.partition(
        demultiplex(NodeStream.fromReadable<PodmanMissing, Uint8Array>(
          () => connection,
          lost(HttpClientRequest.post(`${Client.API}/exec/${Id}/start`))
        )),
        (frame) => frame.stream === "stdout"
      )
      const drained = Effect.all([
        Stream.run(Stream.map(stdout, (frame) => frame.bytes), options.stdout),
        Stream.run(Stream.map(stderr, (frame) => frame.bytes), options.stderr ?? Sink.drain)
      ], { concurrency: "unbounded", discard: true })
      yield* Effect.raceFirst(drained, Effect.zipRight(Fiber.join(pump), Effect.never))
      // the stream ends as the command does; its exit code may take a moment to be recorded
      const inspected = yield* getRequired(`/exec/${Id}/json`, ExecInspected).pipe(
        Effect.filterOrFail((exec) => !exec.Running, () => new NotYet()),
        Effect.retry({
          while: (e) => e instanceof NotYet,
          schedule: Schedule.spaced("20 millis").pipe(Schedule.upTo("10 seconds"))
        }),
        Effect.catchIf((e): e is NotYet => e instanceof NotYet, () => getRequired(`/exec/${Id}/json`, ExecInspected))
      )
      return inspected.ExitCode ?? -1
    }))
    return Failures.within(options.timeout, ["POST", `${c(name)}/exec`, ...argv], "CallerBound")(run)
  }

  const driver: Omit<Driver, "createStarted" | "containerState"> = {
    // what this backend leaves to the CLI in remote mode (the same service), each named: a new
    // Driver member does not compile here until someone decides which side serves it
    loginPrefix: cli.loginPrefix,
    host: cli.host,
    create,
    // networks, volumes and pods: podman-remote against the same service
    resources: cli.resources,
    // the escape hatch: podman-remote against the same service
    podman: cli.podman,
    // pull, push and build: podman-remote against the same service (the API reports the same
    // phases and blobs, and a build would need the context tarred and uploaded)
    images: cli.images,
    execStdio,
    copyIn,
    // as podman cp, a file never replaces a folder (the API would, losing what it held)
    copyFilesIn: (name, files) =>
      Effect.asVoid(expect(
        HttpClientRequest.put(`${BASE}${c(name)}/archive?path=%2F&noOverwriteDirNonDir=true`).pipe(
          HttpClientRequest.bodyStream(Archive.pack(files), { contentType: "application/x-tar" })
        ),
        (status) => status < 300
      )),
    archiveOut: (name, path) => {
      const request = HttpClientRequest.get(`${BASE}${c(name)}/archive?path=${encodeURIComponent(path)}`)
      return Stream.unwrapScoped(Effect.map(
        expect(request, (status) => status < 300),
        // a body that stalls fails after the layer's timeout of silence, its connection closed
        (response) =>
          Stream.mapError(response.stream, lost(request)).pipe(
            Stream.timeoutFail(() => Failures.timeout(describe(request), config.timeout), config.timeout)
          )
      ))
    },
    // runs the check (as `podman healthcheck run` does); no check defined is a 409
    healthcheck: (name) =>
      Effect.map(getRequired(`${c(name)}/healthcheck`, HealthResult), (result) => result.Status === "healthy"),
    inspectContainer: (name, { size }) =>
      Effect.map(
        getOptional(`${c(name)}/json${size ? "?size=true" : ""}`, Json.ContainerInspectOneJson),
        Option.map(Json.toContainerInfo)
      ),
    listContainers: (prefix, { size }) => list({ name: [namePrefixPattern(prefix)] }, size),
    listLabeled: (key) => list({ label: [key] }, false),
    listImages: (danglingOnly) =>
      Effect.map(
        getRequired(
          `/images/json${danglingOnly ? `?filters=${filters({ dangling: ["true"] })}` : ""}`,
          Json.ImagesJson
        ),
        Json.toImageSummaries
      ),
    inspectImage: (ref) =>
      Effect.map(
        getOptional(`/images/${encodeURIComponent(ref)}/json`, Json.ImageInspectOneJson),
        Option.map(Json.toImageInfo)
      ),
    imageLabels: (ref) =>
      Effect.map(
        getRequired(`/images/${encodeURIComponent(ref)}/json`, Json.ImageInspectOneJson),
        (raw) => Json.toImageInfo(raw).labels
      ),
    imageHistory: (ref) =>
      Effect.map(
        getRequired(`/images/${encodeURIComponent(ref)}/history`, Json.HistoryJson),
        (steps) => steps.map((step) => step.CreatedBy).filter((line) => line !== "")
      ),
    removeImage: (ref, force) =>
      Effect.flatMap(
        send(HttpClientRequest.del(`${BASE}/images/${encodeURIComponent(ref)}${force ? "?force=true" : ""}`)),
        (response) =>
          // 404: no such image; 409: in use by a container — podman refused, which is an answer
          response.status < 300
            ? Effect.succeed(true)
            : response.status === 404 || response.status === 409
            ? Effect.succeed(false)
            : failed(response.request, response)
      ),
    startContainer: (name) =>
      expect(HttpClientRequest.post(`${BASE}${c(name)}/start`), (status) => status < 400).pipe(
        Effect.catchTag("NonZeroExit", Failures.gpuOrNonZero),
        Effect.asVoid
      ),
    statsContainer: (name) =>
      Effect.flatMap(
        getRequired(`/containers/stats?containers=${encodeURIComponent(name)}&stream=false`, Json.StatsReportJson),
        (report) =>
          // an absent container is `200 {"Error": {}, "Stats": null}` here (podman 4.3)
          report.Stats?.[0] === undefined
            ? Effect.fail(ApiFailures.nonZeroExit(
              "GET",
              `/containers/stats?containers=${name}`,
              200,
              `Error: no container with name or ID "${name}" found: no such container`
            ))
            : Effect.succeed(Json.toContainerStats(report.Stats[0]))
      ),
    controlContainer: (name, control) =>
      Effect.asVoid(expect(
        HttpClientRequest.post(`${BASE}${c(name)}/${controlEndpoint(control)}`),
        (status) => status < 400,
        control._tag === "Restart" ? Duration.sum(Duration.seconds(control.seconds), config.stopBuffer) : config.timeout
      )),
    stopContainer: (name, seconds) =>
      Effect.asVoid(expect(
        HttpClientRequest.post(`${BASE}${c(name)}/stop?timeout=${seconds}`),
        (status) => status < 400,
        Duration.sum(Duration.seconds(seconds), config.stopBuffer)
      )),
    waitContainer: (name, timeout) =>
      expect(
        HttpClientRequest.post(`${BASE}${c(name)}/wait?condition=stopped&condition=exited`),
        (status) => status < 300,
        Option.getOrElse(timeout, () => Duration.infinity),
        "CallerBound"
      ).pipe(
        Effect.flatMap((response) => Effect.mapError(response.text, lost(response.request))),
        Effect.flatMap((text) =>
          /^-?\d+$/.test(text.trim())
            ? Effect.succeed(Number(text.trim()))
            : Effect.dieMessage(
              `the podman service's wait for ${name} answered no exit code: ${JSON.stringify(text.slice(0, 200))}`
            )
        )
      ),
    exec: (name, argv, { env, stdin, timeout, user, workdir }) => {
      if (stdin !== undefined) {
        // stdin needs the hijacked connection: execStdio, with the output collected
        const out = { stdout: "", stderr: "" }
        const collect = (key: "stdout" | "stderr") => {
          const decoder = new TextDecoder()
          return Sink.forEach((chunk: Uint8Array) =>
            Effect.sync(() => void (out[key] += decoder.decode(chunk, { stream: true })))
          )
        }
        return Effect.map(
          execStdio(name, argv, {
            stdin: Stream.make(stdin),
            stdout: collect("stdout"),
            stderr: collect("stderr"),
            env,
            ...(Option.isSome(timeout) ? { timeout: timeout.value } : {}),
            ...(user === undefined ? {} : { user }),
            ...(workdir === undefined ? {} : { workdir })
          }),
          (exitCode) => ({ exitCode, ...out })
        )
      }
      const run = Effect.gen(function*() {
        const created = yield* expect(
          HttpClientRequest.post(`${BASE}${c(name)}/exec`).pipe(
            HttpClientRequest.bodyUnsafeJson({
              AttachStdout: true,
              AttachStderr: true,
              Cmd: argv,
              Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
              ...(user === undefined ? {} : { User: user }),
              ...(workdir === undefined ? {} : { WorkingDir: workdir })
            })
          ),
          (status) => status < 300
        )
        const { Id } = yield* json(Schema.parseJson(Schema.Struct({ Id: Schema.String })))(created)
        const started = yield* expect(
          HttpClientRequest.post(`${BASE}/exec/${Id}/start`).pipe(HttpClientRequest.bodyUnsafeJson({ Detach: false })),
          (status) => status < 300,
          Duration.infinity
        )
        const out = { stdout: "", stderr: "" }
        const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
        yield* Stream.runForEach(
          demultiplex(Stream.mapError(started.stream, lost(started.request))),
          (frame) =>
            Effect.sync(() => void (out[frame.stream] += decoders[frame.stream].decode(frame.bytes, { stream: true })))
        )
        const inspected = yield* getRequired(
          `/exec/${Id}/json`,
          Schema.parseJson(Schema.Struct({ ExitCode: Schema.Number }))
        )
        return { exitCode: inspected.ExitCode, stdout: out.stdout, stderr: Failures.withoutAttachRace(out.stderr) }
      })
      return Failures.within(Option.getOrUndefined(timeout), ["POST", `${c(name)}/exec`, ...argv], "CallerBound")(run)
    },
    logs: (name, { follow, since, tail }) => {
      const request = HttpClientRequest.get(
        `${BASE}${c(name)}/logs?stdout=true&stderr=true${follow === true ? "&follow=true" : ""}${
          tail === undefined ? "" : `&tail=${tail}`
        }${since === undefined ? "" : `&since=${Math.floor(since.getTime() / 1000)}`}`
      )
      // following is unbounded on purpose; a dump fails when the service is silent for `timeout`
      const idle = (lines: Stream.Stream<LogEntry, PodmanError>) =>
        follow === true
          ? lines
          : Stream.timeoutFail(lines, () => Failures.timeout(describe(request), config.timeout), config.timeout)
      const fromService = Stream.unwrapScoped(Effect.map(
        expect(request, (status) => status < 300, follow === true ? Duration.infinity : config.timeout),
        (response) => idle(frameLines(demultiplex(Stream.mapError(response.stream, lost(request)))))
      ))
      // a log file this process can read (the service runs here): the file itself, dumped or followed
      return Stream.unwrap(
        Effect.map(
          getOptional(`${c(name)}/json`, Json.ContainerInspectOneJson),
          (info) =>
            Option.match(info, {
              onNone: () => Effect.succeed(Option.none()),
              onSome: (raw) => LogFile.fromFile(Json.toContainerInfo(raw), { since, tail, follow })
            })
        ).pipe(Effect.flatten, Effect.map(Option.getOrElse(() => fromService)))
      )
    },
    events: (since) => {
      const request = HttpClientRequest.get(
        `${BASE}/events?stream=true&since=${since.getTime() / 1000}&filters=${filters({ type: ["container"] })}`
      )
      return Stream.unwrapScoped(Effect.map(
        expect(request, (status) => status < 300, Duration.infinity),
        (response) =>
          response.stream.pipe(
            Stream.mapError(lost(request)),
            Stream.decodeText(),
            Stream.splitLines,
            Stream.filterMap(Json.decodeEvent)
          )
      ))
    },
    forceRemove: (names) =>
      Effect.forEach(names, (name) =>
        send(HttpClientRequest.del(`${BASE}${c(name)}?force=true&timeout=0`)).pipe(
          Effect.flatMap((response) =>
            response.status < 300 || response.status === 404
              ? Effect.succeed({ name, removed: true, error: Option.none<string>() })
              : Effect.map(Effect.either(failed(response.request, response)), (e) => ({
                name,
                removed: false,
                error: Option.some(e._tag === "Left" ? e.left.message : `status ${response.status}`)
              }))
          ),
          Effect.catchAll((error) => Effect.succeed({ name, removed: false, error: Option.some(error.message) }))
        ), { concurrency: 4 })
  }
  return {
    ...driver,
    createStarted: createThenStart(driver),
    containerState: stateFromInspect(driver.inspectContainer)
  }
}
