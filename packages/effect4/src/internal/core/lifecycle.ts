/**
 * `create`, `run` and `sweep` — containers as scoped resources, made ready under one deadline —
 * and the networks, volumes and pods they use, derived from the driver and the runtime's handles
 * (as the Effect 3 edition's `internal/core/lifecycle.ts`; the rules are `effect-podman-shared`'s
 * `Lifecycle` and `Session`).
 *
 * @internal
 */
import { Clock, Duration, Effect, Fiber, Option, Schema, Stream } from "effect"
import type { Tracer } from "effect"
import * as Gpu from "effect-podman-shared/Gpu"
import * as Lifecycle from "effect-podman-shared/Lifecycle"
import * as Session from "effect-podman-shared/Session"
import type * as Spec from "effect-podman-shared/Spec"
import { GpuConfigError, SpecError, WaitFailed } from "../../ContainerError.js"
import type { Container, ManagedContainer, Service } from "../../ContainerRuntime.js"
import { ContainerSpec } from "../../ContainerSpec.js"
import type { ContainerSpecInput } from "../../ContainerSpec.js"
import { findInitBinary } from "../../Init.js"
import type { NonZeroExit } from "../../PodmanError.js"
import { NotReady } from "../../Wait.js"
import type { Driver } from "./driver.js"
import { forceRemove } from "./forceRemove.js"
import * as Resources from "./resources.js"
import { published, randomSuffix, resolvePorts } from "./resources.js"

const decodeSpec = Schema.decodeUnknownEffect(ContainerSpec)

/** The clock of real time, whatever clock a test provides. */
const realClock = Clock.Clock.defaultValue()

/** A launch that failed on CDI devices the host cannot resolve is a `GpuConfigError`. @internal */
export const gpu = <A, E, R>(
  effect: Effect.Effect<A, E | NonZeroExit, R>
): Effect.Effect<A, E | NonZeroExit | GpuConfigError, R> =>
  Effect.catchIf(
    effect,
    (error): error is NonZeroExit =>
      (error as { readonly _tag?: unknown })._tag === "NonZeroExit" && Gpu.isCdiFailure((error as NonZeroExit).stderr),
    (error) => Effect.fail(new GpuConfigError({ argv: error.argv, stderr: error.stderr, hint: Gpu.CDI_HINT }))
  )

/** @internal */
export const make = (
  driver: Driver,
  container: (name: string) => Container,
  sessionLabels: Promise<Readonly<Record<string, string>>>
): Pick<Service, "create" | "run" | "sweep" | "network" | "volume" | "pod"> => {
  const managed = (c: Container, ports: ReadonlyArray<Spec.PublishedPort>): ManagedContainer => ({
    ...c,
    ...published(c.name, ports)
  })

  /** The span a caller creates a container under: its removal, at scope close, is traced there. */
  const ownerSpan = Effect.option(Effect.currentParentSpan)

  const acquire = (input: ContainerSpecInput, started: boolean, owner: Option.Option<Tracer.AnySpan>) =>
    Effect.gen(function*() {
      const spec = yield* Effect.mapError(
        decodeSpec(input),
        (error) => new SpecError({ subject: "container spec", issues: error.message })
      )
      const name = spec.name ?? `${spec.namePrefix ?? "effect-podman"}-${randomSuffix()}`
      const ports = yield* resolvePorts(spec.ports ?? [])
      // the removal is registered before podman runs: an interrupted or failed create leaves
      // nothing (but a taken name is someone else's container, and stays)
      let ours = true
      yield* Effect.addFinalizer(() =>
        ours
          ? Effect.ignore(driver.remove([name])).pipe(Effect.withSpan("podman container.remove", {
            attributes: { "podman.container": name },
            ...(Option.isSome(owner) ? { parent: owner.value } : { root: true })
          }))
          : Effect.void
      )
      const labels = yield* Effect.promise(() => sessionLabels)
      const init = Lifecycle.initFor(spec.init, Option.isSome(yield* findInitBinary()))
      yield* driver.create(spec, { name, ports, init, labels }, started).pipe(
        Effect.tapError((error) =>
          Effect.sync(() => {
            if (error._tag === "NonZeroExit" && error.reason._tag === "NameInUse") ours = false
          })
        )
      )
      return managed(container(name), ports)
    })

  const tail = (c: Container) =>
    c.logs({ tail: Lifecycle.LOG_TAIL_LINES }).pipe(
      Stream.runCollect,
      Effect.map((lines) => [...lines]),
      Effect.orElseSucceed((): Array<string> => [])
    )

  const resources = Resources.make(driver, sessionLabels)

  // in the one order both editions keep (`Session.SWEEP_ORDER`)
  const sweepContainers = Effect.gen(function*() {
    const labelled = yield* driver.list({ label: Session.LABEL_PID })
    const dead = yield* Effect.filter(
      labelled,
      (c) => Effect.map(Effect.promise(() => Session.isAlive(c.labels)), (alive) => !alive)
    )
    const names = [...new Set(dead.map((c) => c.name))]
    // what could not be removed is not reported as swept (a later sweep tries again)
    return names.length === 0 ? [] : (yield* forceRemove(driver, names)).filter((r) => r.removed).map((r) => r.name)
  })
  const sweep: Service["sweep"] = Effect.gen(function*() {
    const removed = yield* Effect.forEach(
      Session.SWEEP_ORDER,
      (kind) => kind === "container" ? sweepContainers : resources.sweep([kind])
    )
    return removed.flat()
  }).pipe(Effect.withSpan("podman sweep"))

  const create: Service["create"] = (spec) =>
    Effect.flatMap(
      ownerSpan,
      (owner) => acquire(spec, false, owner).pipe(Effect.withSpan("podman container.create"))
    )

  const run: Service["run"] = (spec, options) =>
    Effect.flatMap(ownerSpan, (owner) =>
      Effect.gen(function*() {
        // one deadline for creating, starting and the wait (`Lifecycle`)
        const deadline = Duration.toMillis(
          Duration.fromInputUnsafe(options?.deadline ?? Lifecycle.DEFAULT_DEADLINE_MILLIS)
        )
        const started = yield* Clock.currentTimeMillis
        const c = yield* gpu(acquire(spec, true, owner)).pipe(Effect.timeoutOrElse({
          duration: deadline,
          orElse: () =>
            Effect.fail(
              new WaitFailed({
                container: Lifecycle.NOT_CREATED,
                reason: Lifecycle.deadlinePassed(deadline, { _tag: "Starting" }),
                logTail: []
              })
            )
        }))
        const strategy = options?.wait
        if (strategy === undefined) return c
        const remaining = Lifecycle.remainingMillis(deadline, (yield* Clock.currentTimeMillis) - started)
        // a container that exits first fails the wait at once (its exit watched after a moment, so
        // one that is ready at once never pays for the watch). The watch runs in the caller's scope:
        // once the container is ready it is interrupted without waiting for its child to be reaped
        // (a CLI `podman wait` takes tens of ms to end); the scope's close waits for what is left
        const exited = strategy.exits === true
          ? Effect.never // it exits to be ready (`Wait.forSuccessfulExit`)
          : Effect.flatMap(
            Effect.forkScoped(Effect.flatMap(
              Effect.andThen(
                // real time, also under a TestClock (a test's model container that exits is reported)
                Effect.provideService(Effect.sleep(Lifecycle.EXIT_WATCH_DELAY_MILLIS), Clock.Clock, realClock),
                driver.wait(c.name, undefined)
              ),
              (code) =>
                Effect.fail(
                  new NotReady({ strategy: strategy.description, detail: Lifecycle.exitedBeforeReady(code) })
                )
            )),
            (watcher) => Fiber.join(watcher).pipe(Effect.onInterrupt(() => Effect.forkScoped(Fiber.interrupt(watcher))))
          )
        const outcome = yield* Effect.raceFirst(strategy.await(c), exited).pipe(
          Effect.timeoutOrElse({
            duration: remaining,
            orElse: () =>
              Effect.fail(
                new NotReady({
                  strategy: strategy.description,
                  detail: Lifecycle.deadlinePassed(deadline, { _tag: "Waiting", strategy: strategy.description })
                })
              )
          }),
          Effect.result
        )
        if (outcome._tag === "Success") return c
        // not ready: keep what the container said, then remove it now rather than at scope close
        const failure = outcome.failure._tag === "NotReady"
          ? new WaitFailed({ container: c.name, reason: outcome.failure.detail, logTail: yield* tail(c) })
          : outcome.failure
        yield* Effect.ignore(driver.remove([c.name]))
        return yield* Effect.fail(failure)
      }).pipe(Effect.withSpan("podman container.run")))

  return { create, run, sweep, network: resources.network, volume: resources.volume, pod: resources.pod }
}
