/**
 * Networks, volumes and pods as scoped resources of the Effect 4 edition, on any backend: options
 * decoded, a free host port for each pod port without one, session labels (so `sweep` tells a dead
 * session's from a living one's), and the removal registered before podman runs — dropped when the
 * name turned out to be someone else's.
 *
 * @internal
 */
import { Effect, Option, Schema } from "effect"
import type { Scope } from "effect"
import * as Limits from "effect-podman-shared/Limits"
import * as Ports from "effect-podman-shared/Ports"
import * as Session from "effect-podman-shared/Session"
import type * as Spec from "effect-podman-shared/Spec"
import { SpecError } from "../../ContainerError.js"
import type { PortMapping } from "../../ContainerSpec.js"
import { InvalidArgument } from "../../PodmanError.js"
import type { PodmanError } from "../../PodmanError.js"
import { ResourceOptions } from "../../Resource.js"
import type { ManagedPod, ManagedResource, ResourceKind, ResourceOptionsInput } from "../../Resource.js"
import type { Driver } from "./driver.js"

/** @internal */
export const randomSuffix = () => Math.random().toString(36).slice(2, 10).padEnd(8, "0")

/** The published ports of mappings: a free host port (on their host IP) for each without one. @internal */
export const resolvePorts = (ports: ReadonlyArray<typeof PortMapping.Type>) =>
  Effect.forEach(ports, (p) => {
    const hostIp = p.hostIp ?? "127.0.0.1"
    return Effect.map(
      p.host === undefined
        ? Effect.tryPromise({
          try: () => Ports.freePort(hostIp),
          catch: (error) =>
            new InvalidArgument({
              argument: "host IP",
              value: hostIp,
              reason: `cannot bind a TCP port there (${String(error)})`
            })
        })
        : Effect.succeed(p.host),
      (host): Spec.PublishedPort => ({ container: p.container, host, hostIp, protocol: p.protocol ?? "tcp" })
    )
  })

/** What a container or pod with published ports answers about them. @internal */
export const published = (name: string, ports: ReadonlyArray<Spec.PublishedPort>) => ({
  ports,
  hostPort: (containerPort: number) =>
    Option.map(Option.fromNullishOr(ports.find((p) => p.container === containerPort)), (p) => p.host),
  mappedPort: (containerPort: number) => Ports.published(name, ports, containerPort).host,
  url: (containerPort: number, path?: string, scheme?: string) =>
    Ports.url(Ports.published(name, ports, containerPort), path, scheme)
})

const decode = Schema.decodeUnknownEffect(ResourceOptions)

/** @internal */
export const make = (driver: Driver, sessionLabels: Promise<Readonly<Record<string, string>>>) => {
  const acquire = (kind: ResourceKind, input: ResourceOptionsInput) =>
    Effect.gen(function*() {
      const options = yield* Effect.mapError(decode(input), (error) =>
        new SpecError({ subject: `${kind} options`, issues: error.message }))
      if (kind !== "pod" && options.ports !== undefined) {
        return yield* new SpecError({ subject: `${kind} options`, issues: `a ${kind} has no ports` })
      }
      const split = kind === "volume" ? Limits.volumeLabelsProblem(options.labels) : undefined
      if (split !== undefined) {
        return yield* new SpecError({ subject: `${kind} options`, issues: split })
      }
      if (kind !== "network" && options.internal !== undefined) {
        return yield* new SpecError({ subject: `${kind} options`, issues: "only a network is internal" })
      }
      const name = options.name ?? `${options.namePrefix ?? "effect-podman"}-${randomSuffix()}`
      const ports = yield* resolvePorts(options.ports ?? [])
      let ours = true
      yield* Effect.addFinalizer(() =>
        ours
          ? Effect.ignore(
            driver.resources.remove(kind, [name]).pipe(
              Effect.withSpan(`podman ${kind}.remove`, { attributes: { [`podman.${kind}`]: name } })
            )
          )
          : Effect.void
      )
      const labels = {
        ...options.labels,
        ...yield* Effect.promise(() =>
          sessionLabels
        )
      }
      yield* driver.resources.create(kind, name, { labels, internal: options.internal ?? false, ports }).pipe(
        Effect.tapError((error) =>
          Effect.sync(() => {
            if (error._tag === "NonZeroExit" && error.reason._tag === "NameInUse") ours = false
          })
        )
      )
      return { name, ports }
    }).pipe(Effect.withSpan(`podman ${kind}.create`))

  const resource = <K extends ResourceKind>(kind: K) => (input: ResourceOptionsInput = {}) =>
    Effect.map(acquire(kind, input), ({ name }): ManagedResource<K> => ({ kind, name }))

  /** The resources of these kinds whose session's process is gone, removed: their names. */
  const sweep = (kinds: ReadonlyArray<ResourceKind>): Effect.Effect<ReadonlyArray<string>, PodmanError> =>
    Effect.map(
      Effect.forEach(kinds, (kind) =>
        Effect.gen(function*() {
          const all = yield* driver.resources.list(kind, Session.LABEL_PID)
          const dead = yield* Effect.filter(
            all,
            (r) => Effect.map(Effect.promise(() => Session.isAlive(r.labels)), (alive) => !alive)
          )
          const names = dead.map((r) => r.name)
          if (names.length > 0) yield* driver.resources.remove(kind, names)
          return names
        })),
      (names) => names.flat()
    )

  return {
    network: resource("network"),
    volume: resource("volume"),
    pod: (input: ResourceOptionsInput = {}): Effect.Effect<ManagedPod, PodmanError | SpecError, Scope.Scope> =>
      Effect.map(
        acquire("pod", input),
        ({ name, ports }) => ({ kind: "pod" as const, name, ...published(name, ports) })
      ),
    sweep
  }
}
