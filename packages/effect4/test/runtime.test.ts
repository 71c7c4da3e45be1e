// The Effect 4 edition against real podman (Node 22, vitest 5, @effect/vitest 4): a scoped run
// waited for by its log, exec, logs (dumped and followed, the same lines `podman logs` prints),
// typed failures worded as the Effect 3 edition words them, the TERM→KILL bound on a podman that
// ignores SIGTERM, secrets that never reach an argv or an error, and E2BIG refused before a spawn.
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { Config, Effect, Layer, Option, Redacted, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { ContainerRuntime, Podman, PodmanApi, Wait } from "../src/index.js"

const IMAGE = "localhost/effect-podman-test:latest"
const LAYERS = {
  cli: Podman.layer().pipe(Layer.provide(NodeServices.layer)),
  rest: PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
}
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`
const podman = (...args: Array<string>) => execFileSync("podman", args, { encoding: "utf8" })
const exists = (name: string) => podman("ps", "-a", "--filter", `name=^${name}$`, "--format", "{{.Names}}").trim() !== ""

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
layer(PodmanLive, { excludeTestServices: true })(`effect-podman-4 on real podman (${label} layer)`, (it) => {
  it.effect("run waits for the log; exec and logs answer; closing the scope removes the container", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const name = yield* Effect.scoped(Effect.gen(function*() {
        const web = yield* runtime.run(
          { image: IMAGE, namePrefix: "ep4-run", command: ["sh", "-c", "echo starting; echo ready; echo oops >&2; sleep 3600"] },
          { wait: Wait.forLog(/^ready$/), deadline: "30 seconds" }
        )
        assert.deepStrictEqual(yield* web.state, Option.some("running"))
        assert.deepStrictEqual(yield* web.exec(["sh", "-c", "echo out; echo err >&2; exit 3"]), { exitCode: 3, stdout: "out\n", stderr: "err\n" })
        const lines = yield* Stream.runCollect(web.logs())
        assert.deepStrictEqual([...lines].sort(), ["oops", "ready", "starting"])
        return web.name
      }))
      assert.isFalse(exists(name))
      assert.deepStrictEqual(yield* runtime.container(name).state, Option.none())
    }))

  it.effect("a published port: waited for over HTTP, reached at its url; a read-only root with a tmpfs mount", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const web = yield* runtime.run(
        {
          image: IMAGE,
          namePrefix: "ep4-web",
          command: ["httpd", "-f", "-p", "80", "-h", "/www"],
          ports: [{ container: 80 }],
          readOnly: true,
          mounts: [{ type: "tmpfs", target: "/scratch" }]
        },
        { wait: Wait.forHttp("/", { port: 80 }), deadline: "30 seconds" }
      )
      const page = yield* Effect.promise(() => fetch(web.url(80, "/")).then((response) => response.text()))
      assert.include(page, "effect-podman")
      assert.strictEqual(web.url(80, "/x"), `http://127.0.0.1:${web.mappedPort(80)}/x`)
      assert.throws(() => web.mappedPort(443), /port 443 of .* is not published \(published: 80\/tcp\)/)
      assert.strictEqual((yield* web.exec(["sh", "-c", "echo x > /scratch/f && cat /scratch/f"])).stdout, "x\n")
      assert.strictEqual((yield* web.exec(["sh", "-c", "echo x > /root-file"])).exitCode, 1)
      const refused = yield* Effect.flip(Effect.scoped(runtime.run({ image: IMAGE, ports: [{ container: 70000 }] })))
      assert.strictEqual(refused._tag, "SpecError")
      assert.match(refused.message, /1 to 65535/)
    }))

  it.effect("a container that exits before it is ready fails the run at once: WaitFailed with its exit code and log, removed", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const name = unique("early")
      const started = Date.now()
      const error = yield* Effect.flip(Effect.scoped(runtime.run(
        { image: IMAGE, name, command: ["sh", "-c", "echo bye; exit 3"], ports: [{ container: 80 }] },
        { wait: Wait.forHttp("/", { port: 80 }), deadline: "30 seconds" }
      )))
      assert.strictEqual(error._tag, "WaitFailed")
      if (error._tag === "WaitFailed") {
        assert.strictEqual(error.reason, "the container exited with code 3 before it was ready")
        assert.include(error.logTail, "bye")
      }
      assert.isBelow(Date.now() - started, 10_000)
      assert.isFalse(exists(name))
    }))

  it.effect("a followed log reads the file as it grows and ends when the container exits", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const job = yield* runtime.run({ image: IMAGE, namePrefix: "ep4-follow", command: ["sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done; printf 'no newline'"] })
      const followed = yield* Stream.runCollect(job.logs({ follow: true })).pipe(Effect.timeout("30 seconds"))
      assert.deepStrictEqual(followed, ["line 1", "line 2", "line 3", "no newline"])
      assert.deepStrictEqual(podman("logs", job.name).split("\n").filter((line) => line !== ""), followed)
    }))

  it.effect("podman's failures are typed and worded as in the Effect 3 edition", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep4-no-such-container").start)
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag === "NonZeroExit") {
        assert.strictEqual(error.reason, "NoSuchContainer")
        assert.strictEqual(error.operation, "container.start")
        if (label === "cli") {
          assert.strictEqual(error.exitCode, 125)
          assert.match(error.message, /^container\.start failed: no such container \(`podman start ep4-no-such-container`, exit code 125\): Error: /)
        } else {
          assert.strictEqual(error.status, 404)
          assert.match(error.message, /^container\.start failed: no such container \(`POST \/containers\/ep4-no-such-container\/start`, HTTP 404\): Error: /)
        }
      }
      const bad = yield* Effect.flip(Effect.scoped(runtime.run({ image: IMAGE, name: "-x" })))
      assert.strictEqual(bad._tag, "SpecError")
      assert.match(bad.message, /starts with a letter or digit/)
    }))

  it.effect("sweep removes the containers of sessions whose process is gone, and leaves the living ones", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const orphan = unique("orphan")
      // labelled as made by a process that cannot exist (above Linux's pid_max)
      podman("create", "--name", orphan, "--label", "effect-podman.pid=999999999", IMAGE)
      const mine = yield* runtime.create({ image: IMAGE, namePrefix: "ep4-mine" })
      // other runs may sweep at the same time (PodmanTest.layer does when built): the orphan may be
      // gone already, so the outcome is asserted
      const removed = yield* runtime.sweep
      assert.notInclude(removed, mine.name)
      assert.isFalse(exists(orphan))
      assert.isTrue(exists(mine.name))
    }))

  it.effect("a secret reaches the container, never an argv or an error", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const secret = "hunter2-ep4"
      const name = unique("secret")
      const c = yield* runtime.run({ image: IMAGE, name, secretEnv: { API_TOKEN: Redacted.make(secret) }, command: ["sleep", "3600"] })
      assert.strictEqual((yield* c.exec(["sh", "-c", "echo $API_TOKEN"])).stdout, `${secret}\n`)
      assert.notInclude(podman("inspect", "--format", "{{.Config.CreateCommand}}", name), secret)
      // the same name again: podman refuses it; the error names the key, never the value
      const taken = yield* Effect.flip(Effect.scoped(runtime.run({ image: IMAGE, name, secretEnv: { API_TOKEN: Redacted.make(secret) } })))
      assert.strictEqual(taken._tag, "NonZeroExit")
      if (taken._tag === "NonZeroExit") {
        assert.strictEqual(taken.reason, "NameInUse")
        // the CLI names the key in its argv (the value goes through podman's environment); the
        // API's request body holds it, and its argv is the request
        assert.include(taken.argv, label === "cli" ? "API_TOKEN" : "/containers/create")
      }
      assert.notInclude(taken.message, secret)
      assert.isTrue(exists(name), "the container holding the name stays")
    }))
})

}

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
        assert.strictEqual(error.reason, "LayerBound")
        assert.strictEqual(error.timeoutMillis, 1000)
      }
      assert.isBelow(Date.now() - started, 5000)
      const pid = Number(readFileSync(join(dir, marker), "utf8"))
      assert.throws(() => process.kill(pid, 0), /ESRCH/, "the hung podman was killed")
    }).pipe(Effect.provide(Podman.layer({ binary, timeout: "1 second", killGrace: "300 millis" }).pipe(Layer.provide(NodeServices.layer))))
  })

  it.live("layerConfig: options from Config; a binary that is not there is PodmanMissing naming it", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(runtime.container("ep4-anything").state)
      assert.strictEqual(error._tag, "PodmanMissing")
      if (error._tag === "PodmanMissing") assert.strictEqual(error.reason, "NotFound")
      assert.match(error.message, /podman binary "\/nonexistent\/podman" not found/)
    }).pipe(Effect.provide(
      Podman.layerConfig({ ...Podman.envConfig, binary: Config.succeed("/nonexistent/podman") }).pipe(Layer.orDie, Layer.provide(NodeServices.layer))
    )))

  it.live("what the kernel would refuse (E2BIG) is InvalidArgument, and podman never runs", () => {
    const calls = join(dir, unique("calls"))
    writeFileSync(calls, "")
    const binary = stub("record", `echo "$1" >> ${calls}`)
    return Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const error = yield* Effect.flip(Effect.scoped(runtime.run({ image: IMAGE, secretEnv: { TOKEN: Redacted.make("t".repeat(200 * 1024)) } })))
      assert.strictEqual(error._tag, "InvalidArgument")
      assert.notInclude(error.message, "tttttttttt")
      assert.notInclude(readFileSync(calls, "utf8"), "run")
    }).pipe(Effect.provide(Podman.layer({ binary }).pipe(Layer.provide(NodeServices.layer))))
  })
})
