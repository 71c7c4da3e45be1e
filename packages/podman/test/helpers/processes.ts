/** Reading this machine's processes from /proc, to prove that no child outlives its scope. */
import { Effect, Schedule } from "effect"
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface ProcessInfo {
  readonly pid: number
  readonly argv: ReadonlyArray<string>
}

/** Every live process whose argv includes `needle` (zombies have an empty cmdline and are skipped). */
export const processesMatching = (needle: string): Array<ProcessInfo> => allProcesses(needle)

/**
 * podman client processes (`podman VERB …`) that are children of this (test) process and whose
 * argv includes `needle` — not conmon, not the container's own, not another test worker's.
 */
export const podmanChildren = (verb: string, needle: string): Array<ProcessInfo> =>
  allProcesses(needle).filter(({ argv, pid }) =>
    /(^|\/)podman$/.test(argv[0] ?? "") && argv.includes(verb) && parentOf(pid) === process.pid
  )

const parentOf = (pid: number): number | undefined => {
  try {
    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")"
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
  } catch {
    return undefined
  }
}

const allProcesses = (needle: string): Array<ProcessInfo> =>
  readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return []
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter((arg) => arg !== "")
      return argv.some((arg) => arg.includes(needle)) ? [{ pid: Number(entry), argv }] : []
    } catch {
      return [] // the process ended while we looked
    }
  })

/** Waits (polling /proc, bounded) until `find` sees a process. */
export const awaitProcess = (find: () => Array<ProcessInfo>) =>
  Effect.suspend(() => {
    const found = find()
    return found.length > 0 ? Effect.succeed(found) : Effect.fail("not yet" as const)
  }).pipe(Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("20 seconds"))))

/** Waits (bounded) until `find` sees no process; returns what is left. */
export const awaitNoProcess = (find: () => Array<ProcessInfo>) =>
  Effect.suspend(() => {
    const left = find()
    return left.length === 0 ? Effect.succeed(left) : Effect.fail(left)
  }).pipe(
    Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))),
    Effect.merge
  )

/** A stub "podman" shell script in a temporary folder, removed when the scope closes. */
export const stubBinary = (body: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "effect-podman-stub-"))
      const path = join(dir, "podman")
      writeFileSync(path, `#!/bin/sh\n${body}\n`)
      chmodSync(path, 0o755)
      return { dir, path }
    }),
    ({ dir }) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ).pipe(Effect.map(({ path }) => path))
