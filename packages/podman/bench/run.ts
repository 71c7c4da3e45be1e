/**
 * `pnpm bench`: the library against raw podman (and testcontainers-node, where installed), in the
 * same run, interleaved, on real podman. Prints median and p95 per row, the ratio, and the row's
 * target met or missed; then where one REST `run` spends its time (its spans, phase by phase);
 * writes everything to bench-results/latest.json. `--quick` (CI) runs small counts so the bench
 * keeps working; its figures mean nothing.
 */
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Scope, Stream } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Podman from "../src/Podman.js"
import * as PodmanApi from "../src/PodmanApi.js"
import { compare, IMAGE, raw, summary, verdict } from "./measure.js"
import type { Row } from "./measure.js"
import { startPeer, startService } from "./peer.js"
import * as Ready from "./ready.js"

const quick = process.argv.includes("--quick")
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
// the layers live for the whole run (the REST layer's connections with them)
const layers = Effect.runSync(Scope.make())
const runtimeOf = async (layer: Layer.Layer<ContainerRuntime>) =>
  Context.get(await run(Layer.buildWithScope(layer, layers)), ContainerRuntime)

/** Lines per second of the library's log stream against `podman logs > /dev/null`. */
const logRows = async (
  cli: ContainerRuntime.Service,
  rest: ContainerRuntime.Service,
  container: string,
  lines: number
) => {
  const rows: Array<Row> = []
  const perSecond = (ms: number) => Math.round(lines / (ms / 1000))
  for (const [label, source] of [["CLI", cli], ["REST", rest]] as const) {
    const baseRss = process.memoryUsage().rss
    let peakRss = baseRss
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
    const row = await compare(
      `logs (${label}) of ${lines.toLocaleString("en")} lines vs \`podman logs > /dev/null\``,
      quick ? 2 : 5,
      async () => {
        const count = await run(Stream.runCount(source.container(container).logs()))
        if (count !== lines) throw new Error(`expected ${lines} lines, got ${count}`)
      },
      () => raw(["logs", container], "null")
    )
    clearInterval(sampler)
    rows.push({
      ...row,
      unit: "lines/s",
      library: { median: perSecond(row.library.median), p95: perSecond(row.library.p95) },
      baseline: { median: perSecond(row.baseline.median), p95: perSecond(row.baseline.p95) },
      ratio: row.baseline.median / row.library.median,
      target: { at: 10, direction: "at least" },
      note: `throughput ratio; RSS +${Math.round((peakRss - baseRss) / 2 ** 20)} MB at peak while streaming`
    })
  }
  return rows
}

const main = async () => {
  const cli = await runtimeOf(Podman.layer().pipe(Layer.provide(NodeContext.layer)))
  // one podman service for the REST layer and the peer, as the referee has
  const service = await startService()
  const rest = await runtimeOf(PodmanApi.layer({ socket: service.socket }).pipe(Layer.provide(NodeContext.layer)))
  const peer = startPeer(service.socket, IMAGE, ["sh", "-c", "echo ready; sleep 3600"])
  const prefix = `bench-${Date.now().toString(36)}`
  const probe = `${prefix}-probe`
  const logSizes = quick ? [20_000] : [200_000, 1_000_000]
  const loggers = logSizes.map((lines) => `${prefix}-logs-${lines}`)
  const rows: Array<Row> = []
  let trace: Awaited<ReturnType<typeof Ready.single>>["trace"] = []
  try {
    await raw(["run", "-d", "--init", "--name", probe, IMAGE])
    for (const [i, lines] of logSizes.entries()) {
      await raw(["run", "--name", loggers[i]!, IMAGE, "seq", "1", String(lines)])
    }
    if (peer === undefined) console.log("testcontainers-node rows: left out (scripts/bench-peer.sh installs the peer)")
    else await peer.cycle(1) // its first cycle warms it up

    const probeRounds = quick ? 5 : 100
    rows.push(
      await compare(
        `state probe (CLI) × ${probeRounds} vs \`podman container inspect\``,
        probeRounds,
        () => run(cli.container(probe).state),
        () => raw(["container", "inspect", "-f", "{{.State.Status}}", probe]),
        { target: { at: 1.1, direction: "at most" } }
      )
    )
    rows.push(
      await compare(
        `state probe (REST) × ${probeRounds} vs the CLI probe`,
        probeRounds,
        () => run(rest.container(probe).state),
        () => raw(["container", "inspect", "-f", "{{.State.Status}}", probe])
      )
    )
    const execRounds = quick ? 5 : 50
    rows.push(
      await compare(
        `exec true × ${execRounds}`,
        execRounds,
        () => run(cli.exec(probe, ["true"])),
        () => raw(["exec", probe, "true"])
      )
    )

    const contenders = { cli, rest, socket: service.socket, peer, prefix }
    const single = await Ready.single(contenders, quick ? 3 : 20)
    rows.push(...single.rows)
    trace = single.trace
    rows.push(...await Ready.scale(contenders, quick ? [1, 3] : [1, 5, 10, 20], quick ? 1 : 5))

    // containerStates: one podman call for 50 containers, against the 50 inspects it replaces
    const fleet = quick ? 5 : 50
    const fleetNames = Array.from({ length: fleet }, (_, i) => `${prefix}-fleet-${i}`)
    for (const name of fleetNames) await raw(["create", "--name", name, IMAGE])
    rows.push(
      await compare(
        `containerStates of ${fleet} vs ${fleet} inspects`,
        quick ? 2 : 5,
        () => run(cli.containerStates(`${prefix}-fleet`)),
        () => Promise.all(fleetNames.map((name) => raw(["inspect", "-f", "{{.State.Status}}", name])))
      )
    )
    await run(cli.forceRemove(fleetNames))

    // forceRemove of running containers: one batched call with a result per container, against
    // one batched `podman rm -f` (the floor); each round starts fresh containers, untimed
    const batch = quick ? 3 : 20
    const removal = { library: [] as Array<number>, batched: [] as Array<number> }
    for (let i = 0; i < (quick ? 1 : 5); i++) {
      for (const kind of ["library", "batched"] as const) {
        const names = Array.from({ length: batch }, (_, j) => `${prefix}-rm-${kind}-${i}-${j}`)
        await Promise.all(names.map((name) => raw(["run", "-d", "--init", "--name", name, IMAGE])))
        const start = performance.now()
        await (kind === "library" ? run(cli.forceRemove(names)) : raw(["rm", "-f", ...names]))
        removal[kind].push(performance.now() - start)
      }
    }
    const lib = summary(removal.library)
    const batched = summary(removal.batched)
    rows.push({
      name: `forceRemove of ${batch} running vs one \`podman rm -f\``,
      unit: "ms",
      library: lib,
      baseline: batched,
      ratio: lib.median / batched.median
    })

    for (const [i, lines] of logSizes.entries()) rows.push(...await logRows(cli, rest, loggers[i]!, lines))
  } finally {
    await run(cli.forceRemove([probe, ...loggers]))
    await peer?.close()
    await run(Scope.close(layers, Exit.void))
    await service.close()
  }

  const round = (x: number) => Math.round(x * 10) / 10
  console.table(rows.map((r) => ({
    row: r.name,
    unit: r.unit,
    "library median": round(r.library.median),
    "library p95": round(r.library.p95),
    "other median": round(r.baseline.median),
    "other p95": round(r.baseline.p95),
    ratio: Math.round(r.ratio * 100) / 100,
    target: verdict(r),
    note: r.note ?? ""
  })))
  console.log("one REST `run` (Wait.forLog) to ready, by its spans (medians, ms from the call's start):")
  console.table(trace.map((p) => ({ span: p.name, "starts at": round(p.at), takes: round(p.took) })))
  mkdirSync("bench-results", { recursive: true })
  writeFileSync(
    "bench-results/latest.json",
    JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, rows, trace }, null, 2)
  )
  console.log("written: bench-results/latest.json")
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
