/**
 * Networks, volumes and pods as scoped resources, and what `create` and they share: a removal
 * registered before podman runs, dropped when the name turned out to be someone else's.
 *
 * @internal
 */
import { Effect, Option, Schema } from "effect"
import type { Scope } from "effect"
import * as Limits from "effect-podman-shared/Limits"
import type { ContainerRemoveResult } from "../../Container.js"
import { SpecError } from "../../ContainerError.js"
import { ResourceSpec } from "../../ContainerSpec.js"
import type { PodmanError } from "../../PodmanError.js"
import type { ManagedPod, ManagedResource, ResourceKind } from "../../Resource.js"
import type { Driver } from "./driver.js"
import * as Ports from "./ports.js"
import * as Session from "./session.js"
import * as Validate from "./validate.js"

/** @internal */
export const randomSuffix = () => Math.random().toString(36).slice(2, 10)

/**
 * Runs `create` with `remove` registered first — an interrupted or failed create leaves nothing —
 * unless podman said the name is taken: then the object is someone else's, and stays.
 *
 * @internal
 */
export const owned = <E extends { readonly _tag: string }, R>(
  create: Effect.Effect<void, E, R>,
  remove: Effect.Effect<unknown>
): Effect.Effect<void, E, R | Scope.Scope> =>
  Effect.suspend(() => {
    let ours = true
    return Effect.zipRight(
      Effect.addFinalizer(() => (ours ? Effect.asVoid(remove) : Effect.void)),
      Effect.tapError(create, (error) =>
        Effect.sync(() => {
          if ((error as { readonly reason?: unknown }).reason === "NameInUse") ours = false
        }))
    )
  })

const decode = Schema.decodeUnknown(ResourceSpec, { errors: "all" })

type Options = (typeof ResourceSpec)["Encoded"]

/** @internal */
export const make = (driver: Driver, session: string) => {
  const acquire = (kind: ResourceKind, input: Options) =>
    Effect.flatMap(Effect.option(Effect.currentSpan), (owner) =>
      Effect.gen(function*() {
        const options = yield* Effect.mapError(decode(input), Validate.specError(`${kind} options`))
        if (kind !== "pod" && options.ports !== undefined) {
          return yield* Effect.dieMessage(`a ${kind} has no ports`) // the public types do not allow it
        }
        const split = kind === "volume" ? Limits.volumeLabelsProblem(options.labels) : undefined
        if (split !== undefined) return yield* new SpecError({ subject: `${kind} options`, issues: split })
        const name = options.name ?? `${options.namePrefix ?? "effect-podman"}-${randomSuffix()}`
        const ports = yield* Ports.resolve(options.ports ?? [])
        yield* owned(
          driver.resources.create(kind, name, {
            labels: { ...options.labels, ...(yield* Session.labels(session)) },
            internal: options.internal ?? false,
            ports
          }),
          driver.resources.remove(kind, [name]).pipe(
            Effect.withSpan(`podman ${kind}.remove`, {
              attributes: { [`podman.${kind}`]: name },
              ...Option.match(owner, { onNone: () => ({ root: true }), onSome: (parent) => ({ parent }) })
            })
          )
        )
        return { name, ports }
      }).pipe(Effect.withSpan(`podman ${kind}.create`)))

  const resource = <K extends ResourceKind>(kind: K, input: Options) =>
    Effect.map(acquire(kind, input), ({ name }): ManagedResource<K> => ({ kind, name }))

  /** The resources of a kind whose session is gone, removed. */
  const sweep = (kind: ResourceKind): Effect.Effect<ReadonlyArray<ContainerRemoveResult>, PodmanError> =>
    Effect.flatMap(
      driver.resources.list(kind, Session.LABEL_PID),
      (all) =>
        Effect.flatMap(Effect.filter(all, (r) => Effect.map(Session.isAlive(r.labels), (alive) => !alive)), (dead) => {
          const orphans = dead.map((r) => r.name)
          return orphans.length === 0 ? Effect.succeed([]) : driver.resources.remove(kind, orphans)
        })
    )

  return {
    network: (options: Options = {}): Effect.Effect<ManagedResource<"network">, PodmanError | SpecError, Scope.Scope> =>
      resource("network", { ...options, ports: undefined }),
    volume: (options: Options = {}): Effect.Effect<ManagedResource<"volume">, PodmanError | SpecError, Scope.Scope> =>
      resource("volume", { ...options, internal: undefined, ports: undefined }),
    pod: (options: Options = {}): Effect.Effect<ManagedPod, PodmanError | SpecError, Scope.Scope> =>
      Effect.map(acquire("pod", { ...options, internal: undefined }), ({ name, ports }) => ({
        kind: "pod" as const,
        name,
        ...Ports.access(name, ports)
      })),
    sweep
  }
}
