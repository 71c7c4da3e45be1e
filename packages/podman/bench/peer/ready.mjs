// The peer for the time-to-ready row: testcontainers-node on podman's Docker-compatible socket.
// One cycle per "go" line on stdin; prints the cycle's milliseconds.
import { GenericContainer, Wait } from "testcontainers"
import { performance } from "node:perf_hooks"
import { createInterface } from "node:readline"
const [image, ...command] = process.argv.slice(2)
const cycle = async () => {
  const start = performance.now()
  const container = await new GenericContainer(image).withCommand(command).withWaitStrategy(Wait.forLogMessage("ready")).start()
  await container.stop({ timeout: 0 })
  return performance.now() - start
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== "go") break
  console.log(Math.round(await cycle()))
}
