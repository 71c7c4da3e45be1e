// Lifecycle and Readiness: the words and bounds of `run` and the wait strategies both editions print;
// ModelLifecycle: the models' state machine. Pure, no podman; an HTTP probe against a local server.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "vitest"
import { Lifecycle, ModelLifecycle, Ports, Readiness } from "../src/index.js"

describe("Lifecycle", () => {
  it("a duration prints as Effect's Duration.format does, the same in both editions", () => {
    expect(Lifecycle.formatMillis(60_000)).toBe("1m")
    expect(Lifecycle.formatMillis(2_000)).toBe("2s")
    expect(Lifecycle.formatMillis(1)).toBe("1ms")
    expect(Lifecycle.formatMillis(90_500)).toBe("1m 30s 500ms")
    expect(Lifecycle.formatMillis(90_061_001)).toBe("1d 1h 1m 1s 1ms")
    expect(Lifecycle.formatMillis(0.5)).toBe("500000ns")
    expect(Lifecycle.formatMillis(0)).toBe("0ms")
  })

  it("the deadline's budget: what is left for the wait, never below zero", () => {
    expect(Lifecycle.remainingMillis(60_000, 450)).toBe(59_550)
    expect(Lifecycle.remainingMillis(1_000, 1_000)).toBe(0)
    expect(Lifecycle.remainingMillis(1_000, 5_000)).toBe(0)
  })

  it("the words of a passed deadline, by where run was", () => {
    expect(Lifecycle.deadlinePassed(1, { _tag: "Starting" })).toBe(
      "the deadline of 1ms passed while creating and starting"
    )
    expect(Lifecycle.deadlinePassed(2_000, { _tag: "Waiting", strategy: Readiness.logDescription(/^tick$/, 3) }))
      .toBe("the deadline of 2s passed waiting for a log line matching /^tick$/ ×3")
    expect(Lifecycle.exitedBeforeReady(3)).toBe("the container exited with code 3 before it was ready")
  })

  it("init: the spec's choice, else whether this host has podman's init", () => {
    expect(Lifecycle.initFor(undefined, true)).toBe(true)
    expect(Lifecycle.initFor(undefined, false)).toBe(false)
    expect(Lifecycle.initFor(false, true)).toBe(false)
    expect(Lifecycle.initFor(true, false)).toBe(true)
  })
})

describe("Readiness", () => {
  it("descriptions", () => {
    expect(Readiness.logDescription(/ready/, 1)).toBe("a log line matching /ready/")
    expect(Readiness.logDescription(undefined, 2)).toBe("a log line the predicate accepts ×2")
    expect(Readiness.execDescription(["pg_isready", "-q"])).toBe("`pg_isready -q` to exit 0")
    expect(Readiness.httpDescription("/health", undefined, 200)).toBe("GET /health to answer 200")
    expect(Readiness.httpDescription("/", 8080, 204)).toBe("GET / on port 8080 to answer 204")
    expect(Readiness.portDescription(undefined)).toBe("port (first published) accepting connections")
    expect(Readiness.allDescription(["a", "b"])).toBe("a and b")
    expect(Readiness.anyDescription(["a", "b"])).toBe("a or b")
    expect(Readiness.allDescription([])).toBe("nothing")
  })

  it("failures", () => {
    expect(Readiness.timesProblem(1)).toBeUndefined()
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(Readiness.timesProblem(bad)).toBe(`times must be a whole number ≥ 1 (got ${bad})`)
    }
    expect(Readiness.logEnded(/x/, 1, 0)).toBe("its log ended without a log line matching /x/")
    expect(Readiness.logEnded(undefined, 3, 2)).toBe(
      "its log ended after 2 of 3 matches of a log line the predicate accepts"
    )
    expect(Readiness.notPublished(80)).toBe("port 80 is not published: add it to the spec's ports")
    expect(Readiness.notPublished(undefined)).toMatch(/^no port is published/)
    expect(Readiness.gaveUp("x")).toBe("x: gave up")
    expect(Readiness.exitedWith(3)).toBe("the container exited with code 3")
  })

  it("the HTTP probe: the status asked for, another status, nothing listening, a server that never answers", async () => {
    const hung: Array<() => void> = []
    const server = createServer((request, response) => {
      if (request.url === "/hang") {
        hung.push(() => response.end())
        return
      }
      response.statusCode = request.url === "/ok" ? 200 : 503
      response.end("body")
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    const at = (path: string) => Ports.url({ container: 80, host: port, hostIp: "127.0.0.1", protocol: "tcp" }, path)
    try {
      expect(await Ports.answers(at("/ok"), 200)).toBe(true)
      expect(await Ports.answers(at("/down"), 200)).toBe(false)
      expect(await Ports.answers(at("/down"), 503)).toBe(true)
      // given up at its bound (2 s): without one, this would outlast the test's 5 s
      expect(await Ports.answers(at("/hang"), 200)).toBe(false)
    } finally {
      hung.forEach((end) => end())
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    expect(await Ports.answers(at("/ok"), 200)).toBe(false)
  })
})

describe("ModelLifecycle", () => {
  const created = { id: "c0ffee", state: "created", devices: [], init: false, command: ["sleep", "1"] } as const
  const facts = { cdiDevices: [], scripted: false, missing: false }

  it("a start runs a created or exited container, publishing init then start; a running one is left as it is", () => {
    expect(ModelLifecycle.startPlan(created, facts)).toEqual({
      _tag: "Start",
      state: "running",
      events: ["init", "start"],
      main: "command"
    })
    expect(ModelLifecycle.startPlan({ ...created, state: "exited" }, { ...facts, scripted: true })).toMatchObject({
      main: "scripted"
    })
    expect(ModelLifecycle.startPlan({ ...created, state: "paused" }, facts)).toEqual({ _tag: "Running" })
  })

  it("a program the image lacks: refused without an init (start's words), catatonit's to report with one", () => {
    const refused = ModelLifecycle.startPlan(created, { ...facts, missing: true })
    expect(refused._tag === "Refused" && refused.refusal.stderr).toMatch(
      /^Error: unable to start container "c0ffee": runc: runc create failed/
    )
    expect(ModelLifecycle.startPlan({ ...created, init: true }, { ...facts, missing: true })).toMatchObject({
      main: "initMissing"
    })
    // a scripted main process is the test's: whether the image has the program does not matter
    expect(ModelLifecycle.startPlan(created, { ...facts, missing: true, scripted: true })).toMatchObject({
      main: "scripted"
    })
  })

  it("CDI devices no spec declares: refused in start's words, or in run's (exit code 126) for a run", () => {
    const gpu = { ...created, devices: ["nvidia.com/gpu=all"] }
    const start = ModelLifecycle.startPlan(gpu, facts)
    expect(start._tag === "Refused" && start.refusal.stderr).toBe(
      "Error: unable to start container \"c0ffee\": setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all"
    )
    const run = ModelLifecycle.startPlan(gpu, { ...facts, run: true })
    expect(run._tag === "Refused" && [run.refusal.stderr, run.refusal.exitCode]).toEqual([
      "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all",
      126
    ])
    expect(ModelLifecycle.startPlan(gpu, { ...facts, cdiDevices: ["nvidia.com/gpu=all"] })._tag).toBe("Start")
  })

  it("only a running or paused process ends; a removal kills with 137 and publishes remove", () => {
    expect(["created", "running", "paused", "exited"].map((s) => ModelLifecycle.canEnd(s as "created"))).toEqual([
      false,
      true,
      true,
      false
    ])
    expect(ModelLifecycle.END).toEqual({ state: "exited", events: ["died"] })
    expect(ModelLifecycle.REMOVE).toEqual({ exitCode: 137, events: ["remove"] })
  })
})
