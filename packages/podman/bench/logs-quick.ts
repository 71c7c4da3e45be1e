import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Scope, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Podman from "../src/Podman.js"
import * as PodmanApi from "../src/PodmanApi.js"
const main = async () => {
  const scope = Effect.runSync(Scope.make())
  const name = "perf-logs-q"
  try { execFileSync("podman", ["run", "--name", name, "localhost/effect-podman-test:latest", "seq", "1", "1000000"], { stdio: "ignore" }) } catch {}
  for (const [label, l] of [["cli", Podman.layer()], ["rest", PodmanApi.layerService()]] as const) {
    const rt = Context.get(await Effect.runPromise(Layer.buildWithScope(l.pipe(Layer.provide(NodeContext.layer)), scope)), ContainerRuntime)
    for (let i = 0; i < 4; i++) {
      global.gc?.()
      const base = process.memoryUsage().rss; let peak = base
      const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
      const s = performance.now()
      const n = await Effect.runPromise(Stream.runCount(rt.container(name).logs()))
      const ms = performance.now() - s
      clearInterval(t)
      console.log(label, n, ms.toFixed(0), "ms", (n / ms * 1000 / 1e6).toFixed(2), "M lines/s", "rss +", ((peak - base) / 2 ** 20).toFixed(0), "MB")
    }
  }
  await Effect.runPromise(Scope.close(scope, Exit.void))
}
main()
