// The peer of the time-to-ready rows: testcontainers-node on podman's Docker-compatible socket.
// A line "go N" on stdin brings N containers to ready at once (Promise.all, each with its log wait),
// then stops and removes them; it prints "READY_MS TOTAL_MS" (all ready; all ready and removed).
import { performance } from "node:perf_hooks"
import { createInterface } from "node:readline"
import { GenericContainer, Wait } from "testcontainers"
const [image, ...command] = process.argv.slice(2)
const one = () => new GenericContainer(image).withCommand(command).withWaitStrategy(Wait.forLogMessage("ready")).start()
const cycle = async (n) => {
  const start = performance.now()
  const containers = await Promise.all(Array.from({ length: n }, one))
  const ready = performance.now() - start
  await Promise.all(containers.map((container) => container.stop({ timeout: 0 })))
  return `${ready.toFixed(1)} ${(performance.now() - start).toFixed(1)}`
}
for await (const line of createInterface({ input: process.stdin })) {
  const [word, n] = line.split(" ")
  if (word !== "go") break
  console.log(await cycle(Number(n ?? 1)))
}
