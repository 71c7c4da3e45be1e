/** A TCP port on 127.0.0.1 that nothing listens on right now (for a service a test starts). */
import { Effect } from "effect"
import { createServer } from "node:net"

export const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen({ port: 0, host: "127.0.0.1" }, () => {
    const address = server.address()
    server.close(() => resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0)))
  })
})
