// Where podman is (`Endpoint`) and how the host is reached (`Network`): pure code, no podman.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Endpoint, Events, Init, Network } from "../src/index.js"

describe("Endpoint", () => {
  it("global flags in podman's order, only those given", () => {
    expect(Endpoint.globalArgs({})).toEqual([])
    expect(Endpoint.globalArgs({ runroot: "/r", url: "unix:///s", root: "/o", connection: "c" }))
      .toEqual(["--url", "unix:///s", "--connection", "c", "--root", "/o", "--runroot", "/r"])
  })

  it("a socket, a unix:// url and a tcp:// url", () => {
    expect(Endpoint.serviceEndpoint({ socket: "/run/p.sock" }))
      .toEqual({
        origin: "http://podman",
        cliUrl: "unix:///run/p.sock",
        endpoint: "/run/p.sock",
        socketPath: "/run/p.sock"
      })
    expect(Endpoint.serviceEndpoint({ url: "unix:///run/p.sock" })).toEqual(
      Endpoint.serviceEndpoint({ socket: "/run/p.sock" })
    )
    expect(Endpoint.serviceEndpoint({ url: "tcp://10.0.0.5:8888" }))
      .toEqual({
        origin: "http://10.0.0.5:8888",
        cliUrl: "tcp://10.0.0.5:8888",
        endpoint: "tcp://10.0.0.5:8888",
        socketPath: undefined
      })
    expect(Endpoint.serviceEndpoint({ url: "http://[::1]:8888" }).origin).toBe("http://[::1]:8888")
  })
})

describe("Network and Init", () => {
  it("the rootless argv by mode; root needs none", () => {
    expect(Network.networkArgsFor({ root: true, mode: "pasta" })).toEqual([])
    expect(Network.networkArgsFor({ root: false, mode: "slirp4netns" }))
      .toEqual(["--network", "slirp4netns:allow_host_loopback=true", "--add-host", "host.containers.internal:10.0.2.2"])
    expect(Network.modeOf("pasta")).toBe("pasta")
    expect(Network.modeOf("slirp4netns")).toBe("slirp4netns")
    expect(Network.modeOf(undefined)).toBe("slirp4netns")
  })

  it("the first executable init binary of the paths, none when none is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "init-"))
    try {
      const plain = join(dir, "plain")
      const runnable = join(dir, "catatonit")
      writeFileSync(plain, "")
      writeFileSync(runnable, "#!/bin/sh\n")
      chmodSync(runnable, 0o755)
      expect(await Init.findInit([join(dir, "absent"), plain, runnable])).toBe(runnable)
      expect(await Init.findInit([join(dir, "absent"), plain])).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("Events.resumption", () => {
  it("an event whose line had no time is delivered once, whatever round reads it again", () => {
    const rounds = Events.resumption(new Date(0))
    const line = JSON.stringify({ Name: "web-1", ID: "abc", Status: "start" })
    const first = Events.decodeEvent(line)!
    expect(rounds.accept(first)).toBe(true)
    for (let round = 0; round < 5; round++) {
      rounds.since()
      // read again: another read time, the same event
      expect(rounds.accept(Events.decodeEvent(line)!)).toBe(false)
    }
    // its read time does not move where the next round starts
    expect(rounds.since()).toEqual(new Date(0))
    // a timed one still comes, and an untimed one of another status
    expect(
      rounds.accept(Events.decodeEvent(JSON.stringify({ Name: "web-1", ID: "abc", Status: "died", timeNano: 5e12 }))!)
    ).toBe(true)
    expect(rounds.accept(Events.decodeEvent(JSON.stringify({ Name: "web-1", ID: "abc", Status: "stop" }))!)).toBe(true)
    // an edition's own shape of the event keeps the mark
    const mine = Events.carryUntimed(Events.decodeEvent(line)!, { ...first, image: null })
    expect(rounds.accept(mine)).toBe(false)
  })

  it("rounds that give nothing new are read ever less often, up to the bound; a fresh event resets it", () => {
    const rounds = Events.resumption(new Date(0))
    const pauses = Array.from({ length: 8 }, () => rounds.pause())
    expect(pauses).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000])
    rounds.accept(Events.decodeEvent(JSON.stringify({ Name: "a-1", ID: "x", Status: "start", timeNano: 1e12 }))!)
    expect(rounds.pause()).toBe(Events.RESUME_PAUSE_MILLIS)
    expect(rounds.pause()).toBe(2 * Events.RESUME_PAUSE_MILLIS)
  })
})
