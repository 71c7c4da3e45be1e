/**
 * The REST backend of the Effect 4 edition: the libpod API over a kept-alive unix socket
 * (`effect/http`), with what the API cannot say — a spec with raw `extraArgs`, GPU devices or
 * special network modes, `pull: always`, an image not here yet — created through the CLI in
 * remote mode against the same service. Frames, SpecGenerator bodies and failure classification
 * are `effect-podman-shared`'s, as in the Effect 3 edition.
 *
 * @internal
 */
import { Duration, Effect, Option, Redacted, Schema, Stream } from "effect"
import * as Archive from "effect-podman-shared/Archive"
import * as Argv from "effect-podman-shared/Argv"
import { controlEndpoint } from "effect-podman-shared/Argv"
import * as ContainersConf from "effect-podman-shared/ContainersConf"
import * as Events from "effect-podman-shared/Events"
import {
  apiFailure,
  apiOperation,
  operationOf,
  transportCode,
  transportReason,
  withoutAttachRace
} from "effect-podman-shared/Failures"
import * as Frames from "effect-podman-shared/Frames"
import { spawnProblem } from "effect-podman-shared/Limits"
import { shorten } from "effect-podman-shared/Messages"
import * as PodmanJson from "effect-podman-shared/PodmanJson"
import type { CreateSpec } from "effect-podman-shared/Spec"
import * as SpecGenerator from "effect-podman-shared/SpecGenerator"
import { HttpClientRequest } from "effect/http"
import type { HttpClient, HttpClientError, HttpClientResponse } from "effect/http"
import { InvalidArgument, NonZeroExit, PodmanMissing, Timeout } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"
import type { Driver } from "../core/driver.js"
import { Inspected, Listed, SizeRw, stateFromInspect, StatsEntry, toInspected, toListings } from "../core/driver.js"
import { tagged } from "../core/errors.js"
import { unreadable } from "../core/unreadable.js"
import { logCreateWarnings } from "../core/warnings.js"

/** @internal */
export interface ApiConfig {
  /** The socket, for messages. */
  readonly socket: string
  readonly timeout: Duration.Duration
}

const BASE = "http://podman/v4.0.0/libpod"

const ExecCreated = Schema.decodeUnknownEffect(Schema.Struct({ Id: Schema.String }))
const ExecInspected = Schema.decodeUnknownEffect(Schema.Struct({ ExitCode: Schema.Number }))
const decodeSizeRw = Schema.decodeUnknownEffect(SizeRw)
const StatsReport = Schema.decodeUnknownEffect(
  Schema.Struct({ Stats: Schema.optional(Schema.NullOr(Schema.Array(StatsEntry))) })
)
const HealthResult = Schema.decodeUnknownEffect(Schema.Struct({ Status: Schema.String }))
const decodeInspected = Schema.decodeUnknownEffect(Inspected)
const decodeListed = Schema.decodeUnknownEffect(Listed)

/** @internal */
export const make = (http: HttpClient.HttpClient, cli: Driver, config: ApiConfig): Driver => {
  const describe = (
    request: HttpClientRequest.HttpClientRequest
  ): [string, string] => [request.method, request.url.replace(/^https?:\/\/[^/]+\/v4\.0\.0\/libpod/, "")]
  const c = (name: string) => `/containers/${encodeURIComponent(name)}`

  const transport =
    (request: HttpClientRequest.HttpClientRequest) => (error: HttpClientError.HttpClientError): PodmanMissing => {
      const code = transportCode(error.reason) // the transport error, then its causes
      return new PodmanMissing({
        binary: "podman",
        argv: describe(request),
        socket: config.socket,
        reason: { _tag: transportReason(code) },
        detail: code
      })
    }

  /** Sends a request under a bound: a transport failure is `PodmanMissing`, the bound a `Timeout`. */
  const send = (
    request: HttpClientRequest.HttpClientRequest,
    bound: Duration.Input = config.timeout,
    callerBound = false
  ) => {
    const duration = Duration.fromInputUnsafe(bound)
    const sent = Effect.mapError(http.execute(request), transport(request))
    return (Duration.isFinite(duration)
      ? Effect.timeoutOrElse(sent, {
        duration,
        orElse: () =>
          Effect.fail(
            new Timeout({
              argv: describe(request),
              timeoutMillis: Duration.toMillis(duration),
              reason: { _tag: callerBound ? "CallerBound" : "LayerBound" },
              operation: operationOf(describe(request))
            })
          )
      })
      : sent).pipe(
        // a span keeps its success value: the response holds the request, whose body may hold secrets
        Effect.map(Redacted.make),
        // named as the Effect 3 edition names it: the operation (`podman container.start`)
        Effect.withSpan(`podman ${apiOperation(...describe(request))}`, {
          attributes: { "podman.request": describe(request).join(" ") }
        }),
        Effect.map(Redacted.value)
      )
  }

  const failed = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
    Effect.flatMap(
      Effect.orElseSucceed(response.text, () => ""),
      (text) => Effect.fail(new NonZeroExit(tagged(apiFailure(...describe(request), response.status, text))))
    )

  const expect = (
    request: HttpClientRequest.HttpClientRequest,
    ok: (status: number) => boolean,
    bound?: Duration.Input,
    callerBound?: boolean
  ) =>
    Effect.flatMap(
      send(request, bound, callerBound),
      (response): Effect.Effect<HttpClientResponse.HttpClientResponse, PodmanError> =>
        ok(response.status) ? Effect.succeed(response) : failed(request, response)
    )

  const json =
    <A>(decode: (u: unknown) => Effect.Effect<A, unknown>, request: HttpClientRequest.HttpClientRequest) =>
    (response: HttpClientResponse.HttpClientResponse): Effect.Effect<A, PodmanError> =>
      Effect.flatMap(
        Effect.mapError(response.text, transport(request)),
        (text) =>
          Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => "not JSON" }).pipe(
            Effect.flatMap(decode),
            Effect.mapError((error) =>
              unreadable("an answer", apiOperation(...describe(request)), describe(request), error)
            )
          )
      )

  /** A multiplexed body, its frames decoded by the shared decoder. */
  const frames = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
    Stream.suspend(() => {
      const decode = Frames.demultiplexer()
      return response.stream.pipe(
        Stream.mapError(transport(request)),
        Stream.flatMap((chunk) => Stream.fromIterable(decode(chunk)))
      )
    })

  const start = (name: string) =>
    Effect.asVoid(expect(HttpClientRequest.post(`${BASE}${c(name)}/start`), (status) => status < 400))

  const inspect: Driver["inspect"] = (name) => {
    const request = HttpClientRequest.get(`${BASE}${c(name)}/json`)
    return Effect.flatMap(
      send(request),
      (response): Effect.Effect<Option.Option<ReturnType<typeof toInspected>>, PodmanError> =>
        response.status === 404
          ? Effect.succeed(Option.none())
          : response.status >= 300
          ? failed(request, response)
          : Effect.map(json(decodeInspected, request)(response), (raw) => Option.some(toInspected(raw)))
    )
  }

  const clientUlimits = ContainersConf.once()
  return {
    inspect,
    state: stateFromInspect(inspect),
    start,
    control: (name, control) =>
      Effect.asVoid(expect(
        HttpClientRequest.post(`${BASE}${c(name)}/${controlEndpoint(control)}`),
        (status) => status < 400,
        control._tag === "Restart" ? Duration.seconds(control.seconds + 10) : config.timeout
      )),
    stop: (name, seconds) =>
      Effect.asVoid(
        expect(HttpClientRequest.post(`${BASE}${c(name)}/stop?timeout=${seconds}`), (status) =>
          status < 400, Duration.seconds(seconds + 10))
      ),
    wait: (name, timeout) => {
      const request = HttpClientRequest.post(`${BASE}${c(name)}/wait?condition=stopped&condition=exited`)
      return expect(request, (status) => status < 300, timeout ?? Duration.infinity, timeout !== undefined).pipe(
        Effect.flatMap((response) => Effect.mapError(response.text, transport(request))),
        Effect.map((text) => Number(text.trim()))
      )
    },
    exec: (name, argv, settings) => {
      // what the command reads on stdin: podman-remote against the same service (the API would
      // hijack the connection for it)
      if (settings.stdin !== undefined) return cli.exec(name, argv, settings)
      const { env, timeout, user, workdir } = settings
      const run = Effect.gen(function*() {
        const create = HttpClientRequest.post(`${BASE}${c(name)}/exec`).pipe(
          HttpClientRequest.bodyJsonUnsafe({
            AttachStdout: true,
            AttachStderr: true,
            Cmd: argv,
            ...(user === undefined ? {} : { User: user }),
            ...(workdir === undefined ? {} : { WorkingDir: workdir }),
            ...(env === undefined ? {} : { Env: Object.entries(env).map(([key, value]) => `${key}=${value}`) })
          })
        )
        const { Id } = yield* Effect.flatMap(expect(create, (status) => status < 300), json(ExecCreated, create))
        const startRequest = HttpClientRequest.post(`${BASE}/exec/${Id}/start`).pipe(
          HttpClientRequest.bodyJsonUnsafe({ Detach: false })
        )
        const started = yield* expect(startRequest, (status) => status < 300, Duration.infinity)
        const out = { stdout: "", stderr: "" }
        const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
        yield* Stream.runForEach(
          frames(startRequest, started),
          (frame) =>
            Effect.sync(() => void (out[frame.stream] += decoders[frame.stream].decode(frame.bytes, { stream: true })))
        )
        const inspect = HttpClientRequest.get(`${BASE}/exec/${Id}/json`)
        const { ExitCode } = yield* Effect.flatMap(
          expect(inspect, (status) => status < 300),
          json(ExecInspected, inspect)
        )
        return { exitCode: ExitCode, stdout: out.stdout, stderr: withoutAttachRace(out.stderr) }
      })
      if (timeout === undefined) return run
      const bound = Duration.fromInputUnsafe(timeout)
      return Effect.timeoutOrElse(run, {
        duration: bound,
        orElse: () =>
          Effect.fail(
            new Timeout({
              argv: ["POST", `${c(name)}/exec`, ...argv],
              timeoutMillis: Duration.toMillis(bound),
              reason: { _tag: "CallerBound" },
              operation: "container.exec"
            })
          )
      })
    },
    // byte streams both ways: podman-remote against the same service (the API would hijack the
    // connection), as in the Effect 3 edition's stdin-fed exec
    execStdio: cli.execStdio,
    events: (since) => {
      const filters = encodeURIComponent(JSON.stringify({ type: ["container"] }))
      const request = HttpClientRequest.get(
        `${BASE}/events?stream=true&since=${since.getTime() / 1000}&filters=${filters}`
      )
      return Stream.unwrap(
        Effect.map(expect(request, (status) => status < 300, Duration.infinity), (response) =>
          response.stream.pipe(
            Stream.mapError(transport(request)),
            Stream.decodeText(),
            Stream.splitLines,
            Stream.map(Events.decodeEvent),
            Stream.filter((event): event is Events.ContainerEvent => event !== undefined)
          ))
      )
    },
    rwSize: (name) => {
      const request = HttpClientRequest.get(`${BASE}${c(name)}/json?size=true`)
      return Effect.flatMap(
        send(request),
        (response): Effect.Effect<Option.Option<number>, PodmanError> =>
          response.status === 404
            ? Effect.succeed(Option.none())
            : response.status >= 300
            ? failed(request, response)
            : Effect.map(json(decodeSizeRw, request)(response), (raw) => Option.fromNullishOr(raw.SizeRw))
      )
    },
    loginPrefix: [...cli.loginPrefix],
    stats: (name) => {
      const request = HttpClientRequest.get(
        `${BASE}/containers/stats?containers=${encodeURIComponent(name)}&stream=false`
      )
      return Effect.flatMap(
        Effect.flatMap(expect(request, (status) => status < 300), json(StatsReport, request)),
        (report) => {
          const sample = report.Stats?.[0]
          // an absent container is `200 {"Error": {}, "Stats": null}` here (podman 4.3)
          return sample === undefined
            ? Effect.fail(
              new NonZeroExit(
                tagged(
                  apiFailure(
                    "GET",
                    `/containers/stats?containers=${name}`,
                    200,
                    `Error: no container with name or ID "${name}" found: no such container`
                  )
                )
              )
            )
            : Effect.succeed(PodmanJson.toContainerStats(sample))
        }
      )
    },
    // runs the check, as `podman healthcheck run` does (none defined, or not running: podman refuses)
    healthcheck: (name) => {
      const request = HttpClientRequest.get(`${BASE}${c(name)}/healthcheck`)
      return Effect.map(
        Effect.flatMap(expect(request, (status) => status < 300), json(HealthResult, request)),
        (result) => result.Status === "healthy"
      )
    },
    // a host path: podman-remote against the same service (it reads the host tree and sends it)
    copyIn: cli.copyIn,
    // files in and out through the archive endpoint (a tar of `/` in, a tar of the path out); as
    // podman cp, a file never replaces a folder there (the API would, losing what it held)
    copyFilesIn: (name, files) =>
      Effect.asVoid(expect(
        HttpClientRequest.put(`${BASE}${c(name)}/archive?path=%2F&noOverwriteDirNonDir=true`).pipe(
          HttpClientRequest.bodyStream(Stream.orDie(Stream.fromAsyncIterable(Archive.pack(files), (error) => error)), {
            contentType: "application/x-tar"
          })
        ),
        (status) => status < 300
      )),
    archiveOut: (name, path) => {
      const request = HttpClientRequest.get(`${BASE}${c(name)}/archive?path=${encodeURIComponent(path)}`)
      // a body that stalls fails after the layer's timeout of silence, its connection closed
      return Stream.unwrap(
        Effect.map(
          expect(request, (status) => status < 300),
          (response) =>
            Stream.mapError(response.stream, transport(request)).pipe(
              Stream.timeoutOrElse({
                duration: config.timeout,
                orElse: () =>
                  Stream.fail(
                    new Timeout({
                      argv: describe(request),
                      timeoutMillis: Duration.toMillis(config.timeout),
                      reason: { _tag: "LayerBound" },
                      operation: operationOf(describe(request))
                    })
                  )
              })
            )
        )
      )
    },
    logs: (name, { follow, since, tail }) => {
      const request = HttpClientRequest.get(
        `${BASE}${c(name)}/logs?stdout=true&stderr=true${follow ? "&follow=true" : ""}${
          tail === undefined ? "" : `&tail=${tail}`
        }${since === undefined ? "" : `&since=${Math.floor(since.getTime() / 1000)}`}`
      )
      return Stream.unwrap(
        Effect.map(
          expect(request, (status) => status < 300, follow ? Duration.infinity : config.timeout),
          (response) =>
            Stream.suspend(() => {
              const lines = Frames.lineDecoder()
              return Stream.concat(
                Stream.flatMap(frames(request, response), (frame) => Stream.fromIterable(lines.push(frame))),
                Stream.suspend(() => Stream.fromIterable(lines.end()))
              )
            })
        )
      )
    },
    list: (filter) => {
      const filters = "label" in filter
        ? { label: [filter.label] }
        : { name: [Argv.namePrefixPattern(filter.namePrefix)] }
      const request = HttpClientRequest.get(
        `${BASE}/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify(filters))}`
      )
      return Effect.map(
        Effect.flatMap(expect(request, (status) => status < 300), json(decodeListed, request)),
        toListings
      )
    },
    // networks, volumes and pods: podman-remote against the same service, as in the Effect 3 edition
    resources: cli.resources,
    // images: podman-remote against the same service, as in the Effect 3 edition
    images: cli.images,
    podman: cli.podman,
    host: cli.host,
    remove: (names) =>
      Effect.forEach(names, (name) => {
        const request = HttpClientRequest.delete(`${BASE}${c(name)}?force=true&timeout=0`)
        return Effect.flatMap(send(request), (response) =>
          response.status < 300 || response.status === 404 ? Effect.void : failed(request, response))
      }, { concurrency: 4, discard: true }),
    create: (spec, resolved, started) =>
      Effect.flatMap(Effect.promise(clientUlimits), (ulimits) =>
        ulimits instanceof Error
          ? Effect.fail(
            new NonZeroExit({
              reason: { _tag: "Other" },
              operation: "container.create",
              argv: ["POST", "/containers/create"],
              stderr: `Error: ${ulimits.message}`
            })
          )
          : createWith(spec, resolved, started, spec.ulimits ?? ulimits))
  }

  /** As podman-remote: the client's containers.conf `default_ulimits` for a spec that names none. */
  function createWith(
    spec: Parameters<Driver["create"]>[0],
    resolved: Parameters<Driver["create"]>[1],
    started: boolean,
    ulimits: CreateSpec["ulimits"]
  ) {
    const body = SpecGenerator.specGenerator({ ...spec, ulimits }, resolved, Redacted.value)
    if (body === undefined) return cli.create(spec, resolved, started)
    const request = HttpClientRequest.post(`${BASE}/containers/create`).pipe(HttpClientRequest.bodyJsonUnsafe(body))
    // what the container's kernel would refuse (E2BIG) is refused here, as the CLI layer does
    const problem = spawnProblem(
      [...spec.entrypoint ?? [], ...spec.command ?? []],
      SpecGenerator.environment(spec, Redacted.value),
      {}
    )
    if (problem !== undefined) return Effect.fail(new InvalidArgument({ ...problem, value: shorten(problem.value) }))
    return expect(request, (status) => status < 300).pipe(
      // podman's warnings are in the answer (its body is small: an id and those)
      Effect.flatMap((response) => Effect.orElseSucceed(response.json, () => undefined)),
      Effect.flatMap((answer) => logCreateWarnings(resolved.name, answer)),
      Effect.catchIf(
        (error): error is NonZeroExit =>
          error._tag === "NonZeroExit" && error.reason._tag === "NoSuchImage" && spec.pull !== "never",
        () => cli.create(spec, resolved, false)
      ),
      Effect.andThen(started ? start(resolved.name) : Effect.void)
    )
  }
}
