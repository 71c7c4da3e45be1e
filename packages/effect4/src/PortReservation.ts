/**
 * Port reservations: a free TCP port on the host, held (bound) for a scope, so nothing else takes
 * it before you hand it to a container (`ports: [{ container, host: reservation.port }]`).
 *
 * @since 0.4.0
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import * as Ports from "effect-podman-shared/Ports"
import { InvalidArgument } from "./PodmanError.js"

/**
 * A reserved port: its host and number, and `release` to free it before the scope closes.
 *
 * @example
 * ```ts
 * import type { PortReservation } from "effect-podman-4"
 *
 * const spec = (reservation: PortReservation.PortReservation) => ({ image: "localhost/web:latest", ports: [{ container: 80, host: reservation.port }] })
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface PortReservation {
  readonly host: string
  readonly port: number
  /** Releases the port now (idempotent; the scope's close does it otherwise). */
  readonly release: Effect.Effect<void>
}

/**
 * Reserves a free port on `host` (default `127.0.0.1`) for the scope; a host this machine cannot
 * bind is an `InvalidArgument`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PortReservation } from "effect-podman-4"
 *
 * const port = Effect.map(PortReservation.reserve(), (reservation) => reservation.port)
 * ```
 *
 * @since 0.4.0
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
