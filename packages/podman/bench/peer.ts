/**
 * The peer of the time-to-ready rows: testcontainers-node 12 (Node 22) on podman's
 * Docker-compatible socket, in a process of its own that runs one cycle per request — so the bench
 * interleaves it with the library's rounds. Present only after `scripts/bench-peer.sh`. The socket
 * is a `podman system service` of the bench's own, which the REST layer uses too (as the referee,
 * `../shared/bench/ready/run.sh`, does).
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"

const dir = new URL("./peer/", import.meta.url).pathname
const node = join(dir, "node_modules/.bin/node")

/** A podman service on a socket of its own. */
export const startService = async () => {
  const socketDir = await mkdtemp(join(tmpdir(), "bench-podman-"))
  const socket = join(socketDir, "podman.sock")
  const service = spawn("podman", ["system", "service", "--time", "0", `unix://${socket}`], { stdio: "ignore" })
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50))
  return {
    socket,
    close: async () => {
      service.kill("SIGTERM")
      if (service.exitCode === null) await new Promise((r) => service.once("exit", r))
      await rm(socketDir, { recursive: true, force: true })
    }
  }
}

export interface Peer {
  /** N containers to ready at once, then removed: [ms to all ready, ms to all ready and removed]. */
  readonly cycle: (n?: number) => Promise<ReadonlyArray<number>>
  readonly close: () => Promise<void>
}

/** Starts the peer on `socket`; undefined when the peer is not installed. */
export const startPeer = (socket: string, image: string, command: ReadonlyArray<string>): Peer | undefined => {
  if (!existsSync(node) || !existsSync(join(dir, "node_modules/testcontainers"))) return undefined
  const peer = spawn(node, [join(dir, "ready.mjs"), image, ...command], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, DOCKER_HOST: `unix://${socket}`, TESTCONTAINERS_RYUK_DISABLED: "true" }
  })
  const lines = createInterface({ input: peer.stdout! })[Symbol.asyncIterator]()
  return {
    cycle: async (n = 1) => {
      peer.stdin!.write(`go ${n}\n`)
      const next = await lines.next()
      if (next.done === true) throw new Error("the testcontainers peer stopped")
      return next.value.split(" ").map(Number)
    },
    close: async () => {
      peer.stdin!.end()
      if (peer.exitCode === null) await new Promise((r) => peer.once("exit", r))
    }
  }
}
