// The Effect-free logic both editions share, on its own: argv, SpecGenerator bodies, podman's words,
// limits, sizes, GPU selectors, the log-file reader, and the models' shell.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Argv, Events, Failures, Gpu, HumanSize, Limits, LogFile, Shell, SpecGenerator } from "../src/index.js"

const resolved = { name: "web-1", ports: [], init: false, labels: { session: "s" } }
const same = (secret: string) => secret

describe("Argv", () => {
  it("puts secret keys in the argv and their values only in the environment", () => {
    const { args, env } = Argv.createArgs(
      { image: "img", env: { A: "1" }, secretEnv: { TOKEN: "t0p" } },
      resolved,
      same
    )
    expect(args).toEqual(["create", "--name", "web-1", "--env", "A=1", "--env", "TOKEN", "--label", "session=s", "img"])
    expect(env).toEqual({ TOKEN: "t0p" })
    expect(args.join(" ")).not.toContain("t0p")
  })

  it("quotes a mount field that holds a comma; a read-only mount says ro=true", () => {
    expect(Argv.mountOption({ type: "volume", source: "v", target: "/a,b", readOnly: true })).toBe(
      "type=volume,source=v,\"target=/a,b\",ro=true"
    )
    expect(Argv.mountOption({ type: "tmpfs", target: "/t", mode: 0o1777 })).toBe("type=tmpfs,target=/t,tmpfs-mode=1777")
  })

  it("quotes health check words for /bin/sh", () => {
    expect(Argv.healthCommand(["sh", "-c", "echo it's"])).toBe("sh -c 'echo it'\\''s'")
  })
})

describe("SpecGenerator", () => {
  it("is none for what only the CLI can say", () => {
    for (
      const spec of [{ extraArgs: ["--privileged"] }, { gpu: true }, { pull: "always" as const }, {
        network: "slirp4netns"
      }, { network: "container:db" }]
    ) {
      expect(SpecGenerator.specGenerator({ image: "img", ...spec }, resolved, same)).toBeUndefined()
    }
  })

  it("says modes as namespaces, networks with their aliases, limits as podman's CLI does", () => {
    const body = SpecGenerator.specGenerator(
      {
        image: "img",
        network: "net",
        networkAliases: ["db"],
        memory: "64m",
        pidsLimit: -1,
        readOnly: true,
        mounts: [{ type: "tmpfs", target: "/tmp" }],
        secretEnv: { T: "s" }
      },
      resolved,
      same
    )!
    expect(body.netns).toEqual({ nsmode: "bridge" })
    expect(body.Networks).toEqual({ net: { aliases: ["db"] } })
    expect(body.resource_limits).toEqual({ memory: { limit: 67108864, swap: 134217728 }, pids: { limit: 0 } })
    expect((body.mounts as Array<{ destination: string }>).map((m) => m.destination)).toEqual([
      "/tmp",
      "/var/tmp",
      "/run"
    ])
    expect(body.env).toEqual({ T: "s" })
    expect(SpecGenerator.specGenerator({ image: "img", network: "host" }, resolved, same)!.netns).toEqual({
      nsmode: "host"
    })
  })
})

describe("Failures", () => {
  it("reads podman's words and names operations", () => {
    expect(Failures.reasonOf("Error: creating container storage: the container name \"a\" is already in use by 1"))
      .toBe("NameInUse")
    expect(Failures.reasonOf("Error: localhost/x: image not known")).toBe("NoSuchImage")
    expect(Failures.reasonOf("something else")).toBe("Other")
    expect(Failures.pullFailureOf("pinging container registry 127.0.0.1:9: connection refused")).toBe("Unreachable")
    expect(Failures.cliOperation(["run", "--detach", "img"])).toBe("container.run")
    expect(Failures.apiOperation("POST", "/containers/create")).toBe("container.create")
    expect(Failures.apiOperation("DELETE", "/containers/web")).toBe("container.remove")
    expect(Failures.quote(["a b", "c"])).toBe("\"a b\" c")
  })

  it("names the operation of any call, however it was reached: every Timeout names it", () => {
    expect(Failures.operationOf(["podman", "exec", "web", "sleep", "30"])).toBe("container.exec")
    expect(Failures.operationOf(["/usr/bin/podman", "--url", "unix:///s.sock", "--root", "/r", "wait", "web"]))
      .toBe("container.wait")
    expect(Failures.operationOf(["podman", "--url=unix:///s.sock", "logs", "web"])).toBe("container.logs")
    expect(Failures.operationOf(["POST", "/containers/web/exec", "sleep", "30"])).toBe("container.exec")
    expect(Failures.operationOf(["GET", "/v4.0.0/libpod/containers/web/json"])).toBe("container.inspect")
    // a copy names its direction: out when podman writes the archive to stdout, in otherwise
    expect(Failures.operationOf(["podman", "cp", "web:/etc/hostname", "-"])).toBe("container.copyOut")
    expect(Failures.operationOf(["podman", "cp", "-", "web:/"])).toBe("container.copyIn")
    expect(Failures.apiOperation("GET", "/containers/web/archive")).toBe("container.copyOut")
    expect(Failures.apiOperation("PUT", "/containers/web/archive")).toBe("container.copyIn")
  })

  it("classifies a transport failure by the system code down its causes, one rule for both editions", () => {
    // how undici and the platforms' HTTP clients nest it: the request error, the fetch error, the socket's
    const nested = (code: string, depth: number): unknown =>
      Array.from({ length: depth }).reduce<unknown>((cause, _, i) => ({ message: `level ${i}`, cause }), { code })
    expect(Failures.transportCode(nested("ECONNREFUSED", 0))).toBe("ECONNREFUSED")
    expect(Failures.transportCode(nested("UND_ERR_SOCKET", 3))).toBe("UND_ERR_SOCKET")
    expect(Failures.transportCode(nested("ECONNRESET", 4))).toBe("ECONNRESET")
    expect(Failures.transportCode(nested("ECONNRESET", 5))).toBeUndefined() // deeper than five levels
    expect(Failures.transportCode({ code: "not a system code", cause: { code: "ENOENT" } })).toBe("ENOENT")
    expect(Failures.transportCode(null)).toBeUndefined()
    expect(["ECONNREFUSED", "ENOENT", "ECONNRESET", "UND_ERR_SOCKET", undefined].map(Failures.transportReason))
      .toEqual(["NoService", "NoService", "ConnectionLost", "ConnectionLost", "ConnectionLost"])
  })
})

describe("Limits, HumanSize, Gpu", () => {
  it("finds what the kernel would refuse, naming no secret value", () => {
    const problem = Limits.spawnProblem(["podman", "run", "-e", `API_KEY=${"k".repeat(200_000)}`], {}, {})
    expect(problem?.argument).toBe("argument 3")
    expect(problem?.value).not.toContain("kkkk")
    expect(Limits.spawnProblem(["podman"], { SECRET: "s".repeat(200_000) }, {})?.value).toBe("SECRET")
    expect(Limits.spawnProblem(["podman", "ps"], {}, {})).toBeUndefined()
  })

  it("refuses a NUL byte the kernel would cut at: an environment pair or variable named, its value never shown", () => {
    for (
      const argv of [["podman", "exec", "-e", "SETTING=s3cr3t\0x", "c", "true"], [
        "podman",
        "exec",
        "--env=SETTING=s3cr3t\0x",
        "c",
        "true"
      ]]
    ) {
      const problem = Limits.spawnProblem(argv, {}, {})
      expect(problem).toMatchObject({ argument: "environment variable", value: "SETTING" })
      expect(JSON.stringify(problem)).not.toContain("s3cr3t")
    }
    expect(Limits.spawnProblem(["podman"], { TOKEN: "s3cr3t\0x" }, {})).toMatchObject({
      argument: "environment variable",
      value: "TOKEN"
    })
    expect(Limits.spawnProblem(["podman", "exec", "c", "echo", "a\0b"], {}, {})).toMatchObject({
      argument: "argument 4",
      value: "a\\0b"
    })
    expect(Limits.envProblem({ SETTING: "s3cr3t\0x" })).toMatchObject({ value: "SETTING" })
    expect(JSON.stringify(Limits.envProblem({ SETTING: "s3cr3t\0x" }))).not.toContain("s3cr3t")
    expect(Limits.envProblem({ "A=B": "x" })?.reason).toMatch(/cannot hold '='/)
    expect(Limits.envProblem({ OK: "fine" })).toBeUndefined()
    expect(Limits.countProblem("log tail", 1.5)?.reason).toBe("must be a whole number ≥ 0")
    expect(Limits.dateProblem("log since", new Date(Number.NaN))?.reason).toBe("must be a valid Date")
    expect(Limits.dateProblem("log since", new Date())).toBeUndefined()
    // signals as podman reads them
    expect(["SIGTERM", "term", "KILL", "SIGPIPE", "RTMIN", "RTMIN+3", "SIGRTMAX-2", "1", "64"].map(Limits.signalNumber))
      .toEqual([15, 15, 9, 13, 34, 37, 62, 1, 64])
    for (const bad of ["NOPE", "0", "65", "99", "100", "RTMIN+31", "--all", "-9", "TERM\0"]) {
      expect(Limits.signalProblem(bad)?.argument).toBe("signal")
    }
  })

  it("parses sizes and GPU selectors", () => {
    expect(HumanSize.parseHumanSize("12.5MB (virtual 1.23GB)")).toBe(12_500_000)
    expect(HumanSize.parseHumanSize("lots")).toBeUndefined()
    expect(Gpu.gpuArgs("nvidia:0,amd:1")).toEqual({
      args: [
        "--device",
        "nvidia.com/gpu=0",
        "-e",
        "NVIDIA_VISIBLE_DEVICES=0",
        "-e",
        "NVIDIA_DRIVER_CAPABILITIES=all",
        "--device",
        "amd.com/gpu=1",
        "--group-add",
        "keep-groups"
      ]
    })
    expect(Gpu.gpuArgs("tpu")).toEqual({ invalid: "tpu" })
  })
})

describe("LogFile", () => {
  it("Last keeps the last lines in order, however many came; none for a tail of 0", () => {
    const last = new LogFile.Last<number>(3)
    for (let i = 1; i <= 10; i++) last.push(i)
    expect(last.values()).toEqual([8, 9, 10])
    expect(new LogFile.Last<number>(3).push(1).values()).toEqual([1])
    expect(new LogFile.Last<number>(0).push(1).push(2).values()).toEqual([])
  })

  const dir = mkdtempSync(join(tmpdir(), "shared-logfile-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("reads records into lines, partial records joined, in batches of any read size", async () => {
    const path = join(dir, "ctr.log")
    writeFileSync(path, "T stdout P a\nT stderr F e\nT stdout F b\nT stdout P end\n")
    for (const chunkSize of [3, 1 << 18]) {
      const reader = await LogFile.open(path, { chunkSize })
      const lines: Array<string> = []
      for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) {
        lines.push(...batch.map((e) => `${e.stream}:${e.line}`))
      }
      await reader.close()
      expect(lines).toEqual(["stderr:e", "stdout:ab", "stdout:end"])
    }
    expect(await LogFile.readable(path)).toBe(true)
    expect(await LogFile.readable(join(dir, "absent"))).toBe(false)
    expect(LogFile.processExists(process.pid)).toBe(true)
  })
})

describe("Shell", () => {
  const io = (files: Record<string, string> = {}): Shell.Io => ({
    files: new Map(Object.entries(files)),
    env: new Map([["GREETING", "hi there"], ["HOME", "/root"]]),
    workdir: "/",
    user: "",
    executables: new Set(["sh", "/bin/sh", "echo", "cat", "sleep", "true"]),
    stdin: "",
    writable: (path) => !path.startsWith("/ro/"),
    http: () => ({ _tag: "Refused" })
  })
  /** Runs a program to its end, as an edition drives it: its instructions and exit code. */
  const collect = (program: Shell.Program) => {
    const instructions: Array<Shell.Instruction> = []
    let step = program.next()
    while (step.done !== true) {
      instructions.push(step.value)
      if (step.value._tag === "Cannot" || step.value._tag === "Forever") return { instructions, code: undefined }
      step = program.next()
    }
    return { instructions, code: step.value }
  }

  it("runs sh -c scripts: variables split when unquoted, &&, ||, $?, redirections, exit", () => {
    const files = io()
    const { code, instructions } = collect(Shell.run(
      [
        "sh",
        "-c",
        "echo $GREETING \"$GREETING\"; false || echo recovered $?; echo oops >&2; echo saved > /tmp/f; cat /tmp/f 2>&1; sleep 1.5 && exit 3"
      ],
      files
    ))
    expect(code).toBe(3)
    expect(instructions).toEqual([
      { _tag: "Write", stream: "stdout", text: "hi there hi there\n" },
      { _tag: "Write", stream: "stdout", text: "recovered 1\n" },
      { _tag: "Write", stream: "stderr", text: "oops\n" },
      { _tag: "Write", stream: "stdout", text: "saved\n" },
      { _tag: "Sleep", millis: 1500 }
    ])
    expect(files.files.get("/tmp/f")).toBe("saved\n")
  })

  it("answers as busybox for a missing program or a read-only file; names what it cannot run", () => {
    expect(collect(Shell.run(["sh", "-c", "wget -q -O - http://x/"], io()))).toEqual({
      code: 127,
      instructions: [{ _tag: "Write", stream: "stderr", text: "sh: wget: not found\n" }]
    })
    expect(collect(Shell.run(["sh", "-c", "echo x > /ro/file"], io())).instructions).toEqual([
      { _tag: "Write", stream: "stderr", text: "sh: can't create /ro/file: Read-only file system\n" }
    ])
    expect(collect(Shell.run(["sh", "-c", "echo a | cat"], io())).instructions).toEqual([
      { _tag: "Cannot", what: "a script with a pipe (\"echo a | cat\")" }
    ])
    expect(collect(Shell.run(["sleep", "infinity"], io())).instructions).toEqual([{ _tag: "Forever" }])
    expect(Shell.isMissing("/bin/ls", io())).toBe(true)
    expect(Shell.notFound("ls")).toMatch(/executable file not found in \$PATH/)
  })
})

describe("Events", () => {
  it("decodes the CLI's and the API's lines; skips other statuses and what is not an event", () => {
    expect(
      Events.decodeEvent(
        `{"ID":"ab","Name":"web","Status":"died","Time":"2026-11-29T10:00:00Z","Image":"img","ContainerExitCode":3}`
      )
    ).toEqual({
      name: "web",
      id: "ab",
      status: "died",
      time: new Date("2026-11-29T10:00:00Z"),
      image: "img",
      exitCode: 3
    })
    expect(
      Events.decodeEvent(
        `{"status":"start","id":"ab","from":"img","Actor":{"ID":"ab","Attributes":{"name":"web","containerExitCode":"0"}},"timeNano":1.7e18}`
      )
    )
      .toMatchObject({ name: "web", status: "start", image: "img", exitCode: undefined })
    expect(Events.decodeEvent(`{"Name":"web","Status":"cleanup"}`)).toBeUndefined()
    expect(Events.decodeEvent("not json")).toBeUndefined()
  })

  it("a resumed round drops what was delivered in the overlap; two alike in one round are both delivered", () => {
    const rounds = Events.resumption(new Date(1_000_000))
    const at = (status: Events.ContainerEventStatus, time: number) => ({ id: "c", status, time: new Date(time) })
    expect(
      [at("init", 1_000_100), at("start", 1_000_100), at("died", 1_000_100), at("init", 1_000_100)].map(rounds.accept)
    ).toEqual([true, true, true, true])
    expect(rounds.since()).toEqual(new Date(1_000_000))
    // the next round reads them again, and one more
    expect(
      [
        at("init", 1_000_100),
        at("start", 1_000_100),
        at("died", 1_000_100),
        at("init", 1_000_100),
        at("start", 1_000_100)
      ].map(rounds.accept)
    )
      .toEqual([false, false, false, false, true])
  })
})
