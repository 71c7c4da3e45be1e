/**
 * TCP port reservations: a bound socket held until its `Scope` closes.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { createServer } from "node:net"
import type { Server } from "node:net"
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
  Effect.map(Effect.acquireRelease(bind(host), close), (server) => {
    const address = server.address()
    return { host, port: typeof address === "object" && address !== null ? address.port : 0, release: close(server) }
  })

const close = (server: Server): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (server.listening) server.close(() => resume(Effect.void))
    else resume(Effect.void)
  })

const bind = (host: string): Effect.Effect<Server, InvalidArgument> =>
  Effect.async<Server, InvalidArgument>((resume) => {
    const server = createServer()
    const fail = (error: unknown) =>
      resume(Effect.fail(
        new InvalidArgument({
          argument: "host",
          value: host,
          reason: `cannot bind a TCP port there (${error instanceof Error ? error.message : String(error)})`
        })
      ))
    server.once("error", fail)
    try {
      server.listen({ port: 0, host, exclusive: true }, () => resume(Effect.succeed(server)))
    } catch (error) {
      fail(error)
    }
    return close(server)
  })
