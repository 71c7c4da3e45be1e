/**
 * The libpod API over `HttpClient`: requests bounded and classified (no service, a broken
 * connection, a non-2xx answer), bodies decoded, paths built — what every REST primitive uses.
 *
 * @internal
 */
import type { HttpClient, HttpClientResponse } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { Effect, Option, Redacted } from "effect"
import type { Duration, Schema } from "effect"
import * as SharedFailures from "effect-podman-shared/Failures"
import { PodmanMissing } from "../../PodmanError.js"
import type { PodmanError, Timeout, TimeoutReason } from "../../PodmanError.js"
import * as Failures from "../core/failures.js"
import * as Json from "../core/podmanJson.js"
import * as ApiFailures from "./failures.js"

/** @internal */
export const API = "/v4.0.0/libpod"

/** What a client needs of the layer's configuration. @internal */
export interface ClientConfig {
  readonly origin: string
  readonly endpoint: string
  readonly timeout: Duration.Duration
}

/** @internal */
export const make = (http: HttpClient.HttpClient, config: ClientConfig) => {
  const BASE = `${config.origin}${API}`
  const describe = (request: HttpClientRequest.HttpClientRequest): [method: string, path: string] => [
    request.method,
    request.url.replace(BASE, "")
  ]

  /** Sends a request; transport failures (no socket) are `PodmanMissing`, the bound a `Timeout`. */
  const send = (
    request: HttpClientRequest.HttpClientRequest,
    timeout: Duration.DurationInput = config.timeout,
    reason: TimeoutReason = "LayerBound"
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PodmanMissing | Timeout> =>
    http.execute(request).pipe(
      Effect.mapError(lost(request)),
      Failures.within(timeout, describe(request), reason),
      // a span keeps its success value: the response holds the request, whose body may hold secrets
      Effect.map(Redacted.make),
      Effect.withSpan(`podman ${ApiFailures.operationOf(...describe(request))}`, {
        attributes: { "podman.request": describe(request).join(" ") },
        // a request is a few hundred microseconds: a stack trace per span would be a good part of it
        captureStackTrace: false
      }),
      Effect.map(Redacted.value)
    )

  /** A non-2xx answer as `NonZeroExit` (see `apiFailures`). */
  const failed = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
    Effect.flatMap(Effect.orElseSucceed(response.text, () => ""), (text) => {
      const [method, path] = describe(request)
      return Effect.fail(ApiFailures.nonZeroExit(method, path, response.status, text))
    })

  const json = <A, I>(schema: Schema.Schema<A, I>) => (response: HttpClientResponse.HttpClientResponse) =>
    Effect.flatMap(
      Effect.mapError(response.text, lost(response.request)),
      (text) =>
        Json.decode(schema)({
          operation: ApiFailures.operationOf(...describe(response.request)),
          argv: describe(response.request),
          exitCode: 0,
          signal: Option.none(),
          stdout: text,
          stderr: ""
        })
    )

  /** GET an object: none on 404, decoded on 2xx, `NonZeroExit` otherwise. */
  const getOptional = <A, I>(path: string, schema: Schema.Schema<A, I>) => {
    const request = HttpClientRequest.get(`${BASE}${path}`)
    return Effect.flatMap(
      send(request),
      (response): Effect.Effect<Option.Option<A>, PodmanError> =>
        response.status === 404
          ? Effect.succeed(Option.none())
          : response.status >= 300
          ? failed(request, response)
          : Effect.map(json(schema)(response), Option.some)
    )
  }

  const getRequired = <A, I>(path: string, schema: Schema.Schema<A, I>) => {
    const request = HttpClientRequest.get(`${BASE}${path}`)
    return Effect.flatMap(
      send(request),
      (response): Effect.Effect<A, PodmanError> =>
        response.status >= 300 ? failed(request, response) : json(schema)(response)
    )
  }

  const expect = (
    request: HttpClientRequest.HttpClientRequest,
    ok: (status: number) => boolean,
    timeout?: Duration.DurationInput,
    reason?: TimeoutReason
  ) =>
    Effect.flatMap(
      send(request, timeout, reason),
      (response): Effect.Effect<HttpClientResponse.HttpClientResponse, PodmanError> =>
        ok(response.status) ? Effect.succeed(response) : failed(request, response)
    )

  const c = (name: string) => `/containers/${encodeURIComponent(name)}`
  const filters = (value: Record<string, ReadonlyArray<string>>) => encodeURIComponent(JSON.stringify(value))

  /**
   * A transport failure as `PodmanMissing`: no service, or one that went away (killed, restarted)
   * in the middle of a request or a body.
   */
  function lost(request: HttpClientRequest.HttpClientRequest) {
    return (error: unknown) => {
      const code = SharedFailures.transportCode(error)
      return new PodmanMissing({
        binary: "podman",
        socket: config.endpoint,
        argv: describe(request),
        reason: SharedFailures.transportReason(code),
        ...(code === undefined ? {} : { detail: code })
      })
    }
  }

  return { BASE, describe, send, failed, json, getOptional, getRequired, expect, c, filters, lost }
}

/** @internal */
export type Client = ReturnType<typeof make>
