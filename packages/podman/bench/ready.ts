/**
 * Time to a ready container and back, what a test does most: the library's `run` with
 * `Wait.forLog` in a scope, closed once ready — against the raw CLI (`run -d --init`, polling
 * `podman logs`, `rm -f -t 0`), podman's floor over its socket (bare requests), and
 * testcontainers-node on the same socket; then the same at scale (1 … 20 containers at once).
 */
import { Effect, Exit, Scope } from "effect"
import type { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Wait from "../src/Wait.js"
import { bareClient } from "./floor.js"
import { IMAGE, interleave, nth, raw, timeRow } from "./measure.js"
import type { Row } from "./measure.js"
import type { Peer } from "./peer.js"
import { phases, recorder } from "./trace.js"
import type { Phase } from "./trace.js"

const COMMAND = ["sh", "-c", "echo ready; sleep 3600"]
const suffix = () => Math.random().toString(36).slice(2, 8)

/** Runs `n` containers to ready at once with the library, then closes their scope: [ready, total]. */
const libraryCycle = (runtime: ContainerRuntime.Service, prefix: string, n: number) => async () => {
  const start = performance.now()
  const scope = Effect.runSync(Scope.make())
  try {
    await Effect.runPromise(
      Effect.forEach(
        Array.from({ length: n }),
        () => runtime.run({ image: IMAGE, namePrefix: prefix, command: COMMAND }, { wait: Wait.forLog(/ready/) }),
        // their removals at the scope's close overlap too, as the creations did
        { concurrency: "unbounded", concurrentFinalizers: true, discard: true }
      ).pipe(Scope.extend(scope))
    )
  } catch (error) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    throw error
  }
  const ready = performance.now() - start
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return [ready, performance.now() - start]
}

/** The same by hand: `podman run -d --init` each, each polling its logs, then one `rm -f -t 0`. */
const rawCycle = (prefix: string, n: number) => async () => {
  const start = performance.now()
  const names = Array.from({ length: n }, () => `${prefix}-raw-${suffix()}`)
  await Promise.all(names.map(async (name) => {
    await raw(["run", "-d", "--init", "--name", name, IMAGE, ...COMMAND])
    while (!(await raw(["logs", name])).includes("ready")) { /* poll, as a hand-written test would */ }
  }))
  const ready = performance.now() - start
  await raw(["rm", "-f", "-t", "0", ...names])
  return [ready, performance.now() - start]
}

/** What the time-to-ready rows need. */
export interface Contenders {
  readonly cli: ContainerRuntime.Service
  readonly rest: ContainerRuntime.Service
  readonly socket: string
  readonly peer: Peer | undefined
  readonly prefix: string
}

/** One container at a time: the rows of the referee, and podman's floor. */
export const single = async (c: Contenders, rounds: number): Promise<{ rows: Array<Row>; trace: Array<Phase> }> => {
  const floor = bareClient(c.socket)
  const tracer = recorder()
  const traced: ContainerRuntime.Service = {
    ...c.rest,
    run: (spec, options) => tracer.traced(c.rest.run(spec, options))
  }
  const calls: Array<ReturnType<typeof tracer.take>> = []
  try {
    const s = await interleave(rounds, {
      raw: rawCycle(c.prefix, 1),
      cli: libraryCycle(c.cli, `${c.prefix}-cli`, 1),
      rest: async () => {
        tracer.take()
        const times = await libraryCycle(traced, `${c.prefix}-rest`, 1)()
        calls.push(tracer.take())
        return times
      },
      floor: () => floor.cycle({ name: `${c.prefix}-floor-${suffix()}`, image: IMAGE, command: COMMAND }),
      ...(c.peer === undefined ? {} : { peer: () => c.peer!.cycle(1) })
    } as Record<string, () => Promise<ReadonlyArray<number>>>)
    const rows = [
      timeRow("time to ready (CLI) vs the raw CLI", nth(s.cli!, 0), nth(s.raw!, 0), {
        target: { at: 1.1, direction: "at most" }
      }),
      timeRow("time to ready (REST) vs podman's floor (bare requests)", nth(s.rest!, 0), nth(s.floor!, 0), {
        note: "floor: create, start, logs polled, over the same socket, no library"
      }),
      timeRow("ready + removed (REST) vs the floor", nth(s.rest!, 1), nth(s.floor!, 1))
    ]
    if (s.peer !== undefined) {
      rows.push(
        timeRow("time to ready (REST) vs testcontainers-node 12.2", nth(s.rest!, 0), nth(s.peer, 0), {
          target: { at: 0.8, direction: "at most" }
        }),
        timeRow("ready + removed (REST) vs testcontainers-node 12.2", nth(s.rest!, 1), nth(s.peer, 1), {
          target: { at: 1, direction: "at most" }
        })
      )
    }
    return { rows, trace: phases(calls, "podman container.run") }
  } finally {
    floor.close()
  }
}

/** `n` containers to ready at once, for each `n` of `sizes`: the REST and CLI layers, raw, the peer. */
export const scale = async (c: Contenders, sizes: ReadonlyArray<number>, rounds: number): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  for (const n of sizes) {
    let peakRss = 0
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10)
    const baseRss = process.memoryUsage().rss
    const s = await interleave(rounds, {
      raw: rawCycle(c.prefix, n),
      rest: libraryCycle(c.rest, `${c.prefix}-scale`, n),
      cli: libraryCycle(c.cli, `${c.prefix}-scale`, n),
      ...(c.peer === undefined ? {} : { peer: () => c.peer!.cycle(n) })
    } as Record<string, () => Promise<ReadonlyArray<number>>>)
    clearInterval(sampler)
    const perContainer = `this process's RSS +${
      ((Math.max(peakRss, baseRss) - baseRss) / 2 ** 20 / n).toFixed(1)
    } MB per container at peak`
    const last = n === sizes[sizes.length - 1]
    rows.push(
      timeRow(`${n} at once to ready + removed (REST) vs raw \`podman run -d\``, nth(s.rest!, 1), nth(s.raw!, 1), {
        ...(last ? { target: { at: 1.2, direction: "at most" } } : {}),
        note: perContainer
      }),
      timeRow(`${n} at once to ready + removed (CLI) vs raw`, nth(s.cli!, 1), nth(s.raw!, 1))
    )
    if (s.peer !== undefined) {
      rows.push(
        timeRow(
          `${n} at once to ready + removed (REST) vs testcontainers (Promise.all)`,
          nth(s.rest!, 1),
          nth(s.peer, 1),
          {
            target: { at: 1, direction: "at most" }
          }
        )
      )
    }
  }
  return rows
}
