// What the in-memory layer cannot do, it says — a defect naming it, never a different answer than
// podman's: a command it does not run, a build instruction it does not run, a field of the spec it
// does not model. (What it does model is in the contract, on all three layers.)
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Sink, Stream } from "effect"
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { TEST_IMAGE, testImage } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, Gpu, PodmanError, TestRuntime, Wait } from "../src/index.js"

/** The message of the defect an effect dies with. */
const defect = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    assert.isTrue(Exit.isFailure(exit), "it dies")
    const squashed = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    return squashed instanceof Error ? squashed.message : String(squashed)
  })

describe("TestRuntime: images", () => {
  it.effect("make gives the service and its control; a fixture's size and the model's creation time are listed", () =>
    Effect.gen(function*() {
      const before = Date.now()
      const { control, runtime } = yield* TestRuntime.make({
        images: [{ name: "localhost/sized:1", size: 12_500_000 }]
      })
      const [listing] = yield* runtime.images()
      assert.strictEqual(listing?.ref, "localhost/sized:1")
      assert.strictEqual(listing?.size, 12_500_000)
      const created = listing === undefined ? Option.none() : listing.created
      assert.isTrue(
        Option.isSome(created) && created.value.getTime() >= before - 1000 && created.value.getTime() <= Date.now()
      )
      // the control scripts the same model the service answers from
      yield* control.fail(
        new PodmanError.NonZeroExit({
          reason: { _tag: "Other" },
          operation: "container.start",
          argv: ["podman", "start"],
          stderr: "boom"
        }),
        { target: "faulty" }
      )
      const failed = yield* Effect.flip(runtime.container("faulty").start)
      assert.strictEqual(failed._tag === "NonZeroExit" ? failed.stderr : failed._tag, "boom")
    }).pipe(Effect.scoped))

  it.effect("a name given to another image leaves the first dangling; pruneImages removes it, as podman does", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const old = yield* runtime.image("localhost/app:1").id
      yield* runtime.tagImage(TEST_IMAGE, "localhost/app:1") // the name moves
      assert.deepStrictEqual(yield* runtime.image("localhost/app:1").id, yield* runtime.image(TEST_IMAGE).id)
      const pruned = yield* runtime.pruneImages
      assert.deepStrictEqual(pruned, [Option.getOrThrow(old)])
      assert.deepStrictEqual(yield* runtime.pruneImages, [])
    }).pipe(Effect.provide(TestRuntime.layer({ images: [testImage, { name: "localhost/app:1" }] }))))
})

describe("TestRuntimeControl: what a test tells the model", () => {
  it.effect("scripted main processes and execs, faults on chosen operations, an exit and a log line", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      // a program the model does not run: a fake server, and its readiness probe
      yield* control.scriptProcess((process) =>
        process.argv[0] === "my-server"
          ? Option.some(Effect.andThen(process.log(`listening (start ${process.start})`), Effect.never))
          : Option.none()
      )
      yield* control.scriptExec((_, argv) =>
        argv[0] === "pg_isready"
          ? Option.some({ exitCode: 0, stdout: "accepting connections\n", stderr: "" })
          : Option.none()
      )
      const server = yield* runtime.run(
        { image: TEST_IMAGE, namePrefix: "fake", command: ["my-server"] },
        { wait: Wait.all(Wait.forLog(/^listening/), Wait.forExec(["pg_isready"])) }
      )
      assert.deepStrictEqual([...yield* Stream.runCollect(server.logs())], ["listening (start 1)"])
      yield* server.kill("SIGTERM") // a scripted process ends on any signal
      assert.strictEqual(yield* server.wait(), 143)
      // faults: the next start of this container fails with the test's error, then it starts
      const boom = new PodmanError.NonZeroExit({
        reason: { _tag: "Other" },
        operation: "container.start",
        argv: ["podman", "start", server.name],
        stderr: "Error: boom"
      })
      yield* control.fail(boom, { operation: "container.start", target: server.name })
      assert.strictEqual((yield* Effect.flip(server.start)).message, boom.message)
      yield* server.start
      assert.deepStrictEqual([...yield* Stream.runCollect(server.logs())], [
        "listening (start 1)",
        "listening (start 2)"
      ])
      // an exit and a log line the test writes
      yield* control.log(server.name, "written by the test", "stderr")
      yield* control.exit(server.name, 3)
      assert.strictEqual(yield* server.wait(), 3)
      assert.deepStrictEqual([...yield* Stream.runCollect(server.logEntries())].at(-1), {
        stream: "stderr",
        line: "written by the test"
      })
      // a fault on run, whatever the container
      yield* control.fail(boom, { operation: "container.run" })
      assert.strictEqual((yield* Effect.flip(Effect.scoped(runtime.run({ image: TEST_IMAGE })))).message, boom.message)
    }).pipe(Effect.provide(TestRuntime.layer({ images: [testImage] }))))

  it.effect("a scripted execStdio conversation: each stdin line answered, in order, for the container and command it names", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      const c = yield* runtime.run({ image: TEST_IMAGE, command: ["sleep", "3600"] })
      yield* control.scriptStdio((container, argv) =>
        container === c.name && argv[0] === "redis-cli"
          ? Option.some((line) => line === "PING" ? ["PONG"] : [`ERR unknown '${line}'`, "(end)"])
          : Option.none()
      )
      const out: Array<string> = []
      const exitCode = yield* runtime.execStdio(c, ["redis-cli"], {
        stdin: Stream.make("PI", "NG\nWHAT\n").pipe(Stream.encodeText),
        stdout: Sink.forEach((chunk: Uint8Array) => Effect.sync(() => void out.push(new TextDecoder().decode(chunk))))
      })
      assert.strictEqual(exitCode, 0)
      assert.strictEqual(out.join(""), "PONG\nERR unknown 'WHAT'\n(end)\n")
      // another command is the model's own (here: one it cannot run)
      assert.match(
        yield* defect(runtime.execStdio(c, ["redis-server"], { stdin: Stream.empty, stdout: Sink.drain })),
        /the model cannot run "redis-server"/
      )
    }).pipe(Effect.provide(TestRuntime.layer({ images: [{ ...testImage, executables: undefined }] }))))
})

describe("TestRuntime: host facts and the GPU check", () => {
  it.effect("checkGpuAvailable reads the CDI specs in the folders podman reports", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "ep4-cdi-"))
      const empty = mkdtempSync(join(tmpdir(), "ep4-cdi-empty-"))
      try {
        writeFileSync(
          join(dir, "nvidia.json"),
          JSON.stringify({
            cdiVersion: "0.5.0",
            kind: "nvidia.com/gpu",
            devices: [{ name: "all", containerEdits: {} }]
          })
        )
        const check = (dirs: ReadonlyArray<string>, vendor: "nvidia" | "amd") =>
          Effect.provide(
            Gpu.checkGpuAvailable(vendor),
            TestRuntime.layer({ host: { cdiSpecDirs: dirs, rootlessNetworkCmd: "pasta" } })
          )
        assert.isTrue(yield* check([dir], "nvidia"))
        assert.isFalse(yield* check([dir], "amd"))
        assert.isFalse(yield* check([empty], "nvidia"))
        const host = yield* Effect.provide(
          Effect.flatMap(ContainerRuntime.ContainerRuntime, (runtime) => runtime.host.rootlessNetworkCmd),
          TestRuntime.layer({ host: { rootlessNetworkCmd: "pasta" } })
        )
        assert.deepStrictEqual(host, Option.some("pasta"))
      } finally {
        rmSync(dir, { recursive: true, force: true })
        rmSync(empty, { recursive: true, force: true })
      }
    }))
})

describe("TestRuntime: what it cannot do, it says", () => {
  it.effect("a build step it does not run, a stage, the escape hatch, an unmodelled spec field, a command it does not run", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const context = mkdtempSync(join(tmpdir(), "ep4-cannot-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(context, { recursive: true, force: true })))
      writeFileSync(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nWORKDIR /app\n`)
      assert.match(yield* defect(runtime.build(context)), /the model cannot build "WORKDIR \/app": it builds FROM/)
      assert.match(
        yield* defect(runtime.build(context, { target: "test" })),
        /the model cannot build a stage \(target "test"\)/
      )
      writeFileSync(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nCOPY --chown=1:1 a /a\n`)
      assert.match(yield* defect(runtime.build(context)), /the model cannot build "COPY --chown=1:1 a \/a"/)
      // files: the model holds text files, and no link, FIFO or device
      const c0 = yield* runtime.run({ image: TEST_IMAGE, command: ["sleep", "3600"] })
      symlinkSync("/etc/shadow", join(context, "escape"))
      assert.match(
        yield* defect(c0.copyIn(context, "/dst")),
        /the model cannot copy in .*escape, which is not a regular file or a folder/
      )
      assert.match(yield* defect(c0.copyFiles({ "/bin.dat": Uint8Array.of(0xff, 0xfe) })), /these bytes are not UTF-8/)
      // a signal that stops a process: the model holds no stopped processes
      assert.match(yield* defect(c0.kill("SIGSTOP")), /the model cannot send SIGSTOP: it holds no stopped processes/)
      // a user by name: podman looks it up in the image's /etc/passwd, which the model does not hold
      assert.match(yield* defect(c0.exec(["true"], { user: "nobody" })), /as the user "nobody".*numeric UID/)
      // a write as another user: the model holds no owners or modes
      const other = yield* runtime.run({ image: TEST_IMAGE, user: "1000", command: ["sleep", "3600"] })
      assert.match(
        yield* defect(other.exec(["sh", "-c", "echo x > /tmp/x"])),
        /the model cannot run a write to \/tmp\/x as the user "1000"/
      )
      writeFileSync(join(context, "Containerfile"), `FROM ${TEST_IMAGE}\nRUN echo a | cat\n`)
      assert.match(
        yield* defect(runtime.build(context)),
        /the model cannot build "RUN echo a \| cat": it cannot run a script with a pipe/
      )
      assert.match(
        yield* defect(runtime.run({ image: TEST_IMAGE, extraArgs: ["--privileged"] })),
        /the model cannot create a container with "extraArgs"/
      )
      assert.match(
        yield* defect(runtime.run({ image: TEST_IMAGE, mounts: [{ type: "bind", source: "/tmp", target: "/host" }] })),
        /bind mounts/
      )
      assert.match(yield* defect(runtime.podman(["ps"])), /the model cannot run podman ps/)
      const c = yield* runtime.run({ image: TEST_IMAGE, command: ["sleep", "3600"] })
      assert.match(yield* defect(c.exec(["sh", "-c", "echo a | cat"])), /the model cannot run a script with a pipe/)
      // a main process it cannot run: its container's later operations die saying so
      const odd = yield* runtime.run({ image: TEST_IMAGE, command: ["sh", "-c", "for i in 1 2; do echo $i; done"] })
      assert.match(yield* defect(odd.wait()), /the model cannot run a script with "for"/)
      // a program an image without declared executables may or may not have: the model says it cannot know
      const unknown = yield* runtime.run({ image: "localhost/undeclared:1", command: ["/no/such/binary"] })
      assert.match(
        yield* defect(unknown.wait()),
        /cannot run "\/no\/such\/binary": the image localhost\/undeclared:1 declares no executables.*executables: \["binary"/
      )
      assert.match(yield* defect(unknown.state), /declares no executables/)
      // an httpd a script starts would serve nothing on the model: it says so instead
      const served = yield* runtime.run({
        image: TEST_IMAGE,
        command: ["sh", "-c", "echo up; exec httpd -f -p 80"],
        ports: [{ container: 80 }]
      })
      assert.match(yield* defect(served.wait()), /the model cannot run httpd started by a shell script/)
    }).pipe(Effect.provide(TestRuntime.layer({ images: [testImage, { name: "localhost/undeclared:1" }] }))))
})

describe("TestRuntimeControl: the Effect 3 edition's fixtures, here too", () => {
  it.effect("images and containers added, a tag, a registry, resources, failNext, CDI devices and host facts set later", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      const id = yield* control.addImage({
        name: "app",
        env: { MODE: "image", KEEP: "1" },
        workdir: "/data",
        command: ["sleep", "3600"],
        executables: testImage.executables
      })
      assert.deepStrictEqual(yield* runtime.image("localhost/app:latest").id, Option.some(id))
      yield* control.tagImage("app", "localhost/app:2")
      assert.deepStrictEqual(yield* runtime.image("localhost/app:2").id, Option.some(id))
      // a container as podman create makes it: the image's env and workdir under its own
      yield* control.create({ name: "worker", image: "app", env: { MODE: "container" } })
      assert.deepStrictEqual(yield* runtime.container("worker").state, Option.some("created"))
      yield* runtime.container("worker").start
      const env = yield* runtime.exec("worker", ["env"])
      assert.include(env.stdout, "MODE=container\n")
      assert.include(env.stdout, "KEEP=1\n")
      assert.strictEqual((yield* runtime.exec("worker", ["sh", "-c", "pwd"])).stdout, "/data\n")
      // a taken name and a missing image fail as podman's create does (nothing is pulled)
      const taken = yield* Effect.flip(control.create({ name: "worker", image: "app" }))
      assert.strictEqual(taken._tag === "NonZeroExit" ? taken.reason._tag : taken._tag, "NameInUse")
      const missing = yield* Effect.flip(control.create({ name: "other", image: "localhost/absent:1" }))
      assert.strictEqual(missing._tag === "NonZeroExit" ? missing.reason._tag : missing._tag, "NoSuchImage")
      // resources, then a taken name
      yield* control.addResource("network", { name: "backend", labels: { team: "a" } })
      yield* Effect.scoped(runtime.run({ image: "app", network: "backend" })) // it exists
      assert.strictEqual((yield* Effect.flip(control.addResource("network", { name: "backend" })))._tag, "NonZeroExit")
      // failNext: exactly the next call
      const boom = new PodmanError.PodmanMissing({
        reason: { _tag: "NotFound" },
        binary: "podman",
        argv: ["podman", "stop", "worker"]
      })
      yield* control.failNext(boom)
      assert.strictEqual(yield* Effect.flip(runtime.container("worker").stop()), boom)
      yield* runtime.container("worker").stop()
      // CDI devices resolve from when the test says so
      yield* control.create({ name: "gpu", image: "app", devices: ["nvidia.com/gpu=all"] })
      assert.strictEqual((yield* Effect.flip(runtime.container("gpu").start))._tag, "GpuConfigError")
      yield* control.setCdiDevices(["nvidia.com/gpu=all"])
      yield* runtime.container("gpu").start
      yield* control.setHostInfo({ rootlessNetworkCmd: "slirp4netns" })
      assert.deepStrictEqual(yield* runtime.host.rootlessNetworkCmd, Option.some("slirp4netns"))
      // a registry declared later takes pushes
      yield* control.addRegistry("registry.test:5000")
      yield* runtime.push("app", "registry.test:5000/app:1", { tlsVerify: false })
    }).pipe(Effect.provide(TestRuntime.layer())))

  it.effect("sweep: a dead session's pod goes first, with the container in it; a living session's stays", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      // labelled as made by a process that cannot exist (above Linux's pid_max)
      const dead = { "effect-podman.session": "gone", "effect-podman.pid": "999999999" }
      yield* control.addResource("pod", { name: "orphan-pod", labels: dead })
      yield* control.create({ name: "orphan-in-pod", image: TEST_IMAGE, labels: dead, pod: "orphan-pod" })
      // a pod must exist, as on podman
      const noPod = yield* Effect.flip(control.create({ name: "stray", image: TEST_IMAGE, pod: "no-such-pod" }))
      assert.strictEqual(noPod._tag, "NonZeroExit")
      const mine = yield* runtime.pod({ namePrefix: "ep4-mine" })
      const removed = yield* runtime.sweep
      assert.includeMembers([...removed], ["orphan-pod"])
      assert.notInclude(removed, mine.name)
      assert.isTrue(Option.isNone(yield* runtime.container("orphan-in-pod").state))
    }).pipe(Effect.scoped, Effect.provide(TestRuntime.layer({ images: [testImage] }))))

  it.effect("scripts add up: the first given that answers Some answers", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const control = yield* TestRuntime.TestRuntimeControl
      yield* control.scriptExec((_, argv) =>
        argv[0] === "first" ? Option.some({ exitCode: 1, stdout: "one\n", stderr: "" }) : Option.none()
      )
      yield* control.scriptExec((_, argv) =>
        argv[0] === "first" || argv[0] === "second"
          ? Option.some({ exitCode: 2, stdout: "two\n", stderr: "" })
          : Option.none()
      )
      const c = yield* runtime.run({ image: TEST_IMAGE, command: ["sleep", "3600"] })
      assert.strictEqual((yield* runtime.exec(c, ["first"])).stdout, "one\n")
      assert.strictEqual((yield* runtime.exec(c, ["second"])).stdout, "two\n")
    }).pipe(Effect.scoped, Effect.provide(TestRuntime.layer({ images: [testImage] }))))
})

describe("TestRuntime: a rootless host under cgroup v1", () => {
  it.effect("pause, unpause and stats fail Unsupported with podman's words; the container runs on", () =>
    Effect.gen(function*() {
      const runtime = yield* ContainerRuntime.ContainerRuntime
      const c = yield* runtime.run({ image: TEST_IMAGE, command: ["sleep", "3600"] })
      const words = <A>(effect: Effect.Effect<A, PodmanError.PodmanError>) =>
        Effect.map(Effect.flip(effect), (e) => e._tag === "NonZeroExit" ? `${e.reason._tag}: ${e.stderr}` : e._tag)
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
      assert.deepStrictEqual(yield* c.state, Option.some("running"))
      // under cgroup v2 (or as root) it pauses
      yield* (yield* TestRuntime.TestRuntimeControl).setHostInfo({ rootless: true, cgroupVersion: "v2" })
      yield* c.pause
      assert.deepStrictEqual(yield* c.state, Option.some("paused"))
    }).pipe(
      Effect.scoped,
      Effect.provide(TestRuntime.layer({ images: [testImage], host: { rootless: true, cgroupVersion: "v1" } }))
    ))
})
