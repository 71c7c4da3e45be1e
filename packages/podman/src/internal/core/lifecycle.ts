/**
 * `create`, `run` and `sweep`: containers as scoped resources, derived from the driver.
 *
 * @internal
 */
import { Clock, Duration, Effect, Either, Fiber, Option, Schema, Stream } from "effect"
import type { Tracer } from "effect"
import * as Lifecycle from "effect-podman-shared/Lifecycle"
import type { Container, ContainerRuntime, ManagedContainer } from "../../ContainerRuntime.js"
import { ContainerSpec } from "../../ContainerSpec.js"
import type { PublishedPort } from "../../ContainerSpec.js"
import { findInitBinary } from "../../Init.js"
import { WaitFailed } from "../../PodmanError.js"
import type { Driver } from "./driver.js"
import * as Ports from "./ports.js"
import * as Resources from "./resources.js"
import * as Session from "./session.js"
import * as Validate from "./validate.js"

/** A wait that cannot succeed (as opposed to podman failing). */
class NotReady {
  readonly _tag = "NotReady"
  constructor(readonly reason: string) {}
}

const decodeSpec = Schema.decodeUnknown(ContainerSpec, { errors: "all" })

/** What `make` derives from the rest of the service. @internal */
export type Derived = "create" | "run" | "sweep" | "network" | "volume" | "pod"

/** @internal */
export const make = (
  driver: Driver,
  runtime: Omit<ContainerRuntime.Service, Derived>,
  session: string
): Pick<ContainerRuntime.Service, Derived> => {
  const managed = (container: Container, ports: ReadonlyArray<PublishedPort>): ManagedContainer =>
    Object.assign(Object.create(Object.getPrototypeOf(container)), container, Ports.access(container.name, ports))

  // `started`: created and started in one go (what `run` needs: one podman process, not two)
  // `owner`: the span of whoever owns the scope: the removal (at scope close) is its child, not a
  // child of the create's span, which has ended by then
  const acquire = (input: typeof ContainerSpec.Encoded, started: boolean, owner: Option.Option<Tracer.AnySpan>) =>
    Effect.gen(function*() {
      const spec = yield* decodeSpec(input).pipe(Effect.mapError(Validate.specError("container spec")))
      const name = spec.name ?? `${spec.namePrefix ?? "effect-podman"}-${Resources.randomSuffix()}`
      const ports = yield* Ports.resolve(spec.ports ?? [])
      const init = Lifecycle.initFor(spec.init, Option.isSome(yield* findInitBinary()))
      // the removal is registered before podman runs: an interrupted or failed create leaves nothing
      // (but a name that is taken is someone else's container, and stays)
      const resolved = { name, ports, init, labels: yield* Session.labels(session) }
      yield* Resources.owned(
        started
          // a start that fails leaves the container created: removed now, not at scope close
          ? Effect.tapError(
            driver.createStarted(spec, resolved),
            (error) =>
              (error as { readonly reason?: unknown }).reason === "NameInUse" ? Effect.void : driver.forceRemove([name])
          )
          : driver.create(spec, resolved),
        driver.forceRemove([name]).pipe(
          Effect.withSpan("podman container.remove", {
            attributes: { "podman.container": name },
            ...Option.match(owner, { onNone: () => ({ root: true }), onSome: (parent) => ({ parent }) })
          })
        )
      )
      return managed(runtime.container(name), ports)
    })

  const create: ContainerRuntime.Service["create"] = (input) =>
    Effect.flatMap(
      Effect.option(Effect.currentSpan),
      (owner) => acquire(input, false, owner).pipe(Effect.withSpan("podman container.create"))
    )

  const tail = (container: Container) =>
    container.logs({ tail: Lifecycle.LOG_TAIL_LINES }).pipe(
      Stream.runCollect,
      Effect.map((lines) => Array.from(lines)),
      Effect.orElseSucceed((): Array<string> => [])
    )

  const run: ContainerRuntime.Service["run"] = (input, options) =>
    Effect.flatMap(Effect.option(Effect.currentSpan), (owner) =>
      Effect.gen(function*() {
        const deadline = Duration.toMillis(options?.deadline ?? Lifecycle.DEFAULT_DEADLINE_MILLIS)
        const started = yield* Clock.currentTimeMillis
        // created and started in one podman call
        const container = yield* acquire(input, true, owner).pipe(
          Effect.timeoutFail({
            duration: deadline,
            onTimeout: () =>
              new WaitFailed({
                container: Lifecycle.NOT_CREATED,
                reason: Lifecycle.deadlinePassed(deadline, { _tag: "Starting" }),
                logTail: []
              })
          })
        )
        const strategy = options?.wait
        // watching for an early exit costs a `podman wait`: begun after a moment (of real time, also
        // under a TestClock), so a container that is ready at once never pays for it. It runs in the
        // caller's scope: once the container is ready, it is interrupted without waiting for its
        // child to be reaped (a CLI `podman wait` takes tens of ms to end), and the scope's close
        // waits for whatever is left of it
        const exited = Effect.flatMap(
          Effect.zipRight(
            Effect.sleep(Lifecycle.EXIT_WATCH_DELAY_MILLIS).pipe(Effect.withClock(Clock.make())),
            container.wait()
          ),
          (code) => Effect.fail(new NotReady(Lifecycle.exitedBeforeReady(code)))
        )
        // what the strategy says is why it is not ready; podman failing under it is podman's error
        const awaited = Effect.mapError(
          Effect.suspend(() =>
            strategy === undefined ? Effect.void : strategy.await({ container, ports: container.ports })
          ),
          (reason) => typeof reason === "string" ? new NotReady(reason) : reason
        )
        const ready = strategy === undefined
          ? Effect.void
          : strategy.exits === true
          // the exit is what it waits for
          ? awaited
          : Effect.flatMap(Effect.forkScoped(exited), (watcher) =>
            Effect.raceFirst(awaited, Fiber.join(watcher)).pipe(Effect.ensuring(Fiber.interruptFork(watcher))))
        const elapsed = (yield* Clock.currentTimeMillis) - started
        const outcome = yield* ready.pipe(
          Effect.timeoutFail({
            duration: Lifecycle.remainingMillis(deadline, elapsed),
            onTimeout: () =>
              new NotReady(
                Lifecycle.deadlinePassed(
                  deadline,
                  strategy === undefined ? { _tag: "Starting" } : { _tag: "Waiting", strategy: strategy.description }
                )
              )
          }),
          Effect.either
        )
        if (Either.isRight(outcome)) {
          return container
        }
        // not ready: keep what the container said, then remove it now rather than at scope close
        const failure = outcome.left._tag === "NotReady"
          ? new WaitFailed({ container: container.name, reason: outcome.left.reason, logTail: yield* tail(container) })
          : outcome.left
        yield* driver.forceRemove([container.name])
        return yield* Effect.fail(failure)
      }).pipe(Effect.withSpan("podman container.run")))

  const resources = Resources.make(driver, session)

  // in the one order both editions keep (`Session.SWEEP_ORDER`)
  const sweepContainers = Effect.gen(function*() {
    const labelled = yield* driver.listLabeled(Session.LABEL_PID)
    const orphans = yield* Effect.filter(labelled, (c) => Effect.map(Session.isAlive(c.labels), (alive) => !alive))
    return orphans.length === 0 ? [] : yield* driver.forceRemove([...new Set(orphans.map((c) => c.name))])
  })
  const sweep: ContainerRuntime.Service["sweep"] = Effect.forEach(
    Session.SWEEP_ORDER,
    (kind) => kind === "container" ? sweepContainers : resources.sweep(kind)
  ).pipe(
    Effect.map((results) => results.flat().filter((r) => r.removed).map((r) => r.name)),
    Effect.withSpan("podman sweep")
  )

  return { create, run, sweep, network: resources.network, volume: resources.volume, pod: resources.pod }
}
