/**
 * What podman left on this host, for both editions' leftover tests: files in podman's temporary
 * folder holding a string, buildah's working containers, processes whose argv holds a string,
 * and the two build contexts of the interrupted-build test (one killed in a `RUN` step, one that
 * runs beside it and must finish).
 */
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { readdir, readFile, stat } from "node:fs/promises"
import { createServer } from "node:net"
import type { Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { TEST_IMAGE } from "./testImage.js"

/** Files in podman's temporary folder (`TMPDIR`, else `/var/tmp`), two levels deep, that hold `needle`. */
export const filesHolding = async (needle: string): Promise<Array<string>> => {
  const found: Array<string> = []
  const look = async (folder: string, depth: number): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name)
      if (entry.isDirectory() && depth > 0) await look(path, depth - 1)
      else if (entry.isFile() && ((await stat(path).catch(() => undefined))?.size ?? Infinity) < 1_000_000) {
        if ((await readFile(path).catch(() => Buffer.alloc(0))).includes(needle)) found.push(path)
      }
    }
  }
  await look(process.env["TMPDIR"] || "/var/tmp", 2)
  return found
}

/** buildah's working containers (`podman ps --external`, state `storage`) that exist now. */
export const workingContainers = async (): Promise<Array<string>> => {
  const { stdout } = await promisify(execFile)("podman", [
    "ps",
    "--all",
    "--external",
    "--no-trunc",
    "--format",
    "{{.ID}} {{.State}}"
  ], {
    timeout: 30_000
  })
  // rootless podman 4.3 prints the state capitalised
  return stdout.split("\n").filter((line) => / storage$/i.test(line)).map((line) => line.split(" ")[0]!)
}

/** Processes (any owner) whose argv holds `needle`. */
export const processesHolding = async (needle: string): Promise<Array<number>> => {
  const pids: Array<number> = []
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const argv = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")
    if (argv.includes(needle)) pids.push(Number(entry))
  }
  return pids
}

/** Polls `check` every 50 ms until it holds, for at most `millis`; whether it held. */
export const eventually = async (check: () => Promise<boolean>, millis = 20_000): Promise<boolean> => {
  const end = Date.now() + millis
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

/**
 * Two build contexts in a new folder under the system's temporary folder: `killed` runs a `RUN`
 * step that sleeps ten minutes (its argv holds `step`), `other` one that sleeps four seconds.
 */
export const buildContexts = () => {
  const step = `step-${crypto.randomUUID()}`
  const root = mkdtempSync(join(tmpdir(), "ep-leftovers-"))
  const killed = mkdtempSync(join(root, "killed-"))
  writeFileSync(join(killed, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN sleep 600; echo ${step}\n`)
  const other = mkdtempSync(join(root, "other-"))
  writeFileSync(join(other, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN sleep 4; echo done > /built\n`)
  return { root, killed, other, step }
}

/** A TCP server on loopback that accepts connections and never answers (a registry gone silent). */
export const silentServer = (): Promise<{ readonly port: number; readonly close: () => void }> =>
  new Promise((resolve) => {
    const sockets: Array<Socket> = []
    const server = createServer((socket) => void sockets.push(socket))
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          sockets.forEach((socket) => socket.destroy())
          server.close()
        }
      }))
  })

/**
 * Runs `f` with `TMPDIR` set to a new folder, which podman and this library then use for their
 * temporary files; answers what is left in it once `f` is done (it should be nothing).
 */
export const inOwnTmpdir = async <A>(
  f: () => Promise<A>
): Promise<{ readonly result: A; readonly left: Array<string> }> => {
  const folder = mkdtempSync(join(tmpdir(), "ep-tmpdir-"))
  const previous = process.env["TMPDIR"]
  process.env["TMPDIR"] = folder
  try {
    const result = await f()
    return { result, left: await readdir(folder) }
  } finally {
    if (previous === undefined) delete process.env["TMPDIR"]
    else process.env["TMPDIR"] = previous
    rmSync(folder, { recursive: true, force: true })
  }
}
