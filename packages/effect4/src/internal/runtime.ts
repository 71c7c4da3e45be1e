/**
 * The CLI backend of the Effect 4 edition: handles, scoped containers and logs over the runner,
 * with the argv, podman's words and the log-file reader of `effect-podman-shared`.
 *
 * @internal
 */
import { Duration, Effect, Option, Queue, Redacted, Schema, Stream } from "effect"
import * as Argv from "effect-podman-shared/Argv"
import * as LogFile from "effect-podman-shared/LogFile"
import * as Ports from "effect-podman-shared/Ports"
import type * as Spec from "effect-podman-shared/Spec"
import { toContainerState } from "effect-podman-shared/PodmanJson"
import { reasonOf } from "effect-podman-shared/Failures"
import { SpecError, WaitFailed } from "../ContainerError.js"
import type { Container, ManagedContainer, Service } from "../ContainerRuntime.js"
import { ContainerSpec } from "../ContainerSpec.js"
import type { ContainerSpecInput } from "../ContainerSpec.js"
import { InvalidArgument, NonZeroExit } from "../PodmanError.js"
import type { PodmanError } from "../PodmanError.js"
import type { Runner } from "./runner.js"
import { nonZeroExit } from "./runner.js"

const Inspected = Schema.Struct({
  State: Schema.Struct({ Status: Schema.String, ConmonPid: Schema.optional(Schema.Number) }),
  HostConfig: Schema.optional(Schema.Struct({
    LogConfig: Schema.optional(Schema.Struct({ Type: Schema.optional(Schema.String), Path: Schema.optional(Schema.String) }))
  }))
})
const decodeInspected = Schema.decodeUnknownEffect(Schema.Array(Inspected))

const decodeSpec = Schema.decodeUnknownEffect(ContainerSpec)

const randomSuffix = () => Math.random().toString(36).slice(2, 10).padEnd(8, "0")

/** Whole seconds for podman, rounded up (`"500 millis"` → 1). */
const seconds = (input: Duration.Input | undefined, fallback: number) =>
  input === undefined ? fallback : Math.ceil(Duration.toMillis(input) / 1000)

/** @internal */
export const make = (runner: Runner): Service => {
  const inspect = (name: string) =>
    Effect.flatMap(runner.exec(["container", "inspect", name]), (output) => {
      if (output.exitCode !== 0) {
        return reasonOf(output.stderr) === "NoSuchContainer" ? Effect.succeed(Option.none()) : Effect.fail(nonZeroExit(output))
      }
      return Effect.try({ try: () => JSON.parse(output.stdout) as unknown, catch: () => "not JSON" }).pipe(
        Effect.flatMap((json) => decodeInspected(json)),
        Effect.map((all) => Option.fromNullishOr(all[0])),
        Effect.mapError(() =>
          new NonZeroExit({ reason: "Other", operation: output.operation, argv: output.argv, exitCode: 0, stderr: "podman printed an inspect this library cannot read" })
        )
      )
    })

  /** The log file, followed or not, when podman writes one here that this process can read. */
  const fromFile = (name: string, follow: boolean): Effect.Effect<Option.Option<Stream.Stream<string, PodmanError>>, PodmanError> =>
    Effect.gen(function*() {
      const info = yield* inspect(name)
      if (Option.isNone(info)) return Option.none()
      const path = info.value.HostConfig?.LogConfig?.Type === "k8s-file" ? info.value.HostConfig.LogConfig.Path : undefined
      const pid = info.value.State.ConmonPid ?? 0
      if (path === undefined || path === "" || (follow && (pid <= 0 || info.value.State.Status !== "running"))) return Option.none()
      if (!(yield* Effect.promise(() => LogFile.readable(path)))) return Option.none()
      const failed = (error: unknown) =>
        new NonZeroExit({ reason: "Other", operation: "container.logs", argv: ["read", path], stderr: `Error: ${String(error)}` })
      return Option.some(Stream.callback<string, PodmanError>((queue) =>
        Effect.gen(function*() {
          const reader = yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => LogFile.open(path, follow ? { follow: { alive: () => LogFile.processExists(pid), pollMillis: 250 } } : {}),
              catch: failed
            }),
            (reader) => Effect.promise(() => reader.close())
          )
          for (;;) {
            const batch = yield* Effect.tryPromise({ try: () => reader.next(), catch: failed })
            if (batch === undefined) break
            yield* Queue.offerAll(queue, batch.map((entry) => entry.line))
          }
          yield* Queue.end(queue)
        })
      ))
    })

  /** `podman logs` for what the file cannot serve (its stdout: the container's stdout). */
  const fromPodman = (name: string, follow: boolean): Stream.Stream<string, PodmanError> =>
    runner.lines(["logs", ...(follow ? ["--follow"] : []), name])

  const container = (name: string): Container => ({
    name,
    state: Effect.map(inspect(name), Option.map((info) => toContainerState(info.State.Status))),
    start: Effect.asVoid(runner.run(["start", name])),
    stop: (options) => {
      const grace = seconds(options?.timeout, 10)
      return Effect.asVoid(runner.run(["stop", "--time", String(grace), name], { timeout: Duration.seconds(grace + 10) }))
    },
    wait: (options) =>
      Effect.flatMap(
        runner.run(["wait", name], { timeout: options?.timeout ?? Duration.infinity }),
        (output) => Effect.succeed(Number(output.stdout.trim()))
      ),
    exec: (argv, options) =>
      Effect.flatMap(runner.exec(["exec", name, ...argv], { timeout: options?.timeout ?? Duration.infinity }), (output) =>
        // 125-127 and 255: podman failed (no container, not running), not the command
        output.exitCode === 125 || output.exitCode === 255
          ? Effect.fail(nonZeroExit(output))
          : Effect.succeed({ exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr })),
    logs: (options) => {
      const follow = options?.follow === true
      return Stream.unwrap(Effect.map(fromFile(name, follow), Option.getOrElse(() => fromPodman(name, follow))))
    }
  })

  const managed = (c: Container, ports: ReadonlyArray<Spec.PublishedPort>): ManagedContainer => ({
    ...c,
    ports,
    hostPort: (containerPort) => Option.map(Option.fromNullishOr(ports.find((p) => p.container === containerPort)), (p) => p.host),
    mappedPort: (containerPort) => Ports.published(c.name, ports, containerPort).host,
    url: (containerPort, path, scheme) => Ports.url(Ports.published(c.name, ports, containerPort), path, scheme)
  })

  const forceRemove: Service["forceRemove"] = (names) =>
    names.length === 0 ? Effect.void : Effect.asVoid(runner.run(["rm", "--force", "--ignore", "--time", "0", ...names]))

  const acquire = (input: ContainerSpecInput, started: boolean) =>
    Effect.gen(function*() {
      const spec = yield* Effect.mapError(decodeSpec(input), (error) => new SpecError({ subject: "container spec", issues: error.message }))
      const name = spec.name ?? `${spec.namePrefix ?? "effect-podman"}-${randomSuffix()}`
      // a free host port for each published port without one
      const ports = yield* Effect.forEach(spec.ports ?? [], (p) => {
        const hostIp = p.hostIp ?? "127.0.0.1"
        return Effect.map(
          p.host === undefined
            ? Effect.tryPromise({
              try: () => Ports.freePort(hostIp),
              catch: (error) => new InvalidArgument({ argument: "host IP", value: hostIp, reason: `cannot bind a TCP port there (${String(error)})` })
            })
            : Effect.succeed(p.host),
          (host): Spec.PublishedPort => ({ container: p.container, host, hostIp, protocol: p.protocol ?? "tcp" })
        )
      })
      const { args, env } = Argv.createArgs(spec, { name, ports, init: spec.init ?? true, labels: {} }, Redacted.value)
      // the removal is registered before podman runs: an interrupted or failed create leaves
      // nothing (but a taken name is someone else's container, and stays)
      let ours = true
      yield* Effect.addFinalizer(() => ours ? Effect.ignore(forceRemove([name])) : Effect.void)
      yield* runner.run(started ? ["run", "--detach", ...args.slice(1)] : args, { env }).pipe(
        Effect.tapError((error) => Effect.sync(() => {
          if (error._tag === "NonZeroExit" && error.reason === "NameInUse") ours = false
        }))
      )
      return managed(container(name), ports)
    })

  const tail = (c: Container) =>
    c.logs().pipe(Stream.runCollect, Effect.map((lines) => lines.slice(-50)), Effect.orElseSucceed((): Array<string> => []))

  return {
    container,
    forceRemove,
    create: (spec) => acquire(spec, false).pipe(Effect.withSpan("podman container.create")),
    run: (spec, options) =>
      Effect.gen(function*() {
        const deadline = options?.deadline ?? Duration.minutes(1)
        const c = yield* acquire(spec, true)
        const strategy = options?.wait
        if (strategy === undefined) return c
        const outcome = yield* strategy.await(c).pipe(
          Effect.timeoutOrElse({ duration: deadline, orElse: () => Effect.fail(`the deadline of ${Duration.format(Duration.fromInputUnsafe(deadline))} passed waiting for ${strategy.description}`) }),
          Effect.result
        )
        if (outcome._tag === "Success") return c
        if (typeof outcome.failure !== "string") return yield* Effect.fail(outcome.failure)
        const failure = new WaitFailed({ container: c.name, reason: outcome.failure, logTail: yield* tail(c) })
        yield* Effect.ignore(forceRemove([c.name]))
        return yield* Effect.fail(failure)
      }).pipe(Effect.withSpan("podman container.run"))
  }
}
