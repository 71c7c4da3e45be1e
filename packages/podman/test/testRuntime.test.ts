// What only the test layer has: its control surface (fault injection, CDI, scripted exec) and
// its use on the TestClock.
import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import { NonZeroExit, PodmanMissing, Timeout } from "../src/PodmanError.js"
import * as TestRuntime from "../src/TestRuntime.js"
import { tempDir } from "./helpers/tempDir.js"

const scene = Effect.gen(function*() {
  const control = yield* TestRuntime.TestRuntimeControl
  yield* control.addImage({ name: "app", labels: { tier: "web" }, history: ["CMD", "ADD"] })
  yield* control.create({ name: "web-1", image: "app" })
  return { control, runtime: yield* ContainerRuntime }
})

describe("TestRuntime", () => {
  it.effect("failNext makes exactly the next operation fail with the given error", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      const web = runtime.container("web-1")
      const faults = [
        new PodmanMissing({ binary: "podman", argv: ["podman", "start", "web-1"] }),
        new Timeout({ argv: ["podman", "start", "web-1"], timeoutMillis: 10 }),
        new NonZeroExit({ argv: ["podman", "start", "web-1"], exitCode: 125, stderr: "Error: boom" })
      ]
      for (const fault of faults) {
        yield* control.failNext(fault)
        assert.strictEqual(yield* Effect.flip(web.start), fault)
      }
      yield* web.start
      assert.isTrue(yield* web.running)
      yield* control.failNext(faults[0]!)
      const [result] = yield* runtime.forceRemove([web])
      assert.isFalse(result!.removed)
      assert.match(Option.getOrThrow(result!.error), /not found/)
      assert.isTrue(yield* web.running, "a failed removal removed nothing")
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("a CDI device starts only once setCdiDevices declares it", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "gpu-1", image: "app", devices: ["nvidia.com/gpu=all"] })
      const error = yield* Effect.flip(runtime.container("gpu-1").start)
      assert.strictEqual(error._tag, "GpuConfigError")
      yield* control.setCdiDevices(["nvidia.com/gpu=all"])
      yield* runtime.container("gpu-1").start
      assert.isTrue(yield* runtime.container("gpu-1").running)
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("exit ends the main process; wait returns its code", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      const web = runtime.container("web-1")
      yield* web.start
      const waiting = yield* Effect.fork(web.wait())
      yield* control.exit("web-1", 42)
      assert.strictEqual(yield* Fiber.join(waiting), 42)
      assert.deepStrictEqual(yield* web.state, Option.some("exited"))
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("time in the model follows the TestClock: sleep 30 exits after 30 s, bounds fire", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "job-1", image: "app", command: ["sleep", "30"] })
      const job = runtime.container("job-1")
      yield* job.start
      const bounded = yield* Effect.fork(Effect.flip(job.wait({ timeout: "10 seconds" })))
      const unbounded = yield* Effect.fork(job.wait())
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual((yield* Fiber.join(bounded))._tag, "Timeout")
      yield* TestClock.adjust("20 seconds")
      assert.strictEqual(yield* Fiber.join(unbounded), 0)
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("scriptExec answers exec calls", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* runtime.container("web-1").start
      yield* control.scriptExec((_, argv) =>
        argv[0] === "pg_isready"
          ? Option.some({ exitCode: 0, stdout: "accepting connections\n", stderr: "" })
          : Option.none()
      )
      assert.strictEqual((yield* runtime.exec("web-1", ["pg_isready"])).stdout, "accepting connections\n")
      assert.strictEqual((yield* runtime.exec("web-1", ["echo", "still"])).stdout, "still\n")
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("sweep returns the names it removed: those of dead sessions only", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "orphan-1", image: "app", labels: { "effect-podman.pid": "999999999" } })
      yield* control.create({ name: "live-1", image: "app", labels: { "effect-podman.pid": String(process.pid) } })
      assert.deepStrictEqual(yield* runtime.sweep, ["orphan-1"])
      assert.deepStrictEqual(yield* runtime.sweep, [])
      assert.isTrue(Option.isSome(yield* runtime.container("live-1").state))
      assert.isTrue(Option.isSome(yield* runtime.container("web-1").state), "unlabelled containers are not ours")
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("creating with a taken name or a missing image fails as podman does", () =>
    Effect.gen(function*() {
      const { control } = yield* scene
      const taken = yield* Effect.flip(control.create({ name: "web-1", image: "app" }))
      assert.match(taken.message, /already in use/)
      const missing = yield* Effect.flip(control.create({ name: "web-2", image: "nope" }))
      assert.match(missing.message, /image not known/)
    }).pipe(Effect.provide(TestRuntime.layer)))
  it.live("copyIn of a tree with a link fails loudly: the model holds regular files only", () =>
    Effect.gen(function*() {
      const { runtime } = yield* scene
      const dir = yield* tempDir("model-copy-")
      mkdirSync(join(dir, "tree"))
      writeFileSync(join(dir, "tree", "a.txt"), "A\n")
      symlinkSync("/etc/shadow", join(dir, "tree", "escape"))
      const exit = yield* Effect.exit(runtime.container("web-1").copyIn(join(dir, "tree"), "/dst"))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.match(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), /the model cannot copy a symlink/)
      yield* runtime.container("web-1").start
      const read = yield* runtime.exec("web-1", ["cat", "/dst/a.txt"])
      assert.strictEqual(read.exitCode, 1, "nothing was copied")
    }).pipe(Effect.scoped, Effect.provide(TestRuntime.layer)))

  it.effect("a targeted fault hits only its operation and target, `times` times, then recovers", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "web-2", image: "app", command: ["sleep", "3600"] })
      const refused = new NonZeroExit({
        operation: "container.start",
        argv: ["podman", "start", "web-2"],
        exitCode: 125,
        stderr: "Error: boom"
      })
      yield* control.fail(refused, { operation: "container.start", target: "web-2", times: 2 })
      // other operations, and the same operation on another container, pass untouched
      assert.isTrue(Option.isSome(yield* runtime.container("web-2").state))
      yield* runtime.container("web-1").start
      assert.strictEqual(yield* Effect.flip(runtime.container("web-2").start), refused)
      assert.strictEqual(yield* Effect.flip(runtime.container("web-2").start), refused)
      yield* runtime.container("web-2").start
      assert.isTrue(yield* runtime.container("web-2").running)
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("a scripted main process runs on Effect time, writes the log, and is interrupted by stop", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "srv-1", image: "app", command: ["/usr/bin/server"] })
      yield* control.scriptProcess((process) =>
        process.container === "srv-1"
          ? Option.some(Effect.zipRight(process.log(`start ${process.start}`), Effect.as(Effect.never, 0)))
          : Option.none()
      )
      const srv = runtime.container("srv-1")
      yield* srv.start
      yield* TestClock.adjust("1 hour")
      assert.isTrue(yield* srv.running)
      yield* srv.stop()
      assert.strictEqual(yield* srv.wait(), 143)
      yield* srv.start
      assert.deepStrictEqual(Chunk.toArray(yield* Stream.runCollect(srv.logs())), ["start 1", "start 2"])
    }).pipe(Effect.provide(TestRuntime.layer)))

  it.effect("the model dies, saying what it cannot run, instead of answering differently from podman", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "run-1", image: "app", command: ["sleep", "3600"], user: "1000" })
      yield* runtime.container("run-1").start
      const cannot = (argv: readonly [string, ...Array<string>]) =>
        Effect.map(
          Effect.exit(runtime.exec("run-1", argv)),
          (exit) => Exit.isFailure(exit) && Cause.isDie(exit.cause) ? Cause.pretty(exit.cause) : "answered"
        )
      assert.match(yield* cannot(["sh", "-c", "echo a | cat"]), /the model cannot run a script with a pipe/)
      assert.match(yield* cannot(["sh", "-c", "ls /data/*"]), /a glob/)
      assert.match(yield* cannot(["sh", "-c", "echo $(id -u)"]), /a command substitution/)
      assert.match(yield* cannot(["sh", "-c", "if true; then echo; fi"]), /"if"/)
      assert.match(yield* cannot(["psql", "-c", "select 1"]), /cannot run "psql".*scriptProcess.*scriptExec/)
      // a user by name: podman looks it up in the image's /etc/passwd, which the model does not hold
      yield* control.create({ name: "run-2", image: "app", command: ["sleep", "3600"], user: "postgres" })
      yield* runtime.container("run-2").start
      const named = yield* Effect.exit(runtime.exec("run-2", ["true"]))
      assert.match(
        Exit.isFailure(named) ? Cause.pretty(named.cause) : "answered",
        /as the user "postgres".*numeric UID/
      )
      // a program an image without declared executables may or may not have: the model says it
      // cannot know (podman gives exit 1 under --init, a failed start without) — the main process
      // too: wait and every later operation die saying so, instead of a process that runs for ever
      yield* control.create({ name: "unknown-1", image: "app", command: ["/no/such/binary"] })
      const unknown = runtime.container("unknown-1")
      yield* unknown.start
      const waited = yield* Effect.exit(unknown.wait())
      assert.match(
        Exit.isFailure(waited) ? Cause.pretty(waited.cause) : "answered",
        /cannot run "\/no\/such\/binary": the image (localhost\/)?app(:latest)? declares no executables.*executables: \["binary"/
      )
      assert.isTrue(Exit.isFailure(yield* Effect.exit(unknown.state)), "later operations die too")
      const hatch = yield* Effect.exit(runtime.podman(["ps"]))
      assert.isTrue(Exit.isFailure(hatch) && Cause.isDie(hatch.cause))
      assert.match(Exit.isFailure(hatch) ? Cause.pretty(hatch.cause) : "", /the escape hatch needs a real podman/)
    }).pipe(Effect.provide(TestRuntime.layer)))
})

describe("TestRuntime: options, as the Effect 4 edition's layer takes them", () => {
  it.effect("layerWith: images (their env and workdir under a container's own), registries, CDI devices, host facts", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      assert.deepStrictEqual((yield* runtime.images()).map((i) => i.ref), [
        "localhost/first:latest",
        "localhost/second:latest"
      ])
      yield* control.create({
        name: "worker",
        image: "first",
        env: { MODE: "container" },
        devices: ["nvidia.com/gpu=all"]
      })
      yield* runtime.container("worker").start // the device resolves: cdiDevices
      const env = yield* runtime.exec("worker", ["env"])
      assert.include(env.stdout, "MODE=container\n")
      assert.include(env.stdout, "KEEP=1\n")
      assert.strictEqual((yield* runtime.exec("worker", ["sh", "-c", "pwd"])).stdout, "/srv\n")
      assert.deepStrictEqual(yield* runtime.host.rootlessNetworkCmd, Option.some("pasta"))
      assert.match(
        Option.getOrThrow(yield* runtime.push("first", "registry.test:5000/first:1", { tlsVerify: false })),
        /^sha256:/
      )
    }).pipe(Effect.provide(TestRuntime.layerWith({
      images: [
        {
          name: "first",
          env: { MODE: "image", KEEP: "1" },
          workdir: "/srv",
          command: ["sleep", "3600"],
          folders: ["/", "/srv"]
        },
        { name: "second" }
      ],
      registries: ["registry.test:5000"],
      cdiDevices: ["nvidia.com/gpu=all"],
      host: { rootlessNetworkCmd: "pasta" }
    }))))

  it.effect("scripts add up: the first given that answers Some answers", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.scriptExec((_, argv) =>
        argv[0] === "first" ? Option.some({ exitCode: 1, stdout: "one\n", stderr: "" }) : Option.none()
      )
      yield* control.scriptExec((_, argv) =>
        argv[0] === "first" || argv[0] === "second"
          ? Option.some({ exitCode: 2, stdout: "two\n", stderr: "" })
          : Option.none()
      )
      yield* control.scriptProcess((process) => process.argv[0] === "srv" ? Option.some(Effect.never) : Option.none())
      yield* control.create({ name: "srv-1", image: "app", command: ["srv"] })
      yield* runtime.container("srv-1").start
      assert.strictEqual((yield* runtime.exec("srv-1", ["first"])).stdout, "one\n")
      assert.strictEqual((yield* runtime.exec("srv-1", ["second"])).stdout, "two\n")
    }).pipe(Effect.provide(TestRuntime.layer)))
})

describe("TestRuntime: a rootless host under cgroup v1", () => {
  it.effect("pause, unpause and stats fail Unsupported with podman's words; the container runs on", () =>
    Effect.gen(function*() {
      const { control, runtime } = yield* scene
      yield* control.create({ name: "srv-1", image: "app", command: ["sleep", "3600"] })
      const c = runtime.container("srv-1")
      yield* control.setHostInfo({ rootless: true, cgroupVersion: "v1" })
      yield* c.start
      const words = <A>(effect: Effect.Effect<A, unknown>) =>
        Effect.map(Effect.flip(effect), (e) => e instanceof NonZeroExit ? `${e.reason}: ${e.stderr}` : String(e))
      assert.strictEqual(
        yield* words(c.pause),
        "Unsupported: Error: can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup"
      )
      assert.strictEqual(
        yield* words(c.unpause),
        "Unsupported: Error: unpause is not supported for cgroupv1 rootless containers"
      )
      assert.strictEqual(
        yield* words(c.stats),
        "Unsupported: Error: stats is not supported in rootless mode without cgroups v2"
      )
      assert.isTrue(yield* c.running)
      yield* control.setHostInfo({ rootless: true, cgroupVersion: "v2" })
      yield* c.pause
      assert.deepStrictEqual(yield* c.state, Option.some("paused"))
    }).pipe(Effect.provide(TestRuntime.layer)))
})
