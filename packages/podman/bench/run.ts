/**
 * `pnpm bench`: the library against raw podman, in the same run, interleaved, on real podman.
 * Prints median and p95 per operation and the ratio library / baseline; writes the figures to
 * bench-results/latest.json. `--quick` (CI) runs small counts so the suite keeps working.
 */
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Scope, Stream } from "effect"
import { spawn } from "node:child_process"
import { mkdirSync, openSync, closeSync, writeFileSync } from "node:fs"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Podman from "../src/Podman.js"
import * as PodmanApi from "../src/PodmanApi.js"
import * as Wait from "../src/Wait.js"
import { startPeer } from "./peer.js"

const quick = process.argv.includes("--quick")
const IMAGE = "localhost/effect-podman-test:latest"

/** Runs podman as a test author would by hand: `spawn`, output to /dev/null or collected. */
const raw = (args: ReadonlyArray<string>, stdout: "null" | "pipe" = "pipe") =>
  new Promise<string>((resolve, reject) => {
    const devNull = stdout === "null" ? openSync("/dev/null", "w") : undefined
    const child = spawn("podman", args, { stdio: ["ignore", devNull ?? "pipe", "ignore"] })
    let out = ""
    child.stdout?.on("data", (chunk) => (out += chunk))
    child.on("error", reject)
    child.on("exit", (code) => {
      if (devNull !== undefined) closeSync(devNull)
      if (code === 0) resolve(out)
      else reject(new Error(`podman ${args.join(" ")} exited ${code}`))
    })
  })

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

interface Row {
  readonly name: string
  readonly unit: string
  readonly library: { readonly median: number; readonly p95: number }
  readonly baseline: { readonly median: number; readonly p95: number }
  readonly ratio: number
  readonly note?: string
}

const summary = (samples: Array<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }
}

/** Times `library` and `baseline` alternately, `rounds` times each. */
const compare = async (
  name: string,
  rounds: number,
  library: () => Promise<unknown>,
  baseline: () => Promise<unknown>
): Promise<Row> => {
  const lib: Array<number> = []
  const base: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    for (const [fn, into] of (i % 2 === 0 ? [[library, lib], [baseline, base]] : [[baseline, base], [library, lib]]) as Array<
      [() => Promise<unknown>, Array<number>]
    >) {
      const start = performance.now()
      await fn()
      into.push(performance.now() - start)
    }
  }
  const l = summary(lib)
  const b = summary(base)
  return { name, unit: "ms", library: l, baseline: b, ratio: l.median / b.median }
}

const main = async () => {
  const layer = Podman.layer().pipe(Layer.provide(NodeContext.layer))
  const runtime = await Effect.runPromise(Effect.provide(ContainerRuntime, layer))
  // the REST layer, with a podman service of its own, alive for the whole run
  const apiScope = Effect.runSync(Scope.make())
  const rest = Context.get(
    await Effect.runPromise(Layer.buildWithScope(PodmanApi.layerService().pipe(Layer.provide(NodeContext.layer)), apiScope)),
    ContainerRuntime
  )
  const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
  const prefix = `bench-${Date.now().toString(36)}`
  const probe = `${prefix}-probe`
  const logger = `${prefix}-logs`
  const longLine = `${prefix}-longline`
  const lines = quick ? 20_000 : 1_000_000
  const rows: Array<Row> = []
  try {
    await raw(["run", "-d", "--init", "--name", probe, IMAGE])
    await raw(["run", "--name", logger, IMAGE, "seq", "1", String(lines)])

    const probeRounds = quick ? 5 : 100
    rows.push(await compare(
      `state probe × ${probeRounds}`,
      probeRounds,
      () => run(runtime.container(probe).state),
      () => raw(["inspect", "-f", "{{.State.Status}}", probe])
    ))

    rows.push(await compare(
      `REST state probe × ${probeRounds} vs CLI probe`,
      probeRounds,
      () => run(rest.container(probe).state),
      () => raw(["inspect", "-f", "{{.State.Status}}", probe])
    ))

    const execRounds = quick ? 5 : 50
    rows.push(await compare(
      `exec true × ${execRounds}`,
      execRounds,
      () => run(runtime.exec(probe, ["true"])),
      () => raw(["exec", probe, "true"])
    ))

    // time to ready: a scoped container run with a log wait, then its scope closed — what a test
    // does most — against the raw CLI floor (run -d, poll its logs, rm -f -t 0)
    const readyRounds = quick ? 3 : 20
    const readySpec = { image: IMAGE, namePrefix: `${prefix}-ready`, command: ["sh", "-c", "echo ready; sleep 3600"] }
    const rawReady = async () => {
      const name = `${prefix}-rawready-${Math.random().toString(36).slice(2, 8)}`
      await raw(["run", "-d", "--init", "--name", name, IMAGE, ...readySpec.command])
      while (!(await raw(["logs", name])).includes("ready")) { /* poll, as a hand-written test would */ }
      await raw(["rm", "-f", "-t", "0", name])
    }
    for (const [label, source] of [["CLI", runtime], ["REST", rest]] as const) {
      rows.push(await compare(
        `time to ready (${label}): run + Wait.forLog, scope closed`,
        readyRounds,
        () => run(Effect.scoped(source.run(readySpec, { wait: Wait.forLog(/ready/) }))),
        rawReady
      ))
    }

    // the peer: testcontainers-node on podman's Docker-compatible socket, where installed
    const peer = await startPeer(IMAGE, readySpec.command)
    if (peer === undefined) {
      console.log("time to ready vs testcontainers-node: left out (scripts/bench-peer.sh installs the peer)")
    } else {
      try {
        await peer.cycle() // its first cycle warms it up (the library's layers are warm already)
        rows.push(await compare(
          "time to ready: REST layer vs testcontainers-node 12.2 (peer, same podman)",
          readyRounds,
          () => run(Effect.scoped(rest.run(readySpec, { wait: Wait.forLog(/ready/) }))),
          () => peer.cycle()
        ))
      } finally {
        await peer.close()
      }
    }

    // containerStates: one podman call for 50 containers, against the 50 inspects it replaces
    const fleet = quick ? 5 : 50
    const fleetPrefix = `${prefix}-fleet`
    const fleetNames = Array.from({ length: fleet }, (_, i) => `${fleetPrefix}-${i}`)
    for (const name of fleetNames) await raw(["create", "--name", name, IMAGE])
    rows.push(await compare(
      `containerStates of ${fleet}`,
      quick ? 2 : 5,
      () => run(runtime.containerStates(fleetPrefix)),
      () => Promise.all(fleetNames.map((name) => raw(["inspect", "-f", "{{.State.Status}}", name])))
    ))
    await run(runtime.forceRemove(fleetNames))

    // forceRemove of 20 running containers: the library (one batched call, with a result per
    // container) against one `podman rm -f` per container (the reference's way) and against one
    // batched `podman rm -f` (the floor). Each round starts 20 fresh containers, untimed.
    const batch = quick ? 3 : 20
    const startBatch = async (round: string) => {
      const names = Array.from({ length: batch }, (_, i) => `${prefix}-rm-${round}-${i}`)
      await Promise.all(names.map((name) => raw(["run", "-d", "--init", "--name", name, IMAGE])))
      return names
    }
    const removal = { library: [] as Array<number>, oneByOne: [] as Array<number>, batched: [] as Array<number> }
    const removeRounds = quick ? 1 : 5
    for (let i = 0; i < removeRounds; i++) {
      for (const [kind, remove] of [
        ["library", (names: Array<string>) => run(runtime.forceRemove(names))],
        ["oneByOne", async (names: Array<string>) => { for (const name of names) await raw(["rm", "-f", name]) }],
        ["batched", (names: Array<string>) => raw(["rm", "-f", ...names])]
      ] as const) {
        const names = await startBatch(`${kind}-${i}`)
        const start = performance.now()
        await remove(names)
        removal[kind].push(performance.now() - start)
      }
    }
    const lib = summary(removal.library)
    for (const [versus, samples] of [["one by one", removal.oneByOne], ["batched rm", removal.batched]] as const) {
      const baseline = summary(samples)
      rows.push({ name: `forceRemove ${batch} running vs ${versus}`, unit: "ms", library: lib, baseline, ratio: lib.median / baseline.median })
    }

    // logs: lines per second, and how much the RSS of this process grows while the library streams
    const logRounds = quick ? 2 : 5
    const perSecond = (ms: number) => Math.round(lines / (ms / 1000))
    for (const [label, source] of [["CLI", runtime], ["REST", rest]] as const) {
      global.gc?.()
      const baseRss = process.memoryUsage().rss
      let peakRss = baseRss
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
      const row = await compare(
        `logs (${label}) of ${lines.toLocaleString("en")} lines`,
        logRounds,
        async () => {
          const count = await run(Stream.runCount(source.container(logger).logs()))
          if (count !== lines) throw new Error(`expected ${lines} lines, got ${count}`)
        },
        () => raw(["logs", logger], "null")
      )
      clearInterval(sampler)
      rows.push({
        ...row,
        unit: "lines/s",
        library: { median: perSecond(row.library.median), p95: perSecond(row.library.p95) },
        baseline: { median: perSecond(row.baseline.median), p95: perSecond(row.baseline.p95) },
        ratio: row.baseline.median / row.library.median,
        note: `throughput ratio (library/raw > /dev/null); RSS ${Math.round(baseRss / 2 ** 20)} MB before, ` +
          `+${Math.round((peakRss - baseRss) / 2 ** 20)} MB at peak while streaming`
      })
    }

    // one very long line (REST frames it in pieces): the REST layer against the CLI layer
    const lineBytes = quick ? 1_000_000 : 10_000_000
    await raw(["run", "--name", longLine, IMAGE, "sh", "-c", `head -c ${lineBytes} /dev/zero | /bin/busybox tr '\\0' a; echo`])
    const oneLine = (source: ContainerRuntime.Service) => async () => {
      const [line] = await run(Effect.map(Stream.runCollect(source.container(longLine).logs()), (chunk) => [...chunk]))
      if (line?.length !== lineBytes) throw new Error(`expected one line of ${lineBytes} bytes, got ${line?.length}`)
    }
    rows.push({
      ...await compare(`logs: one ${lineBytes / 1e6} MB line, REST vs CLI layer`, quick ? 2 : 5, oneLine(rest), oneLine(runtime)),
      note: "time ratio (REST layer / CLI layer)"
    })
  } finally {
    await run(runtime.forceRemove([probe, logger, longLine]))
    await Effect.runPromise(Scope.close(apiScope, Exit.void))
  }

  const table = rows.map((r) => ({
    operation: r.name,
    unit: r.unit,
    "library median": Math.round(r.library.median * 10) / 10,
    "library p95": Math.round(r.library.p95 * 10) / 10,
    "raw median": Math.round(r.baseline.median * 10) / 10,
    "raw p95": Math.round(r.baseline.p95 * 10) / 10,
    ratio: Math.round(r.ratio * 1000) / 1000,
    note: r.note ?? (r.unit === "ms" ? "time ratio (library/raw)" : "")
  }))
  console.table(table)
  mkdirSync("bench-results", { recursive: true })
  writeFileSync(
    "bench-results/latest.json",
    JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, rows }, null, 2)
  )
  console.log("written: bench-results/latest.json")
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
