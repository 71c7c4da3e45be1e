// Scratch: the marker's warning, a working container told apart by its marker, a scratch folder
// buildah left unwritable, step pids read from bundles. Files only, no podman.
import { spawn } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { Scratch } from "../src/index.js"

const folders: Array<string> = []
const folder = () => {
  const path = mkdtempSync(join(tmpdir(), "ep-scratch-test-"))
  folders.push(path)
  return path
}
afterEach(() => folders.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

describe("Scratch", () => {
  it("the marker leaves buildah's warning; the caller's own unconsumed arguments stay", () => {
    const warning = (names: string) => `[Warning] one or more build args were not consumed: [${names}]`
    expect(Scratch.withoutMarker(warning(Scratch.BUILD_MARKER))).toBeUndefined()
    expect(Scratch.withoutMarker(warning(`A ${Scratch.BUILD_MARKER} Z`))).toBe(warning("A Z"))
    expect(Scratch.withoutMarker("STEP 2/2: RUN make")).toBe("STEP 2/2: RUN make")
    expect(Scratch.markerArgs("b1")).toEqual(["--build-arg", `${Scratch.BUILD_MARKER}=b1`])
  })

  it("only the working containers whose buildah state holds this build's marker", async () => {
    const root = folder()
    const state = (id: string, args: unknown) => {
      mkdirSync(join(root, "overlay-containers", id, "userdata"), { recursive: true })
      writeFileSync(join(root, "overlay-containers", id, "userdata", "buildah.json"), JSON.stringify({ Args: args }))
    }
    const ours = "a".repeat(64), concurrent = "b".repeat(64), unmarked = "c".repeat(64), broken = "d".repeat(64)
    state(ours, { [Scratch.BUILD_MARKER]: "b1", USER_ARG: "x" })
    state(concurrent, { [Scratch.BUILD_MARKER]: "b2" })
    state(unmarked, {})
    mkdirSync(join(root, "overlay-containers", broken, "userdata"), { recursive: true })
    writeFileSync(join(root, "overlay-containers", broken, "userdata", "buildah.json"), "{not json")
    const candidates = [ours, concurrent, unmarked, broken, "e".repeat(64), "../../etc"]
    expect(await Scratch.workingContainers(`${root}\toverlay\n`, candidates, "b1")).toEqual([ours])
    expect(await Scratch.workingContainers(`${root}\t../x`, candidates, "b1")).toEqual([])
    expect(await Scratch.workingContainers("", candidates, "b1")).toEqual([])
    expect(Scratch.candidatesOf(`${ours}\tstorage\n${concurrent}\trunning\n${unmarked}\tStorage\n\n`)).toEqual([
      ours,
      unmarked
    ])
  })

  it("a folder holding one its owner may not write is removed", async () => {
    const made = await Scratch.make()
    mkdirSync(join(made, "buildah1", "mnt", "rootfs"), { recursive: true })
    chmodSync(join(made, "buildah1", "mnt"), 0o100)
    await Scratch.remove(made)
    expect(existsSync(made)).toBe(false)
    await Scratch.remove(made) // gone already: nothing to do, no failure
  })

  it("the steps ended: pids in the scratch folder's bundles, and processes named after a working container", async () => {
    const base = folder()
    const working = "f".repeat(12) + "0".repeat(52)
    const fromBundle = spawn("sleep", ["30"], { stdio: "ignore" })
    const byName = spawn("sleep", ["30"], { stdio: "ignore", env: { ...process.env, HOSTNAME: working.slice(0, 12) } })
    const other = spawn("sleep", ["30"], { stdio: "ignore", env: { ...process.env, HOSTNAME: "e".repeat(12) } })
    const ended = (child: ReturnType<typeof spawn>) =>
      new Promise((resolve) => child.once("exit", (_, signal) => resolve(signal)))
    const [first, second] = [ended(fromBundle), ended(byName)]
    mkdirSync(join(base, "buildah7"))
    writeFileSync(join(base, "buildah7", "pid"), String(fromBundle.pid))
    mkdirSync(join(base, "buildah8"))
    writeFileSync(join(base, "buildah8", "pid"), "1") // never init
    mkdirSync(join(base, "other"))
    writeFileSync(join(base, "other", "pid"), String(other.pid))
    expect(await Scratch.stepProcesses(base)).toEqual([fromBundle.pid])
    expect(await Scratch.stepsOf([working])).toEqual([byName.pid])
    expect((await Scratch.endSteps(base, [working])).sort()).toEqual([fromBundle.pid, byName.pid].sort())
    expect([await first, await second]).toEqual(["SIGKILL", "SIGKILL"])
    expect(other.exitCode === null && other.signalCode === null).toBe(true)
    other.kill("SIGKILL")
  })

  it("a service's bundle for a working container is removed from the temporary folder", async () => {
    const base = folder()
    const previous = process.env["TMPDIR"]
    process.env["TMPDIR"] = base
    try {
      const working = "a1b2c3d4e5f6" + "0".repeat(52)
      for (const [name, host] of [["buildah11", working.slice(0, 12)], ["buildah12", "ffffffffffff"]]) {
        mkdirSync(join(base, name!, "mnt"), { recursive: true })
        writeFileSync(join(base, name!, "hostname"), `${host}\n`)
      }
      await Scratch.endSteps(undefined, [working])
      expect(existsSync(join(base, "buildah11"))).toBe(false)
      expect(existsSync(join(base, "buildah12"))).toBe(true)
    } finally {
      if (previous === undefined) delete process.env["TMPDIR"]
      else process.env["TMPDIR"] = previous
    }
  })
})
