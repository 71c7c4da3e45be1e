// What a podman client reads of its own containers.conf: the files, in podman's order, and their
// default_ulimits (a later file's replacing an earlier's), refused as podman refuses them.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as ContainersConf from "../src/ContainersConf.js"

let dir = ""
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ep-conf-"))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("ContainersConf", () => {
  it("finds the files as podman does: CONTAINERS_CONF alone, else the system's, and the user's when rootless", () => {
    expect(ContainersConf.candidates({ CONTAINERS_CONF: "/srv/p.conf", HOME: "/home/u" }, 1000)).toEqual([
      "/srv/p.conf"
    ])
    expect(ContainersConf.candidates({ HOME: "/home/u" }, 0)).toEqual([
      "/usr/share/containers/containers.conf",
      "/etc/containers/containers.conf"
    ])
    expect(ContainersConf.candidates({ HOME: "/home/u" }, 1000).at(-1)).toBe(
      "/home/u/.config/containers/containers.conf"
    )
    expect(ContainersConf.candidates({ HOME: "/home/u", XDG_CONFIG_HOME: "/cfg" }, 1000).at(-1)).toBe(
      "/cfg/containers/containers.conf"
    )
  })

  it("reads name=soft[:hard] entries, and refuses what podman refuses, naming the file", () => {
    expect(ContainersConf.parseUlimit("nofile=1024:2048")).toEqual(["nofile", { soft: 1024, hard: 2048 }])
    expect(ContainersConf.parseUlimit("nproc=4096")).toEqual(["nproc", { soft: 4096, hard: 4096 }])
    expect(ContainersConf.parseUlimit("nofile")).toBeUndefined()
    expect(ContainersConf.ulimitsOf("a.conf", "[engine]\nruntime = \"runc\"\n")).toBeUndefined()
    expect(String(ContainersConf.ulimitsOf("a.conf", "[containers\n"))).toMatch(/decoding configuration file "a.conf"/)
    expect(String(ContainersConf.ulimitsOf("a.conf", "[containers]\ndefault_ulimits = [\"nofile\"]\n"))).toMatch(
      /"a.conf": default_ulimits must be/
    )
  })

  it("CONTAINERS_CONF's default_ulimits; none when it sets none; an unreadable file is an Error", async () => {
    const file = join(dir, "containers.conf")
    await writeFile(
      file,
      "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n[engine]\nruntime = \"runc\"\n"
    )
    expect(await ContainersConf.defaultUlimits({ CONTAINERS_CONF: file }, 0)).toEqual({
      nofile: { soft: 1024, hard: 1024 },
      nproc: { soft: 4096, hard: 4096 }
    })
    await writeFile(file, "[engine]\nruntime = \"runc\"\n")
    expect(await ContainersConf.defaultUlimits({ CONTAINERS_CONF: file }, 0)).toBeUndefined()
    await writeFile(file, "default_ulimits = [")
    expect(await ContainersConf.defaultUlimits({ CONTAINERS_CONF: file }, 0)).toBeInstanceOf(Error)
  })

  it("rootless: the user's file and its drop-ins come last, each replacing what came before", async () => {
    const user = join(dir, "containers")
    await mkdir(join(user, "containers.conf.d"), { recursive: true })
    await writeFile(join(user, "containers.conf"), "[containers]\ndefault_ulimits = [\"nofile=10:20\"]\n")
    expect(await ContainersConf.defaultUlimits({ XDG_CONFIG_HOME: dir }, 1000)).toEqual({
      nofile: { soft: 10, hard: 20 }
    })
    await writeFile(join(user, "containers.conf.d", "50-more.conf"), "[containers]\ndefault_ulimits = [\"nproc=7\"]\n")
    await writeFile(join(user, "containers.conf.d", "README"), "not a .conf: not read")
    expect(await ContainersConf.defaultUlimits({ XDG_CONFIG_HOME: dir }, 1000)).toEqual({ nproc: { soft: 7, hard: 7 } })
  })
})
