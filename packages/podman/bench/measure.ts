/**
 * What every bench row uses: raw podman spawned as a hand-written test would, medians and p95s,
 * interleaved rounds, and a row's target (met or missed, said in the table).
 */
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"

/** The test image every row runs. */
export const IMAGE = "localhost/effect-podman-test:latest"

/** Runs podman as a test author would by hand: `spawn`, output to /dev/null or collected. */
export const raw = (args: ReadonlyArray<string>, stdout: "null" | "pipe" = "pipe") =>
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

/** A median and a p95. */
export interface Summary {
  readonly median: number
  readonly p95: number
}

/** A goal a row is measured against: `ratio ≤ at` (times) or `ratio ≥ at` (throughput). */
export interface Target {
  readonly at: number
  readonly direction: "at most" | "at least"
}

/** One line of the table. */
export interface Row {
  readonly name: string
  readonly unit: string
  readonly library: Summary
  readonly baseline: Summary
  readonly ratio: number
  readonly target?: Target | undefined
  readonly note?: string | undefined
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

/** The median and p95 of some samples. */
export const summary = (samples: ReadonlyArray<number>): Summary => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }
}

/** Whether a row met its target ("—" without one). */
export const verdict = (row: Row): string =>
  row.target === undefined
    ? "—"
    : `${row.target.direction === "at most" ? "≤" : "≥"} ${row.target.at} — ${
      (row.target.direction === "at most" ? row.ratio <= row.target.at : row.ratio >= row.target.at) ? "met" : "MISSED"
    }`

/** A time row from two sample sets: ratio library / baseline. */
export const timeRow = (
  name: string,
  library: ReadonlyArray<number>,
  baseline: ReadonlyArray<number>,
  extra?: { readonly target?: Target; readonly note?: string }
): Row => {
  const l = summary(library)
  const b = summary(baseline)
  return { name, unit: "ms", library: l, baseline: b, ratio: l.median / b.median, ...extra }
}

/**
 * Runs each contender once per round, in an order that turns each round (so neither always runs
 * on a machine the other just warmed or loaded); each returns the milestones it timed, in ms.
 */
export const interleave = async <K extends string>(
  rounds: number,
  contenders: Record<K, () => Promise<ReadonlyArray<number>>>
): Promise<Record<K, Array<ReadonlyArray<number>>>> => {
  const keys = Object.keys(contenders) as Array<K>
  const samples = Object.fromEntries(keys.map((k) => [k, []])) as unknown as Record<K, Array<ReadonlyArray<number>>>
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? keys : [...keys].reverse()
    for (const key of order) samples[key].push(await contenders[key]())
  }
  return samples
}

/** Times a promise-returning call: its one milestone, the end. */
export const timed = (fn: () => Promise<unknown>) => async (): Promise<ReadonlyArray<number>> => {
  const start = performance.now()
  await fn()
  return [performance.now() - start]
}

/** The n-th milestone of every sample. */
export const nth = (samples: ReadonlyArray<ReadonlyArray<number>>, n: number) => samples.map((s) => s[n]!)

/** Times `library` and `baseline` alternately, `rounds` times each: one row. */
export const compare = async (
  name: string,
  rounds: number,
  library: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  extra?: { readonly target?: Target; readonly note?: string }
): Promise<Row> => {
  const s = await interleave(rounds, { library: timed(library), baseline: timed(baseline) })
  return timeRow(name, nth(s.library, 0), nth(s.baseline, 0), extra)
}
