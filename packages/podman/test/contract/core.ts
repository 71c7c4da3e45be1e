/** The contract of handles, lifecycle, exec, copyIn, listing, images, forceRemove and input checks. */
import { assert, describe } from "@effect/vitest"
import { Duration, Effect, Equal, Exit, Option, Stream } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason, failureTag, hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

export const coreContract = (it: ContractIt) => {
  describe("container handles", () => {
    it.scoped("a running container reports its state, id, start time and image", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        const name = uniqueName("run")
        yield* fixtures.running(name)
        const container = runtime.container(name)
        assert.deepStrictEqual(yield* container.state, Option.some("running"))
        assert.isTrue(yield* container.running)
        assert.match(Option.getOrThrow(yield* container.id), /^[0-9a-f]{64}$/)
        const startedAt = Option.getOrThrow(yield* container.startedAt)
        assert.isTrue(Math.abs(Date.now() - startedAt.getTime()) < 10 * 60_000)
        const image = Option.getOrThrow(yield* container.image)
        assert.strictEqual(image.ref, TEST_IMAGE)
        assert.isTrue(yield* image.exists)
      }))

    it.scoped("a created container is not running, has no start time, is waited for at once (0), and a stop leaves it created", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("created")
        yield* (yield* Fixtures).created(name)
        const container = runtime.container(name)
        assert.deepStrictEqual(yield* container.state, Option.some("created"))
        assert.isFalse(yield* container.running)
        assert.isTrue(Option.isNone(yield* container.startedAt))
        // podman's wait answers at once for a container that is not running: 0, never started
        assert.strictEqual(yield* container.wait({ timeout: "10 seconds" }), 0)
        // a stop of it changes nothing
        yield* container.stop()
        assert.deepStrictEqual(yield* container.state, Option.some("created"))
      }))

    it.effect("an absent container is none everywhere, not an error", () =>
      Effect.gen(function*() {
        const container = (yield* ContainerRuntime).container(uniqueName("absent"))
        assert.isTrue(Option.isNone(yield* container.state))
        assert.isFalse(yield* container.running)
        assert.isTrue(Option.isNone(yield* container.id))
        assert.isTrue(Option.isNone(yield* container.startedAt))
        assert.isTrue(Option.isNone(yield* container.mounts))
        assert.isTrue(Option.isNone(yield* container.image))
        assert.isTrue(Option.isNone(yield* container.rwSize))
      }))

    it.scoped("mounts lists bind mounts", () =>
      Effect.gen(function*() {
        const dir = yield* hostDir
        const name = uniqueName("mounts")
        yield* (yield* Fixtures).created(name, { mounts: [{ source: dir, destination: "/host" }] })
        const mounts = Option.getOrThrow(yield* (yield* ContainerRuntime).container(name).mounts)
        assert.deepStrictEqual(mounts.map((m) => [m.type, m.source, m.destination, m.rw]), [[
          "bind",
          dir,
          "/host",
          true
        ]])
      }))

    it.effect("handles with the same name are equal", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        assert.isTrue(Equal.equals(runtime.container("a"), runtime.container("a")))
        assert.isFalse(Equal.equals(runtime.container("a"), runtime.container("b")))
        assert.isTrue(Equal.equals(runtime.image("x:1"), runtime.image("x:1")))
      }))
  })

  describe("lifecycle", () => {
    it.scoped("start, stop and wait move a container through its states", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("life")
        yield* (yield* Fixtures).created(name)
        const container = runtime.container(name)
        yield* container.start
        assert.deepStrictEqual(yield* container.state, Option.some("running"))
        yield* container.start // starting a running container is a no-op
        yield* container.stop({ timeout: "500 millis" })
        assert.deepStrictEqual(yield* container.state, Option.some("exited"))
        assert.isNumber(yield* container.wait())
      }))

    it.scoped("wait returns the exit code of an exited container", () =>
      Effect.gen(function*() {
        const name = uniqueName("exit")
        yield* (yield* Fixtures).exited(name, 3)
        const container = (yield* ContainerRuntime).container(name)
        assert.strictEqual(yield* container.wait(), 3)
        assert.deepStrictEqual(yield* container.state, Option.some("exited"))
      }))

    it.effect("lifecycle operations on an absent container fail with podman's error", () =>
      Effect.gen(function*() {
        const container = (yield* ContainerRuntime).container(uniqueName("absent"))
        const operations = [
          ["container.start", container.start],
          ["container.stop", container.stop({ timeout: "500 millis" })],
          ["container.wait", Effect.asVoid(container.wait())]
        ] as const
        for (const [operation, op] of operations) {
          const error = yield* Effect.flip(op)
          assert.strictEqual(error._tag, "NonZeroExit")
          if (error._tag === "NonZeroExit") {
            // what happened, and which operation — the same on every layer (how differs: an exit
            // code on the CLI, an HTTP status on the API, never one disguised as the other)
            assert.strictEqual(error.reason, "NoSuchContainer")
            assert.strictEqual(error.operation, operation)
            assert.isTrue((error.exitCode === undefined) !== (error.status === undefined))
            assert.match(error.stderr, /no such container/)
          }
        }
      }))
  })

  describe("exec", () => {
    it.scoped("returns stdout, stderr and the exit code; a failing command is a result", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("exec")
        yield* (yield* Fixtures).running(name)
        assert.deepStrictEqual(yield* runtime.exec(name, ["echo", "hello", "world"]), {
          exitCode: 0,
          stdout: "hello world\n",
          stderr: ""
        })
        assert.strictEqual((yield* runtime.exec(runtime.container(name), ["sh", "-c", "exit 3"])).exitCode, 3)
        assert.strictEqual((yield* runtime.exec(name, ["cat", "/data/greeting.txt"])).stdout, "hello from the image\n")
        const missing = yield* runtime.exec(name, ["no-such-command"])
        assert.strictEqual(missing.exitCode, 127)
        assert.match(missing.stderr, /executable file not found/)
      }))

    it.scoped("a container that is not running, or absent, is a NonZeroExit", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("execcreated")
        yield* (yield* Fixtures).created(name)
        assert.strictEqual(yield* failureReason(runtime.exec(name, ["true"])), "NonZeroExit:NotRunning")
        assert.strictEqual(
          yield* failureReason(runtime.exec(uniqueName("absent"), ["true"])),
          "NonZeroExit:NoSuchContainer"
        )
      }))
  })

  describe("copyIn", () => {
    it.scoped("copies a file, and a directory contents-first without losing what is there", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const dir = yield* hostDir
        mkdirSync(join(dir, "tree", "sub"), { recursive: true })
        writeFileSync(join(dir, "tree", "a.txt"), "A\n")
        writeFileSync(join(dir, "tree", "sub", "b.txt"), "B\n")
        writeFileSync(join(dir, "single.txt"), "single\n")
        const name = uniqueName("copy")
        yield* (yield* Fixtures).created(name)
        const container = runtime.container(name)
        yield* container.copyIn(join(dir, "tree"), "/data")
        yield* container.copyIn(join(dir, "single.txt"), "/data/renamed.txt")
        yield* container.start
        const read = (path: string) => Effect.map(runtime.exec(name, ["cat", path]), (r) => r.stdout)
        assert.strictEqual(yield* read("/data/a.txt"), "A\n")
        assert.strictEqual(yield* read("/data/sub/b.txt"), "B\n")
        assert.strictEqual(yield* read("/data/renamed.txt"), "single\n")
        assert.strictEqual(yield* read("/data/greeting.txt"), "hello from the image\n")
      }))

    it.scoped("a source spelled NAME:PATH is a host path, never another container's file", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        const victim = uniqueName("victim")
        const thief = uniqueName("thief")
        yield* fixtures.running(victim)
        yield* fixtures.running(thief)
        const planted = yield* runtime.exec(victim, ["sh", "-c", "echo private > /tmp/private.txt"])
        assert.strictEqual(planted.exitCode, 0)
        assert.strictEqual(
          yield* failureTag(runtime.container(thief).copyIn(`${victim}:/tmp/private.txt`, "/stolen")),
          "NonZeroExit"
        )
        assert.strictEqual((yield* runtime.exec(thief, ["cat", "/stolen"])).exitCode, 1)
      }))

    it.scoped("a missing source or container is a NonZeroExit; the writable layer grows", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const dir = yield* hostDir
        writeFileSync(join(dir, "big.bin"), "x".repeat(64 * 1024))
        const name = uniqueName("copysize")
        yield* (yield* Fixtures).created(name)
        const container = runtime.container(name)
        const before = Option.getOrThrow(yield* container.rwSize)
        yield* container.copyIn(join(dir, "big.bin"), "/big.bin")
        const after = Option.getOrThrow(yield* container.rwSize)
        assert.isAtLeast(after - before, 64 * 1024)
        assert.strictEqual(yield* failureReason(container.copyIn(join(dir, "missing"), "/x")), "NonZeroExit:Other")
        assert.strictEqual(
          yield* failureReason(runtime.container(uniqueName("absent")).copyIn(join(dir, "big.bin"), "/x")),
          "NonZeroExit:NoSuchContainer"
        )
      }))
  })

  describe("listing", () => {
    it.scoped("containersWithPrefix, containerStates and containerRwSizes see exactly prefix-…", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        const prefix = uniqueName("list")
        yield* fixtures.running(`${prefix}-a`)
        yield* fixtures.created(`${prefix}-b`)
        yield* fixtures.created(`${prefix}x-c`) // shares the prefix but not "prefix-"
        const names = (yield* runtime.containersWithPrefix(prefix)).map((c) => c.name).sort()
        assert.deepStrictEqual(names, [`${prefix}-a`, `${prefix}-b`])
        const states = yield* runtime.containerStates(prefix)
        assert.deepStrictEqual(
          [...states].sort(),
          [[`${prefix}-a`, "running"], [`${prefix}-b`, "created"]]
        )
        const sizes = yield* runtime.containerRwSizes(prefix)
        assert.deepStrictEqual([...sizes.keys()].sort(), names)
        for (const size of sizes.values()) assert.isAtLeast(size, 0)
        assert.strictEqual((yield* runtime.containerStates(uniqueName("none"))).size, 0)
      }))

    it.effect("images lists tagged images with their details", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const image = (yield* runtime.images()).find((i) => i.ref === TEST_IMAGE)
        assert.isDefined(image)
        assert.deepStrictEqual(image!.repository, Option.some("localhost/effect-podman-test"))
        assert.deepStrictEqual(image!.tag, Option.some("latest"))
        assert.isAbove(Option.getOrThrow(image!.size), 1_000_000)
        assert.isTrue(Option.isSome(image!.created))
        for (const dangling of yield* runtime.images({ danglingOnly: true })) {
          assert.isTrue(Option.isNone(dangling.tag))
        }
      }))
  })

  describe("images", () => {
    it.effect("id, exists, labels and history of a present image", () =>
      Effect.gen(function*() {
        const image = (yield* ContainerRuntime).image(TEST_IMAGE)
        assert.match(Option.getOrThrow(yield* image.id), /^[0-9a-f]{64}$/)
        assert.isTrue(yield* image.exists)
        const labels = yield* image.labels
        assert.strictEqual(labels["effect-podman.fixture"], "true")
        assert.strictEqual(labels["org.opencontainers.image.title"], "effect-podman test image")
        const history = yield* image.history
        assert.isAtLeast(history.length, 5)
        assert.match(history[0]!, /CMD/)
        assert.isTrue(history.some((step) => step.includes("second layer")))
      }))

    it.effect("an absent image: id none, exists false, remove false; labels and history fail", () =>
      Effect.gen(function*() {
        const image = (yield* ContainerRuntime).image(`localhost/${uniqueName("noimage")}:latest`)
        assert.isTrue(Option.isNone(yield* image.id))
        assert.isFalse(yield* image.exists)
        assert.isFalse(yield* image.remove)
        assert.strictEqual(yield* failureReason(image.labels), "NonZeroExit:NoSuchImage")
        assert.strictEqual(yield* failureReason(image.history), "NonZeroExit:NoSuchImage")
      }))

    it.scoped("remove: an image in use stays (false); an unused tag goes (true)", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        yield* fixtures.created(uniqueName("inuse"))
        assert.isFalse(yield* runtime.image(TEST_IMAGE).remove)
        assert.isTrue(yield* runtime.image(TEST_IMAGE).exists)
        const ref = yield* fixtures.taggedImage(uniqueName("tag"))
        assert.isTrue(yield* runtime.image(ref).exists)
        assert.isTrue(yield* runtime.image(ref).remove)
        assert.isFalse(yield* runtime.image(ref).exists)
      }))
  })

  describe("forceRemove", () => {
    it.scoped("removes running and created containers; absent counts as removed; bad names are named", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        const [running, created, absent] = [uniqueName("rm"), uniqueName("rm"), uniqueName("rm")]
        yield* fixtures.running(running)
        yield* fixtures.created(created)
        const results = yield* runtime.forceRemove([running, runtime.container(created), absent, "-bad"])
        assert.deepStrictEqual(results.map((r) => [r.name, r.removed]), [
          [running, true],
          [created, true],
          [absent, true],
          ["-bad", false]
        ])
        assert.match(Option.getOrThrow(results[3]!.error), /flag/)
        assert.isTrue(Option.isNone(yield* runtime.container(running).state))
        assert.isTrue(Option.isNone(yield* runtime.container(created).state))
        assert.deepStrictEqual(yield* runtime.forceRemove([]), [])
      }))
  })

  describe("bad input is refused before anything runs", () => {
    it.effect("names podman would read as flags, NUL bytes, empty argv", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const refused = [
          runtime.container("--all").state,
          runtime.container("a\0b").start,
          runtime.container("").stop(),
          runtime.image("-q").exists,
          runtime.containerStates(""),
          runtime.exec("web", [] as unknown as readonly [string]),
          runtime.exec("web", ["echo", "a\0b"]),
          runtime.container("web").copyIn("--help", "/x"),
          runtime.exec("web", ["pwd"], { workdir: "relative" }),
          runtime.container("web").stop({ timeout: -1 }),
          runtime.container("web").stop({ timeout: Duration.infinity }),
          // negative or non-finite bounds, an interval that would poll podman in a tight loop
          runtime.container("web").stop({ timeout: "-5 seconds" }),
          runtime.container("web").restart({ timeout: "NaN millis" as Duration.DurationInput }),
          runtime.container("web").exec(["true"], { timeout: Number.NaN }),
          runtime.container("web").wait({ timeout: "-1 seconds" }),
          Stream.runDrain(runtime.container("web").statsStream({ interval: 0 })),
          Stream.runDrain(runtime.container("web").statsStream({ interval: -1 }))
        ]
        for (const effect of refused) {
          const exit = yield* Effect.exit(effect)
          assert.isTrue(Exit.isFailure(exit))
          assert.strictEqual(yield* failureTag(effect), "InvalidArgument")
        }
        // sizes past an exact number of bytes (the CLI wrapped them to no limit), a CPU count past
        // any host (the API made a container with no CPU limit): refused with the spec
        for (
          const spec of [
            { memory: "18446744073709551616b" },
            { shmSize: "99999999999999999999g" },
            { cpus: Infinity },
            { cpus: 1e308 }
          ]
        ) {
          assert.strictEqual(
            yield* failureTag(Effect.scoped(runtime.create({ image: TEST_IMAGE, ...spec }))),
            "SpecError"
          )
        }
      }))

    it.effect("loginCommand builds an interactive exec argv", () =>
      Effect.gen(function*() {
        const container = (yield* ContainerRuntime).container("web")
        // after the binary, a layer may add global options (the REST layer: --url unix://…)
        const login = container.loginCommand()
        assert.strictEqual(login[0], "podman")
        assert.deepStrictEqual(login.slice(-8), ["exec", "-it", "web", "tmux", "new-session", "-A", "-s", "main"])
        assert.deepStrictEqual(container.loginCommand(["sh"]).slice(-4), ["exec", "-it", "web", "sh"])
      }))
  })
}
