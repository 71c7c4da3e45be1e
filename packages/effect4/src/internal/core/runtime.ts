/**
 * The runtime every backend of the Effect 4 edition shares: container handles, logs from the
 * container's own file (`effect-podman-shared/LogFile`) where it can be read, events, listings;
 * `create`, `run` and `sweep` are `./lifecycle.ts`'s.
 *
 * @internal
 */
import { Duration, Effect, Option, Queue, Schedule, Stream } from "effect"
import * as Events from "effect-podman-shared/Events"
import * as Limits from "effect-podman-shared/Limits"
import * as LogFile from "effect-podman-shared/LogFile"
import { shorten } from "effect-podman-shared/Messages"
import * as Session from "effect-podman-shared/Session"
import { randomUUID } from "node:crypto"
import type { Container, ContainerEvent, Service } from "../../ContainerRuntime.js"
import { InvalidArgument, NonZeroExit } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"
import * as PortReservation from "../../PortReservation.js"
import type { Driver, LogOptions } from "./driver.js"
import * as Files from "./files.js"
import { forceRemove } from "./forceRemove.js"
import { equalBy } from "./handle.js"
import * as Images from "./images.js"
import * as Lifecycle from "./lifecycle.js"
import { gpu } from "./lifecycle.js"

/** Fails with the problem, as an `InvalidArgument` holding a shortened value. */
const refuse = (problem: Limits.Problem | undefined): Effect.Effect<void, InvalidArgument> =>
  problem === undefined ? Effect.void : Effect.fail(new InvalidArgument({ ...problem, value: shorten(problem.value) }))

/** Whole seconds for podman, rounded up (`"500 millis"` → 1). */
const seconds = (input: Duration.Input | undefined, fallback: number) =>
  input === undefined ? fallback : Math.ceil(Duration.toMillis(input) / 1000)

/**
 * A bound or interval a caller passed: a finite duration ≥ 0 (> 0 when `positive`) — `"-5 seconds"`,
 * `NaN` or an infinite grace period are refused before podman is asked.
 */
const bounded = (
  argument: string,
  input: Duration.Input | undefined,
  positive = false
): Effect.Effect<void, InvalidArgument> =>
  input === undefined ? Effect.void : Effect.suspend(() => {
    const problem = Limits.durationProblem(argument, input, { positive })
    if (problem !== undefined) return refuse(problem)
    let millis = NaN
    try {
      millis = Duration.toMillis(input)
    } catch {
      // not a duration: refused below
    }
    return Number.isFinite(millis) && (positive ? millis > 0 : millis >= 0)
      ? Effect.void
      : refuse({
        argument,
        value: String(input),
        reason: positive ? "must be a finite duration > 0" : "must be a finite duration ≥ 0"
      })
  })

/** @internal */
export const make = (driver: Driver): Service => {
  // this runtime's session: what `sweep` (here or in a later run) tells apart from the dead ones
  const sessionLabels = Session.labels(randomUUID())

  /**
   * The log file, followed or not, when podman writes one here that this process can read: the
   * lines since `since`, the last `tail` of them (kept in a ring: a long log costs its reading).
   */
  const fromFile = (
    name: string,
    options: LogOptions
  ): Effect.Effect<Option.Option<Stream.Stream<LogFile.LogEntry, PodmanError>>, PodmanError> =>
    Effect.gen(function*() {
      const info = yield* driver.inspect(name)
      if (Option.isNone(info)) return Option.none()
      const source = LogFile.source({ ...info.value, running: info.value.status === "running" }, options)
      if (source === undefined || !(yield* Effect.promise(() => LogFile.readable(source.path)))) return Option.none()
      const path = source.path
      const failed = (error: unknown) =>
        new NonZeroExit({
          reason: { _tag: "HostFile" },
          operation: "container.logs",
          argv: [],
          stderr: `${path}: ${error instanceof Error ? error.message : String(error)}`,
          cause: error
        })
      const { tail } = options
      return Option.some(Stream.callback<LogFile.LogEntry, PodmanError>((queue) =>
        Effect.gen(function*() {
          const reader = yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => LogFile.open(path, { follow: source.follow, since: options.since?.getTime() }),
              catch: failed
            }),
            (reader) => Effect.promise(() => reader.close())
          )
          const last = tail === undefined ? undefined : new LogFile.Last<LogFile.LogEntry>(tail)
          for (;;) {
            const batch = yield* Effect.tryPromise({ try: () => reader.next(), catch: failed })
            if (batch === undefined) break
            if (last === undefined) yield* Queue.offerAll(queue, batch)
            else for (const entry of batch) last.push(entry)
          }
          if (last !== undefined) yield* Queue.offerAll(queue, last.values())
          yield* Queue.end(queue)
        })
      ))
    })

  const container = (name: string): Container => {
    // a name podman would read as a flag (or cut at a NUL) is refused before anything runs
    const named = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | InvalidArgument> =>
      Effect.andThen(refuse(Limits.argumentProblem("container name", name, { operand: true })), effect)
    const logEntries: Container["logEntries"] = (options = {}) => {
      const checked: LogOptions = { follow: options.follow === true, tail: options.tail, since: options.since }
      const valid = Effect.andThen(
        refuse(Limits.countProblem("log tail", options.tail)),
        refuse(Limits.dateProblem("log since", options.since))
      )
      return Stream.unwrap(
        named(Effect.andThen(
          valid,
          Effect.map(fromFile(name, checked), Option.getOrElse(() => driver.logs(name, checked)))
        ))
      )
    }
    return {
      ...equalBy("container", name),
      name,
      state: named(driver.state(name)),
      running: named(
        Effect.map(driver.inspect(name), (info) => Option.isSome(info) && info.value.status === "running")
      ),
      id: named(Effect.map(driver.inspect(name), Option.map((info) => info.id))),
      startedAt: named(
        Effect.map(driver.inspect(name), Option.flatMap((info) => Option.fromNullishOr(info.startedAt)))
      ),
      mounts: named(Effect.map(driver.inspect(name), Option.map((info) => info.mounts))),
      image: named(Effect.map(driver.inspect(name), Option.map((info) => info.imageName))),
      start: named(gpu(driver.start(name))),
      stop: (options) =>
        Effect.andThen(
          bounded("stop timeout", options?.timeout),
          named(driver.stop(name, seconds(options?.timeout, 10)))
        ),
      restart: (options) =>
        Effect.andThen(
          bounded("restart timeout", options?.timeout),
          named(gpu(driver.control(name, { _tag: "Restart", seconds: seconds(options?.timeout, 10) })))
        ),
      kill: (signal = "SIGKILL") =>
        Effect.andThen(refuse(Limits.signalProblem(signal)), named(driver.control(name, { _tag: "Kill", signal }))),
      pause: named(driver.control(name, { _tag: "Pause" })),
      unpause: named(driver.control(name, { _tag: "Unpause" })),
      healthcheck: named(driver.healthcheck(name)),
      stats: named(driver.stats(name)),
      rwSize: named(driver.rwSize(name)),
      loginCommand: (
        command
      ) => [
        ...driver.loginPrefix,
        "exec",
        "-it",
        name,
        ...(command === undefined || command.length === 0 ? ["tmux", "new-session", "-A", "-s", "main"] : command)
      ],
      config: named(Effect.map(
        driver.inspect(name),
        Option.map(({ settings }) => ({
          ...settings,
          memory: Option.fromNullishOr(settings.memory),
          cpus: Option.fromNullishOr(settings.cpus),
          pidsLimit: Option.fromNullishOr(settings.pidsLimit)
        }))
      )),
      // an interval that is not > 0 would poll podman in a tight loop: refused before the first sample
      statsStream: (options) =>
        Stream.unwrap(Effect.as(
          bounded("stats interval", options?.interval, true),
          Stream.fromEffectSchedule(named(driver.stats(name)), Schedule.spaced(options?.interval ?? "1 second"))
        )),
      wait: (options) =>
        Effect.andThen(bounded("wait timeout", options?.timeout), named(driver.wait(name, options?.timeout))),
      exec: (argv, options = {}) =>
        Effect.andThen(
          Effect.all([
            refuse(Limits.commandProblem("exec argv", argv)),
            refuse(Limits.envProblem(options.env)),
            refuse(Limits.workdirProblem("exec workdir", options.workdir)),
            bounded("exec timeout", options.timeout)
          ]),
          named(driver.exec(name, argv, {
            ...options,
            stdin: typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin
          }))
        ),
      ...Files.make(driver, name, named),
      logEntries,
      logs: (options) => Stream.map(logEntries(options), (entry) => entry.line),
      waitForLog: (ready, { onLine = (line) => Effect.log(line), timeout }) =>
        Stream.map(logEntries({ follow: true }), (entry) => entry.line).pipe(
          Stream.tap(onLine),
          Stream.filter(ready),
          Stream.runHead,
          Effect.map(Option.isSome),
          Effect.timeoutOrElse({ duration: timeout, orElse: () => Effect.succeed(false) })
        )
    }
  }

  const lifecycle = Lifecycle.make(driver, container, sessionLabels)

  return {
    container,
    forceRemove: (containers) => forceRemove(driver, Array.from(containers, (c) => typeof c === "string" ? c : c.name)),
    exec: (target, argv, options) => container(typeof target === "string" ? target : target.name).exec(argv, options),
    execStdio: (target, argv, options) => {
      const name = typeof target === "string" ? target : target.name
      return Effect.andThen(
        Effect.all([
          refuse(Limits.argumentProblem("container name", name, { operand: true })),
          refuse(Limits.commandProblem("exec argv", argv)),
          refuse(Limits.envProblem(options.env)),
          refuse(Limits.workdirProblem("exec workdir", options.workdir))
        ]),
        driver.execStdio(name, argv, options)
      )
    },
    events: (prefix, options) =>
      Stream.unwrap(Effect.map(
        Effect.andThen(
          refuse(Limits.argumentProblem("name prefix", prefix, { operand: true })),
          refuse(Limits.dateProblem("events since", options?.since))
        ),
        () =>
          Stream.suspend(() => {
            const since = options?.since ?? new Date()
            const rounds = Events.resumption(since)
            // each end of podman's reader (a log rotation) is followed, after a pause (longer each time a
            // round gave nothing new), by a new read from shortly before the last event delivered;
            // what was delivered already is dropped, and an event whose line had no time comes once
            const round = (from: Date, pause: boolean): Stream.Stream<Events.ContainerEvent, PodmanError> =>
              Stream.unwrap(
                Effect.as(pause ? Effect.sleep(Duration.millis(rounds.pause())) : Effect.void, driver.events(from))
              ).pipe(
                Stream.filter(rounds.accept),
                Stream.concat(Stream.suspend(() => round(rounds.since(), true)))
              )
            return round(since, false).pipe(
              Stream.filter((event) => event.name.startsWith(`${prefix}-`)),
              Stream.map((event): ContainerEvent => ({
                ...event,
                image: Option.fromNullishOr(event.image),
                exitCode: Option.fromNullishOr(event.exitCode)
              }))
            )
          })
      )),
    containers: (filter) =>
      Effect.andThen(
        refuse(
          "label" in filter
            ? Limits.argumentProblem("label", filter.label, { operand: true })
            : Limits.argumentProblem("name prefix", filter.namePrefix, { operand: true })
        ),
        Effect.map(driver.list(filter), (all) =>
          all.map((listing) => ({ ...listing, container: container(listing.name) })))
      ),
    containersWithPrefix: (prefix) =>
      Effect.andThen(
        refuse(Limits.argumentProblem("name prefix", prefix, { operand: true })),
        Effect.map(driver.list({ namePrefix: prefix }), (all) => all.map((listing) => container(listing.name)))
      ),
    containerRwSizes: (prefix) =>
      Effect.andThen(
        refuse(Limits.argumentProblem("name prefix", prefix, { operand: true })),
        Effect.flatMap(driver.list({ namePrefix: prefix }), (all) =>
          Effect.map(
            Effect.forEach(
              all,
              (listing) => Effect.map(driver.rwSize(listing.name), (size) => [listing.name, size] as const),
              { concurrency: 4 }
            ),
            (sizes) =>
              new Map(sizes.flatMap(([name, size]) => Option.isSome(size) ? [[name, size.value] as const] : []))
          ))
      ),
    containerStates: (prefix) =>
      Effect.andThen(
        refuse(Limits.argumentProblem("name prefix", prefix, { operand: true })),
        Effect.map(driver.list({ namePrefix: prefix }), (all) => new Map(all.map((c) => [c.name, c.state])))
      ),
    ...Images.make(driver),
    reservePort: PortReservation.reserve,
    host: driver.host,
    podman: (args, options) =>
      Effect.andThen(refuse(Limits.commandProblem("podman args", args)), driver.podman(args, options?.timeout)),
    ...lifecycle
  }
}
