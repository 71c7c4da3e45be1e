/**
 * TCP port reservations: a bound socket held until its `Scope` closes.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import { InvalidArgument } from "./PodmanError.js"

/**
 * A reserved port. The socket stays bound (so nothing else can take the port) until the scope
 * that made it closes, or `release` runs; releasing twice is harmless.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PortReservation } from "effect-podman"
 *
 * const port = Effect.scoped(Effect.map(PortReservation.reserve(), (reservation) => reservation.port))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface PortReservation {
  readonly host: string
  readonly port: number
  /** Releases the port now (idempotent; the scope's close does it otherwise). */
  readonly release: Effect.Effect<void>
}

/**
 * Binds a free TCP port (port 0) on `host` and holds it until the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PortReservation } from "effect-podman"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const { port } = yield* PortReservation.reserve("127.0.0.1")
 *     // hand `port` to podman as -p 127.0.0.1:PORT:80 after releasing it, or keep it held
 *     return port
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const reserve = (host: string = "127.0.0.1"): Effect.Effect<PortReservation, InvalidArgument, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.tryPromise({
        try: () => Ports.hold(host),
        catch: (error) =>
          new InvalidArgument({
            argument: "host",
            value: host,
            reason: error instanceof Error ? error.message : String(error)
          })
      }),
      (held) => Effect.promise(held.close)
    ),
    (held) => ({ host, port: held.port, release: Effect.promise(held.close) })
  )
