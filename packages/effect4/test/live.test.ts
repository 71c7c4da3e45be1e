// What only real podman can show, beyond the contract (contract.ts, on all three layers): the lines
// `podman logs` prints, an odd host tree copied in (links, modes, a FIFO: the model holds text files
// only), podman's own view of a secret and of a closed scope, sweep of a dead session's container,
// the TERM→KILL bound on a podman that ignores SIGTERM, `layerConfig`, and E2BIG refused before a
// spawn.
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import {
  Cause,
  Config,
  Duration,
  Effect,
  Layer,
  Logger,
  Option,
  Redacted,
  References,
  Schedule,
  Sink,
  Stream
} from "effect"
import * as Ports from "effect-podman-shared/Ports"
import { execFileSync } from "node:child_process"
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { inspect } from "node:util"
import { afterAll } from "vitest"
import { DESCRIBE_SCRIPT, describeHost, makeOddTree, md5 } from "../../shared/test/crossEdition/oddTree.js"
import { ContainerRuntime, Kube, Podman, PodmanApi, PodmanError } from "../src/index.js"
import * as Cli from "../src/internal/cli/driver.js"
import * as Runner from "../src/internal/cli/runner.js"
import { recordSpans } from "./tracing.js"

const IMAGE = "localhost/effect-podman-test:latest"
const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeServices.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
}
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`
const podman = (...args: Array<string>) => execFileSync("podman", args, { encoding: "utf8" })
const exists = (name: string) =>
  podman("ps", "-a", "--filter", `name=^${name}$`, "--format", "{{.Names}}").trim() !== ""

const dir = mkdtempSync(join(tmpdir(), "ep4-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A podman wrapper: `body` runs first (it may record the call, or hang). */
const stub = (name: string, body: string) => {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\nexec podman "$@"\n`)
  chmodSync(path, 0o755)
  return path
}

for (const [label, PodmanLive] of Object.entries(LAYERS)) {
  layer(PodmanLive, { excludeTestServices: true })(
    `effect-podman-4 as podman itself sees it (${label} layer)`,
    (it) => {
      it.effect("kube play of a manifest Kube.podYaml wrote runs the pod at once through the escape hatch; kube down removes it", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          // kube play makes podman's default kube network on first use: remove it after, if it is ours
          const kubeNetwork = "podman-default-kube-network"
          if (!podman("network", "ls", "--format", "{{.Name}}").split("\n").includes(kubeNetwork)) {
            yield* Effect.addFinalizer(() => Effect.ignore(runtime.podman(["network", "rm", "--force", kubeNetwork])))
          }
          const name = unique(`kube-${label}`)
          const yaml = yield* Kube.podYaml({
            name,
            containers: [{ image: IMAGE, name: "web", command: ["sleep", "3600"], env: { COUNT: "0b101" } }]
          })
          const file = join(mkdtempSync(join(dir, "kube-")), "pod.yaml")
          writeFileSync(file, yaml)
          const started = Date.now()
          yield* Effect.gen(function*() {
            yield* runtime.podman(["kube", "play", file], { timeout: "30 seconds" })
            assert.isBelow(Date.now() - started, 15_000, "not the whole bound")
            const env = yield* runtime.container(`${name}-web`).exec(["sh", "-c", "echo $COUNT"])
            assert.strictEqual(env.stdout, "0b101\n", "a string stays a string through podman's YAML reader")
            yield* runtime.podman(["kube", "down", file], { timeout: "30 seconds" })
            assert.strictEqual((yield* Effect.flip(runtime.podman(["pod", "exists", name])))._tag, "NonZeroExit")
          }).pipe(Effect.ensuring(Effect.ignore(runtime.podman(["pod", "rm", "--force", "--ignore", name]))))
        }))

      it.effect("spans are named as the Effect 3 edition names them, whatever the transport: podman container.start", () => {
        const { spans, traced } = recordSpans()
        return traced(Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          yield* Effect.flip(runtime.container(unique("absent")).start)
          const names = spans.map((span) => span.name)
          assert.include(names, "podman container.start")
          assert.isFalse(names.some((name) => /^podman (POST|GET|DELETE) /.test(name)), names.join(", "))
        }))
      })

      it.effect("a build argument's secret is in no error, message or span of a failing build", () => {
        const { spans, traced } = recordSpans()
        const secret = "s3cr3t-build-ep4"
        return traced(Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const context = mkdtempSync(join(dir, "build-"))
          writeFileSync(join(context, "Containerfile"), "FROM localhost/ep4-no-such-base:1\nRUN true\n")
          const failed = yield* Effect.flip(runtime.build(context, { buildArgs: { API_TOKEN: secret, VERSION: "1" } }))
          assert.notInclude(failed.message, secret)
          assert.notInclude(JSON.stringify(failed), secret)
          // a podman that cannot be spawned: its message names the argv, the build argument redacted
          const missing = yield* Effect.flip(
            Effect.flatMap(
              ContainerRuntime.ContainerRuntime,
              (other) => other.build(context, { buildArgs: { API_TOKEN: secret } })
            ).pipe(
              Effect.provide(Podman.layer({ binary: "/nonexistent/podman" }).pipe(Layer.provide(NodeServices.layer)))
            )
          )
          assert.strictEqual(missing._tag, "PodmanMissing")
          assert.include(missing.message, "API_TOKEN=<redacted>")
          assert.notInclude(JSON.stringify(missing) + missing.message, secret)
          for (
            const value of spans.flatMap((span) => [...span.attributes.values()].map(String))
          ) assert.notInclude(value, secret)
        }))
      })

      it.effect("logs are the lines podman logs prints; a secret is in no CreateCommand; a closed scope leaves no container", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const secret = "hunter2-ep4-live"
          const name = yield* Effect.scoped(Effect.gen(function*() {
            const job = yield* runtime.run({
              image: IMAGE,
              namePrefix: "ep4-seen",
              secretEnv: { API_TOKEN: Redacted.make(secret) },
              command: ["sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done; printf 'no newline'"]
            })
            const followed = yield* Stream.runCollect(job.logs({ follow: true })).pipe(Effect.timeout("30 seconds"))
            assert.deepStrictEqual(followed, ["line 1", "line 2", "line 3", "no newline"])
            assert.deepStrictEqual(
              podman("logs", job.name).split("\n").filter((line) => line !== ""),
              followed
            )
            assert.notInclude(podman("inspect", "--format", "{{.Config.CreateCommand}}", job.name), secret)
            assert.isTrue(exists(job.name))
            return job.name
          }))
          assert.isFalse(exists(name))
        }))

      it.effect("run's one deadline covers creating and starting: past it during the start, WaitFailed, and nothing is left", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const name = unique("deadline")
          const error = yield* Effect.flip(
            Effect.scoped(runtime.run({ image: IMAGE, name, command: ["sleep", "3600"] }, { deadline: "1 millis" }))
          )
          assert.strictEqual(error._tag, "WaitFailed")
          if (error._tag === "WaitFailed") {
            assert.strictEqual(error.reason, "the deadline of 1ms passed while creating and starting")
            assert.strictEqual(error.container, "(not created)")
          }
          assert.isFalse(exists(name))
        }))

      it.effect("execStdio: 20 MB through cat, byte-exact; its bound kills the podman child, none is left", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const c = yield* runtime.run({ image: IMAGE, namePrefix: "ep4-bytes", command: ["sleep", "3600"] })
          const chunk = new Uint8Array(1 << 20).map((_, i) => (i * 31 + 7) & 0xff)
          let received = 0
          let same = true
          const code = yield* runtime.execStdio(c, ["cat"], {
            stdin: Stream.make(...Array.from({ length: 20 }, () => chunk)),
            stdout: Sink.forEach((bytes: Uint8Array) =>
              Effect.sync(() => {
                for (let i = 0; i < bytes.length; i++) same &&= bytes[i] === chunk[(received + i) % chunk.length]
                received += bytes.length
              })
            )
          })
          assert.strictEqual(code, 0)
          assert.strictEqual(received, 20 << 20)
          assert.isTrue(same)
          const slow = yield* Effect.flip(
            runtime.execStdio(c, ["sleep", "30"], { stdin: Stream.never, stdout: Sink.drain, timeout: "500 millis" })
          )
          assert.strictEqual(slow._tag, "Timeout")
          yield* Effect.sleep("3 seconds") // the grace, then SIGKILL
          // no podman client is left (podman's own conmon of the exec session stays until the
          // command inside ends: podman's design, not a child of this process)
          const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
            .split("\n")
            .filter((line) => /^(\S*\/)?podman\s/.test(line) && line.includes(" exec ") && line.includes(c.name))
          assert.deepStrictEqual(left, [])
        }))

      it.effect("copyIn of an odd host tree arrives as it is: long names, modes, links as links (one out of the tree, not followed), an empty dir, a FIFO; no socket", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const root = mkdtempSync(join(dir, "tree-"))
          yield* Effect.acquireRelease(Effect.promise(() => makeOddTree(root)), (close) => Effect.promise(close))
          const c = yield* runtime.run({ image: IMAGE, namePrefix: "ep4-tree", command: ["sleep", "3600"] })
          // a FIFO that was read would block the copy forever: the bound turns that into a failure
          yield* c.copyIn(root, "/dst").pipe(Effect.timeout("20 seconds"))
          const listed = yield* c.exec(["/bin/busybox", "sh", "-c", DESCRIBE_SCRIPT, "sh", "/dst"])
          assert.strictEqual(listed.exitCode, 0, listed.stderr)
          const inside = listed.stdout.split("\n").filter((line) => line !== "").sort()
          assert.deepStrictEqual(inside, describeHost(root))
          assert.include(inside, "escape|symbolic link|777|777/etc/shadow")
          assert.include(inside, `sub/private|regular file|600|${md5("only the owner\n")}`)
          assert.strictEqual((yield* c.exec(["/dst/run.sh"])).stdout, "ran\n")
        }))

      it.effect("a restart policy and extra hosts, as podman reports them (the model does not run them)", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const c = yield* runtime.create({
            image: IMAGE,
            namePrefix: "ep4-policy",
            restartPolicy: "on-failure",
            restartRetries: 3,
            extraHosts: { "db.local": "10.0.0.5" }
          })
          const config = yield* c.config
          assert.deepStrictEqual(
            Option.map(config, (c) => [c.restartPolicy, c.extraHosts]),
            Option.some([{ name: "on-failure", maxRetries: 3 }, { "db.local": "10.0.0.5" }])
          )
        }))

      it.effect("Kube.podYaml runs on podman kube play: port, command, env, secret (never written); kube down removes it", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          // kube play makes podman's default kube network on first use: remove it after, if it is ours
          const kubeNetwork = "podman-default-kube-network"
          if (!podman("network", "ls", "--format", "{{.Name}}").split("\n").includes(kubeNetwork)) {
            yield* Effect.addFinalizer(() => Effect.ignore(runtime.podman(["network", "rm", "--force", kubeNetwork])))
          }
          const port = yield* Effect.promise(() => Ports.freePort("127.0.0.1"))
          const pod = unique("kube")
          const yaml = yield* Kube.podYaml({
            name: pod,
            containers: [{
              image: IMAGE,
              name: "web",
              entrypoint: ["httpd"],
              command: ["-f", "-p", "80", "-h", "/www"],
              env: { GREETING: "hello from kube" },
              secretEnv: { TOKEN: Redacted.make("kube-secret-ep4") },
              ports: [{ container: 80, host: port, hostIp: "127.0.0.1" }]
            }]
          })
          assert.notInclude(yaml, "kube-secret-ep4")
          const folder = mkdtempSync(join(dir, "kube-"))
          // podman 4.3 reads a secretKeyRef from a podman secret holding JSON: { KEY: base64(value) }
          writeFileSync(
            join(folder, "secret.json"),
            JSON.stringify({ TOKEN: Buffer.from("kube-secret-ep4").toString("base64") })
          )
          writeFileSync(join(folder, "pod.yaml"), yaml)
          yield* Effect.acquireRelease(
            runtime.podman(["secret", "create", `${pod}-secrets`, join(folder, "secret.json")]),
            () => Effect.ignore(runtime.podman(["secret", "rm", `${pod}-secrets`]))
          )
          yield* Effect.acquireRelease(
            runtime.podman(["kube", "play", join(folder, "pod.yaml")], { timeout: "60 seconds" }),
            () => Effect.ignore(runtime.podman(["pod", "rm", "--force", "--time", "0", pod]))
          )
          const page = yield* Effect.tryPromise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).pipe(
            Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 100 }),
            Effect.orDie
          )
          assert.strictEqual(page, "<h1>effect-podman</h1>\n")
          const env = yield* runtime.container(`${pod}-web`).exec(["sh", "-c", "echo \"$GREETING|$TOKEN\""])
          assert.strictEqual(env.stdout, "hello from kube|kube-secret-ep4\n")
          yield* runtime.podman(["kube", "down", join(folder, "pod.yaml")])
          assert.strictEqual(podman("pod", "ps", "--format", "{{.Name}}", "--filter", `name=^${pod}$`).trim(), "")
          const refused = yield* Effect.flip(Kube.podYaml({ name: pod, containers: [{ image: IMAGE, network: "x" }] }))
          assert.match(refused.message, /0.network: a Kubernetes pod manifest has no word for it/)
        }))

      it.effect("the escape hatch: any podman command, with the same checks, bound and typed errors", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          const version = yield* runtime.podman(["version", "--format", "{{.Client.Version}}"])
          assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/)
          const failed = yield* Effect.flip(runtime.podman(["container", "inspect", unique("absent")]))
          assert.strictEqual(failed._tag === "NonZeroExit" ? failed.reason._tag : failed._tag, "NoSuchContainer")
          // the bound kills the podman client; the container it started is podman's, removed here
          const name = unique("hatch")
          yield* Effect.addFinalizer(() => Effect.ignore(runtime.forceRemove([name])))
          const slow = yield* Effect.flip(
            runtime.podman(["run", "--rm", "--name", name, IMAGE, "sleep", "30"], { timeout: "1 second" })
          )
          assert.strictEqual(slow._tag, "Timeout")
          const nul = yield* Effect.flip(runtime.podman(["ps", "a\u0000b"]))
          assert.strictEqual(nul._tag, "InvalidArgument")
        }))

      it.effect("sweep removes the containers, pods, networks and volumes of sessions whose process is gone, and leaves the living ones", () =>
        Effect.gen(function*() {
          const runtime = yield* ContainerRuntime.ContainerRuntime
          // labelled as made by a process that cannot exist (above Linux's pid_max)
          const dead = ["--label", "effect-podman.pid=999999999"]
          const orphan = unique("orphan")
          const orphans = { network: unique("orphan-net"), volume: unique("orphan-vol"), pod: unique("orphan-pod") }
          podman("create", "--name", orphan, ...dead, IMAGE)
          podman("network", "create", ...dead, orphans.network)
          podman("volume", "create", ...dead, orphans.volume)
          podman("pod", "create", "--name", orphans.pod, ...dead)
          // a container of the dead session inside its pod: the pod goes first, with its containers
          const inPod = unique("orphan-in-pod")
          podman("create", "--name", inPod, "--pod", orphans.pod, ...dead, IMAGE)
          const mine = yield* runtime.create({ image: IMAGE, namePrefix: "ep4-mine" })
          const myNetwork = yield* runtime.network({ namePrefix: "ep4-mine" })
          // other runs may sweep at the same time (PodmanTest.layer does when built): an orphan may be
          // gone already, so the outcome is asserted
          const removed = yield* runtime.sweep
          assert.notInclude(removed, mine.name)
          assert.notInclude(removed, myNetwork.name)
          assert.isFalse(exists(orphan))
          assert.isFalse(exists(inPod))
          assert.strictEqual(
            podman("network", "ls", "--format", "{{.Name}}", "--filter", `name=^${orphans.network}$`).trim(),
            ""
          )
          assert.strictEqual(
            podman("volume", "ls", "--format", "{{.Name}}", "--filter", `name=^${orphans.volume}$`).trim(),
            ""
          )
          assert.strictEqual(
            podman("pod", "ps", "--format", "{{.Name}}", "--filter", `name=^${orphans.pod}$`).trim(),
            ""
          )
          assert.isTrue(exists(mine.name))
          assert.strictEqual(
            podman("network", "ls", "--format", "{{.Name}}", "--filter", `name=^${myNetwork.name}$`).trim(),
            myNetwork.name
          )
        }))
    }
  )
}

describe("podman logs, when the log file cannot serve", () => {
  it.live("the CLI reads the container's stdout and stderr from podman's two pipes; podman's own error is the failure, not a line", () =>
    Effect.gen(function*() {
      const makeRunner = yield* Runner.make
      const driver = Cli.make(
        makeRunner({ binary: "podman", globalArgs: [], timeout: Duration.seconds(30), killGrace: Duration.seconds(2) })
      )
      const name = unique("pipes")
      podman(
        "run",
        "--name",
        name,
        IMAGE,
        "sh",
        "-c",
        "echo out1; echo err1 >&2; echo Error: not podman >&2; echo out2"
      )
      try {
        const entries = [...yield* Stream.runCollect(driver.logs(name, { follow: false }))]
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stdout").map((e) => e.line), ["out1", "out2"])
        assert.deepStrictEqual(entries.filter((e) => e.stream === "stderr").map((e) => e.line), [
          "err1",
          "Error: not podman"
        ])
      } finally {
        podman("rm", "--force", name)
      }
      const absent = yield* Effect.flip(Stream.runCollect(driver.logs(unique("absent"), { follow: false })))
      assert.strictEqual(absent._tag === "NonZeroExit" ? absent.reason._tag : absent._tag, "NoSuchContainer")
    }).pipe(Effect.provide(NodeServices.layer)))
})

describe("bounds and refusals", () => {
  it.live("a podman that ignores SIGTERM is killed at the bound: Timeout, and no process is left", () => {
    const marker = unique("hang")
    const binary = stub("hang", `trap '' TERM; echo $$ > ${join(dir, marker)}; sleep 30`)
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const started = Date.now()
      const error = yield* Effect.flip(runtime.container("ep4-anything").state)
      assert.strictEqual(error._tag, "Timeout")
      if (error._tag === "Timeout") {
        assert.strictEqual(error.reason._tag, "LayerBound")
        assert.strictEqual(error.timeoutMillis, 1000)
      }
      assert.isBelow(Date.now() - started, 5000)
      const pid = Number(readFileSync(join(dir, marker), "utf8"))
      assert.throws(() => process.kill(pid, 0), /ESRCH/, "the hung podman was killed")
    }).pipe(
      Effect.provide(
        Podman.layer({ binary, timeout: "1 second", killGrace: "300 millis" }).pipe(Layer.provide(NodeServices.layer))
      )
    )
  })

  it.live("layerConfig: options from Config; a binary that is not there is PodmanMissing naming it", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep4-anything").state)
      assert.strictEqual(error._tag, "PodmanMissing")
      if (error._tag === "PodmanMissing") assert.strictEqual(error.reason._tag, "NotFound")
      assert.match(error.message, /podman binary "\/nonexistent\/podman" not found/)
    }).pipe(Effect.provide(
      Podman.layerConfig({ ...Podman.envConfig, binary: Config.succeed("/nonexistent/podman") }).pipe(
        Layer.orDie,
        Layer.provide(NodeServices.layer)
      )
    )))

  it.live("forceRemove with a podman that cannot be spawned: each container not removed, why, and a debug line each", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const logged: Array<string> = []
      const results = yield* runtime.forceRemove(["ep4-a", "ep4-b"]).pipe(
        Effect.provide(Logger.layer([Logger.make((options) => {
          logged.push(`${options.logLevel}: ${String(options.message)}`)
        })])),
        Effect.provideService(References.MinimumLogLevel, "Debug")
      )
      assert.deepStrictEqual(results.map((r) => [r.name, r.removed]), [["ep4-a", false], ["ep4-b", false]])
      for (const r of results) {
        assert.match(Option.getOrThrow(r.error), /podman binary "\/nonexistent\/podman" not found/)
      }
      assert.deepStrictEqual(
        logged.filter((line) => line.includes("forced removal")).map((line) => line.replace(/: podman binary.*/s, "")),
        ["Debug: forced removal of container ep4-a failed", "Debug: forced removal of container ep4-b failed"]
      )
    }).pipe(Effect.provide(Podman.layer({ binary: "/nonexistent/podman" }).pipe(Layer.provide(NodeServices.layer)))))

  it.live("an event line without a time is delivered once; a podman that ends its events at once is read ever less often", () => {
    const calls = join(dir, unique("events"))
    const binary = stub(
      unique("podman-events"),
      [
        `case "$*" in *events*) echo x >> ${calls}; echo '{"Name":"ep4-untimed-1","ID":"abc","Status":"start"}'; exit 0;; esac`
      ].join("\n")
    )
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const events = yield* runtime.events("ep4-untimed").pipe(
        Stream.interruptWhen(Effect.sleep("2500 millis")),
        Stream.runCollect
      )
      assert.deepStrictEqual(events.map((event) => [event.name, event.status]), [["ep4-untimed-1", "start"]])
      // read at 0, then after 0.5, 1 and 2 s of nothing new: 4 reads at most in 2.5 s (it was 10)
      const reads = readFileSync(calls, "utf8").split("\n").filter((line) => line !== "").length
      assert.isAtMost(reads, 4)
      assert.isAtLeast(reads, 2)
    }).pipe(Effect.provide(Podman.layer({ binary }).pipe(Layer.provide(NodeServices.layer))))
  })

  it.live("an answer this library cannot read is NonZeroExit Unreadable: what and where, no exit code, never a value podman printed", () => {
    const binary = stub(
      "unread",
      `[ "$1" = ps ] && { echo '[{"Names": {"token": "hunter2-unread"}}]'; exit 0; }`
    )
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.containerStates("ep4-unread"))
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag !== "NonZeroExit") return
      assert.strictEqual(error.reason._tag, "Unreadable")
      assert.isUndefined(error.exitCode)
      assert.match(error.stderr, /^podman printed .* this library cannot read: at \[0\]\.Names: Expected/)
      // the cause is kept, without the value: where, and what was expected
      assert.instanceOf(error.cause, PodmanError.UnreadableOutput)
      assert.deepStrictEqual((error.cause as PodmanError.UnreadableOutput).issues.map((issue) => issue.at), [
        "[0].Names"
      ])
      assert.notInclude(
        [JSON.stringify(error), error.message, inspect(error, { depth: 10 }), Cause.pretty(Cause.fail(error))].join(
          "\n"
        ),
        "hunter2-unread"
      )
    }).pipe(Effect.provide(Podman.layer({ binary }).pipe(Layer.provide(NodeServices.layer))))
  })

  it.live("what the kernel would refuse (E2BIG) is InvalidArgument, and podman never runs", () => {
    const calls = join(dir, unique("calls"))
    writeFileSync(calls, "")
    const binary = stub("record", `echo "$1" >> ${calls}`)
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(
        Effect.scoped(runtime.run({ image: IMAGE, secretEnv: { TOKEN: Redacted.make("t".repeat(200 * 1024)) } }))
      )
      assert.strictEqual(error._tag, "InvalidArgument")
      assert.notInclude(error.message, "tttttttttt")
      assert.notInclude(readFileSync(calls, "utf8"), "run")
    }).pipe(Effect.provide(Podman.layer({ binary }).pipe(Layer.provide(NodeServices.layer))))
  })
})
