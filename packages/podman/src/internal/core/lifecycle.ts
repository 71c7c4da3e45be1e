/**
 * `create`, `run` and `sweep`: containers as scoped resources, derived from the driver.
 *
 * @internal
 */
import { Clock, Duration, Effect, Either, Option, ParseResult, Schema, Stream } from "effect"
import type { Container, ContainerRuntime, ManagedContainer } from "../../ContainerRuntime.js"
import { ContainerSpec } from "../../ContainerSpec.js"
import type { PublishedPort } from "../../ContainerSpec.js"
import { findInitBinary } from "../../Init.js"
import { SpecError, WaitFailed } from "../../PodmanError.js"
import { reserve } from "../../PortReservation.js"
import type { Driver } from "./driver.js"
import * as Session from "./session.js"

/** A wait that cannot succeed (as opposed to podman failing). */
class NotReady {
  readonly _tag = "NotReady"
  constructor(readonly reason: string) {}
}

const decodeSpec = Schema.decodeUnknown(ContainerSpec, { errors: "all" })

/** Schema's "Expected X, actual Y" without Y. */
const withoutActual = (message: string): string => {
  const at = message.indexOf(", actual ")
  return at < 0 ? message : message.slice(0, at)
}

const randomSuffix = () => Math.random().toString(36).slice(2, 10)

const LOG_TAIL = 50

/** @internal */
export const make = (
  driver: Driver,
  runtime: Omit<ContainerRuntime.Service, "create" | "run" | "sweep">,
  session: string
): Pick<ContainerRuntime.Service, "create" | "run" | "sweep"> => {
  const managed = (container: Container, ports: ReadonlyArray<PublishedPort>): ManagedContainer => {
    const published = (containerPort: number): PublishedPort => {
      const found = ports.find((p) => p.container === containerPort)
      if (found !== undefined) return found
      const list = ports.length === 0 ? "none" : ports.map((p) => `${p.container}/${p.protocol}`).join(", ")
      throw new Error(
        `port ${containerPort} of ${container.name} is not published (published: ${list}): add it to the spec's ports`
      )
    }
    return Object.assign(Object.create(Object.getPrototypeOf(container)), container, {
      ports,
      hostPort: (containerPort: number) =>
        Option.map(Option.fromNullable(ports.find((p) => p.container === containerPort)), (p) => p.host),
      mappedPort: (containerPort: number) => published(containerPort).host,
      url: (containerPort: number, path = "/", scheme = "http") => {
        const { host, hostIp } = published(containerPort)
        const ip = hostIp === "0.0.0.0" ? "127.0.0.1" : hostIp === "::" ? "::1" : hostIp
        return `${scheme}://${ip.includes(":") ? `[${ip}]` : ip}:${host}${path.startsWith("/") ? path : `/${path}`}`
      }
    })
  }

  const create: ContainerRuntime.Service["create"] = (input) =>
    // the span of whoever owns the scope: the removal (at scope close) is its child, not a child
    // of this create's span, which has ended by then
    Effect.flatMap(Effect.option(Effect.currentSpan), (owner) => Effect.gen(function*() {
      const spec = yield* decodeSpec(input).pipe(
        Effect.mapError((error) =>
          new SpecError({
            issues: ParseResult.ArrayFormatter.formatErrorSync(error)
              // an optional field's "or undefined" branch says nothing useful
              .filter((issue) => !issue.message.startsWith("Expected undefined"))
              // never the rejected value: it may be a secret (a plain string given as secretEnv, say)
              .map((issue) => `- ${issue.path.length === 0 ? "spec" : issue.path.join(".")}: ${withoutActual(issue.message)}`)
              .join("\n")
          })
        )
      )
      const name = spec.name ?? `${spec.namePrefix ?? "effect-podman"}-${randomSuffix()}`
      // a free host port for each mapping without one: reserved, read, and released for podman to bind
      const ports = yield* Effect.forEach(spec.ports ?? [], (p) => {
        const hostIp = p.hostIp ?? "127.0.0.1"
        const host = p.host === undefined ? Effect.scoped(Effect.map(reserve(hostIp), (r) => r.port)) : Effect.succeed(p.host)
        return Effect.map(host, (port): PublishedPort => ({ container: p.container, host: port, hostIp, protocol: p.protocol ?? "tcp" }))
      })
      const init = spec.init ?? Option.isSome(yield* findInitBinary())
      // the removal is registered before podman runs: an interrupted or failed create leaves nothing
      yield* Effect.addFinalizer(() =>
        driver.forceRemove([name]).pipe(
          Effect.withSpan("podman container.remove", {
            attributes: { "podman.container": name },
            ...Option.match(owner, { onNone: () => ({ root: true }), onSome: (parent) => ({ parent }) })
          })
        )
      )
      yield* driver.create(spec, { name, ports, init, labels: Session.labels(session) })
      return managed(runtime.container(name), ports)
    }).pipe(Effect.withSpan("podman container.create")))

  const tail = (container: Container) =>
    container.logs({ tail: LOG_TAIL }).pipe(
      Stream.runCollect,
      Effect.map((lines) => Array.from(lines)),
      Effect.orElseSucceed((): Array<string> => [])
    )

  const run: ContainerRuntime.Service["run"] = (input, options) =>
    Effect.gen(function*() {
      const deadline = Duration.decode(options?.deadline ?? "60 seconds")
      const started = yield* Clock.currentTimeMillis
      const deadlinePassed = (during: string) =>
        new NotReady(`the deadline of ${Duration.format(deadline)} passed ${during}`)
      const container = yield* create(input).pipe(
        Effect.timeoutFail({ duration: deadline, onTimeout: () => deadlinePassed("while creating") }),
        Effect.catchTag("NotReady", (e) => Effect.fail(new WaitFailed({ container: "(not created)", reason: e.reason, logTail: [] })))
      )
      const strategy = options?.wait
      const exited = Effect.flatMap(container.wait(), (code) =>
        Effect.fail(new NotReady(`the container exited with code ${code} before it was ready`)))
      const ready = Effect.zipRight(
        container.start,
        strategy === undefined ? Effect.void : Effect.raceFirst(
          Effect.mapError(strategy.await({ container, ports: container.ports }), (reason) => new NotReady(reason)),
          exited
        )
      )
      const elapsed = (yield* Clock.currentTimeMillis) - started
      const outcome = yield* ready.pipe(
        Effect.timeoutFail({
          duration: Duration.millis(Math.max(0, Duration.toMillis(deadline) - elapsed)),
          onTimeout: () => deadlinePassed(strategy === undefined ? "while starting" : `waiting for ${strategy.description}`)
        }),
        Effect.either
      )
      if (Either.isRight(outcome)) return container
      // not ready: keep what the container said, then remove it now rather than at scope close
      const failure = outcome.left._tag === "NotReady"
        ? new WaitFailed({ container: container.name, reason: outcome.left.reason, logTail: yield* tail(container) })
        : outcome.left
      yield* driver.forceRemove([container.name])
      return yield* Effect.fail(failure)
    }).pipe(Effect.withSpan("podman container.run"))

  const sweep: ContainerRuntime.Service["sweep"] = Effect.gen(function*() {
    const labelled = yield* driver.listLabeled(Session.LABEL_PID)
    const orphans = labelled.filter((c) => !Session.isAlive(c.labels))
    if (orphans.length === 0) return []
    const results = yield* driver.forceRemove([...new Set(orphans.map((c) => c.name))])
    return results.filter((r) => r.removed).map((r) => r.name)
  }).pipe(Effect.withSpan("podman sweep"))

  return { create, run, sweep }
}
