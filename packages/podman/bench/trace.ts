import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Option, Scope, Tracer } from "effect"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Podman from "../src/Podman.js"
import * as PodmanApi from "../src/PodmanApi.js"
import * as Wait from "../src/Wait.js"
const t0 = { v: 0 }
const events: Array<string> = []
const tracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) => {
    const start = Number(startTime) / 1e6
    const span: any = {
      _tag: "Span", name, spanId: Math.random().toString(36), traceId: "t", parent, context, status: { _tag: "Started", startTime }, attributes: new Map(), links, sampled: true, kind,
      end: (endTime: bigint) => { events.push(`${(start - t0.v).toFixed(1).padStart(7)} → ${(Number(endTime) / 1e6 - t0.v).toFixed(1).padStart(7)}  ${name}`) },
      attribute: () => {}, event: () => {}, addLinks: () => {}
    }
    return span
  },
  context: (f) => f()
})
const IMAGE = "localhost/effect-podman-test:latest"
const spec = { image: IMAGE, namePrefix: "trace", command: ["sh", "-c", "echo ready; sleep 3600"] }
const main = async () => {
  const scope = Effect.runSync(Scope.make())
  const layers = [["CLI", Podman.layer()], ["REST", PodmanApi.layerService()]] as const
  for (const [label, l] of layers) {
    const rt = Context.get(await Effect.runPromise(Layer.buildWithScope(l.pipe(Layer.provide(NodeContext.layer)), scope)), ContainerRuntime)
    for (let i = 0; i < 4; i++) {
      events.length = 0
      t0.v = performance.now() + performance.timeOrigin
      const s = performance.now()
      await Effect.runPromise(Effect.scoped(rt.run(spec, { wait: Wait.forLog(/ready/) })).pipe(Effect.withTracer(tracer)))
      const total = performance.now() - s
      if (i >= 2) console.log(`${label} total ${total.toFixed(1)}\n${events.join("\n")}`)
    }
  }
  await Effect.runPromise(Scope.close(scope, Exit.void))
}
main()
