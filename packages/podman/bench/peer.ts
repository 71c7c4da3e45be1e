/**
 * The peer of the time-to-ready row: testcontainers-node 12 (Node 22) on podman's
 * Docker-compatible socket, in a process of its own that runs one cycle per request — so the bench
 * interleaves it with the library's rounds. Present only after `scripts/bench-peer.sh`.
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"

const dir = new URL("./peer/", import.meta.url).pathname
const node = join(dir, "node_modules/.bin/node")

export interface Peer {
  readonly cycle: () => Promise<number>
  readonly close: () => Promise<void>
}

/** Starts a podman service and the peer on it; undefined when the peer is not installed. */
export const startPeer = async (image: string, command: ReadonlyArray<string>): Promise<Peer | undefined> => {
  if (!existsSync(node) || !existsSync(join(dir, "node_modules/testcontainers"))) return undefined
  const socketDir = await mkdtemp(join(tmpdir(), "bench-peer-"))
  const socket = join(socketDir, "podman.sock")
  const service = spawn("podman", ["system", "service", "--time", "0", `unix://${socket}`], { stdio: "ignore" })
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50))
  const peer = spawn(node, [join(dir, "ready.mjs"), image, ...command], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, DOCKER_HOST: `unix://${socket}`, TESTCONTAINERS_RYUK_DISABLED: "true" }
  })
  const lines = createInterface({ input: peer.stdout! })[Symbol.asyncIterator]()
  return {
    cycle: async () => {
      peer.stdin!.write("go\n")
      const next = await lines.next()
      if (next.done === true) throw new Error("the testcontainers peer stopped")
      return Number(next.value)
    },
    close: async () => {
      peer.stdin!.end()
      await new Promise((r) => peer.once("exit", r))
      service.kill("SIGTERM")
      await new Promise((r) => service.once("exit", r))
      await rm(socketDir, { recursive: true, force: true })
    }
  }
}
