/**
 * The contract of a container's processes: what `sh -c` does with `&&`, `||`, quotes, `$?`,
 * redirections and `exec`; a program the image lacks; the spec's env, user and workdir — as a main process
 * and in `exec`. The model answers these as podman does (it dies on what it cannot run).
 */
import { assert, describe } from "@effect/vitest"
import { Chunk, Effect, Logger, Option, Stream } from "effect"
import { CGROUPLESS } from "../../../shared/test/crossEdition/hostMode.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason, failureTag } from "./helpers.js"
import type { ContractIt } from "./suite.js"

const logsOf = (name: string) =>
  Effect.flatMap(ContainerRuntime, (runtime) => Stream.runCollect(runtime.container(name).logs())).pipe(
    Effect.map(Chunk.toArray)
  )

export const processesContract = (it: ContractIt) => {
  describe("processes", () => {
    it.scoped("sh: && runs on success only, || on failure; quotes keep ; and && literal; $?; > and >>", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("sh")
        yield* (yield* Fixtures).running(name)
        const sh = (script: string) => runtime.exec(name, ["sh", "-c", script])
        assert.deepStrictEqual(yield* sh("false && echo never"), { exitCode: 1, stdout: "", stderr: "" })
        assert.deepStrictEqual(yield* sh("false || echo alt; true && echo both"), {
          exitCode: 0,
          stdout: "alt\nboth\n",
          stderr: ""
        })
        assert.deepStrictEqual(yield* sh(`echo "a;b" 'c && d'; exit 4`), {
          exitCode: 4,
          stdout: "a;b c && d\n",
          stderr: ""
        })
        assert.deepStrictEqual(yield* sh("echo $?; false; echo $? >&2"), { exitCode: 0, stdout: "0\n", stderr: "1\n" })
        assert.deepStrictEqual(
          yield* sh("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; echo gone 2>&1 >/dev/null"),
          { exitCode: 0, stdout: "one\ntwo\n", stderr: "" }
        )
        assert.deepStrictEqual(yield* sh("no-such-program"), {
          exitCode: 127,
          stdout: "",
          stderr: "sh: no-such-program: not found\n"
        })
        // exec: the command replaces the shell (what follows never runs); a missing one is 127
        assert.deepStrictEqual(yield* sh("echo a; exec echo b; echo c"), { exitCode: 0, stdout: "a\nb\n", stderr: "" })
        assert.deepStrictEqual(yield* sh("exec nosuch; echo after"), {
          exitCode: 127,
          stdout: "",
          stderr: "sh: exec: line 0: nosuch: not found\n"
        })
      }))

    it.scoped("as the main process: `false && echo never` exits 1 and logs nothing", () =>
      Effect.gen(function*() {
        const name = uniqueName("andand")
        yield* (yield* Fixtures).exited(name, 1, ["sh", "-c", "false && echo never"])
        assert.strictEqual(yield* (yield* ContainerRuntime).container(name).wait(), 1)
        assert.deepStrictEqual(yield* logsOf(name), [])
      }))

    it.scoped("a program the image lacks: exit 1 under init (catatonit says why), a failed start without", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const withInit = yield* runtime.create({
          image: TEST_IMAGE,
          namePrefix: "ep-noexe",
          command: ["/no/such"],
          init: true
        })
        yield* withInit.start
        assert.strictEqual(yield* withInit.wait(), 1)
        assert.match((yield* logsOf(withInit.name)).join("\n"), /failed to exec pid1: No such file or directory/)
        const bare = yield* runtime.create({
          image: TEST_IMAGE,
          namePrefix: "ep-noexe",
          command: ["/no/such"],
          init: false
        })
        assert.strictEqual(yield* failureReason(bare.start), "NonZeroExit:Other")
        const error = yield* Effect.flip(bare.start)
        assert.match(error.message, /no such file or directory/)
        assert.deepStrictEqual(yield* bare.state, Option.some("created"))
      }))

    it.scoped("the spec's env, user and workdir reach the main process and exec", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const spec = {
          image: TEST_IMAGE,
          env: { GREETING: "hello  there" },
          user: "1000:1001",
          workdir: "/tmp",
          init: true
        }
        const script = "echo \"$GREETING\"; echo $GREETING; pwd; id -u; id -g"
        const expected = ["hello  there", "hello there", "/tmp", "1000", "1001"]
        const main = yield* runtime.create({ ...spec, namePrefix: "ep-env", command: ["sh", "-c", script] })
        yield* main.start
        assert.strictEqual(yield* main.wait(), 0)
        assert.deepStrictEqual(yield* logsOf(main.name), expected)
        const running = yield* runtime.create({ ...spec, namePrefix: "ep-env", command: ["sleep", "3600"] })
        yield* running.start
        const result = yield* running.exec(["sh", "-c", script])
        assert.deepStrictEqual(result, {
          exitCode: 0,
          stdout: expected.map((line) => `${line}\n`).join(""),
          stderr: ""
        })
      }))

    it.scoped("kill, pause, unpause, restart: states, exit codes and refusals as podman gives them", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("signals")
        yield* (yield* Fixtures).running(name) // sleep 3600 under an init
        const c = runtime.container(name)
        if (CGROUPLESS) {
          // rootless under cgroup v1 podman cannot pause: a refusal of its own, the container runs on
          assert.strictEqual(yield* failureReason(c.pause), "NonZeroExit:Unsupported")
          // an unpause: the CLI refuses it for the host first, the API for the state (nothing is paused)
          assert.include(["NonZeroExit:Unsupported", "NonZeroExit:NotRunning"], yield* failureReason(c.unpause))
          assert.deepStrictEqual(yield* c.state, Option.some("running"))
        } else {
          yield* c.pause
          assert.deepStrictEqual(yield* c.state, Option.some("paused"))
          assert.strictEqual(yield* failureReason(c.exec(["true"])), "NonZeroExit:NotRunning")
          assert.strictEqual(yield* failureReason(c.pause), "NonZeroExit:NotRunning")
          yield* c.unpause
          assert.strictEqual(yield* failureReason(c.unpause), "NonZeroExit:NotRunning")
        }
        assert.strictEqual((yield* c.exec(["true"])).exitCode, 0)
        yield* c.kill("SIGUSR1") // the init forwards it; sleep dies of it
        assert.strictEqual(yield* c.wait(), 138)
        assert.strictEqual(yield* failureReason(c.kill()), "NonZeroExit:NotRunning")
        yield* c.restart({ timeout: 0 })
        assert.isTrue(yield* c.running)
        yield* c.kill()
        assert.strictEqual(yield* c.wait(), 137)
        assert.strictEqual(yield* failureTag(c.kill("--all")), "InvalidArgument")
        yield* c.start
        // a signal podman cannot send is refused before it runs
        for (const signal of ["NOPE", "0", "99"]) {
          assert.strictEqual(yield* failureTag(c.kill(signal)), "InvalidArgument")
        }
        assert.isTrue(yield* c.running)
      }))

    it.scoped("without an init, PID 1 ignores SIGTERM; SIGKILL ends it", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const c = yield* runtime.create({
          image: TEST_IMAGE,
          namePrefix: "ep-pid1",
          command: ["sleep", "3600"],
          init: false
        })
        yield* c.start
        yield* c.kill("SIGTERM")
        assert.isTrue(yield* c.running)
        yield* c.kill("KILL")
        assert.strictEqual(yield* c.wait(), 137)
      }))

    it.scoped("limits and settings: checked by the Schema, applied, reported by config", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const warned: Array<string> = []
        const c = yield* Effect.provide(
          runtime.create({
            image: TEST_IMAGE,
            namePrefix: "ep-limits",
            command: ["sleep", "3600"],
            init: true,
            memory: "64m",
            cpus: 0.5,
            pidsLimit: 50,
            restartPolicy: "on-failure",
            restartRetries: 3,
            hostname: "limited",
            extraHosts: { "db.local": "10.0.0.5" },
            capAdd: ["NET_ADMIN"],
            capDrop: ["MKNOD"],
            readOnly: true,
            // nproc too: a sandbox that cannot raise rlimits needs it at or below the host's
            ulimits: { nofile: { soft: 512, hard: 1024 }, nproc: { soft: 4096, hard: 4096 } },
            shmSize: "32m",
            mounts: [{ type: "tmpfs", target: "/scratch", mode: 0o1777 }]
          }),
          Logger.add(Logger.make(({ logLevel, message }) => {
            if (logLevel._tag === "Warning") warned.push(String(Array.isArray(message) ? message.join(" ") : message))
          }))
        )
        // what podman warned of, the caller hears: rootless under cgroup v1, the limits it ignored
        assert.deepStrictEqual(
          warned,
          CGROUPLESS
            ? [
              `podman created ${c.name} with a warning: Resource limits are not supported and ignored on cgroups V1 rootless systems`
            ]
            : []
        )
        const config = Option.getOrThrow(yield* c.config)
        // podman may drop more capabilities than asked (a host's containers.conf defaults: rootless
        // Debian drops CAP_AUDIT_WRITE and CAP_NET_RAW too): the one asked is dropped
        assert.include(config.capDrop, "CAP_MKNOD")
        assert.deepStrictEqual(
          {
            ...config,
            capDrop: config.capDrop.filter((cap) => cap === "CAP_MKNOD"),
            ulimits: { nofile: config.ulimits["nofile"] }
          },
          {
            hostname: "limited",
            // rootless under cgroup v1 podman applies no resource limit (it only warns)
            memory: CGROUPLESS ? Option.none() : Option.some(64 * 2 ** 20),
            cpus: CGROUPLESS ? Option.none() : Option.some(0.5),
            pidsLimit: CGROUPLESS ? Option.none() : Option.some(50),
            restartPolicy: { name: "on-failure", maxRetries: 3 },
            readOnly: true,
            capAdd: ["CAP_NET_ADMIN"],
            capDrop: ["CAP_MKNOD"],
            extraHosts: { "db.local": "10.0.0.5" },
            ulimits: { nofile: { soft: 512, hard: 1024 } },
            shmSize: 32 * 2 ** 20
          }
        )
        yield* c.start
        const denied = yield* c.exec(["sh", "-c", "echo x > /x"])
        assert.strictEqual(denied.exitCode, 1)
        assert.match(denied.stderr, /Read-only file system/)
        assert.strictEqual((yield* c.exec(["sh", "-c", "echo ok > /scratch/f; cat /scratch/f"])).stdout, "ok\n")
        const bad = yield* Effect.flip(Effect.scoped(runtime.create({
          image: TEST_IMAGE,
          memory: "lots",
          capAdd: ["net admin"],
          ulimits: { nofiles: { soft: 1, hard: 1 }, nproc: { soft: 2, hard: 1 } }
        })))
        assert.strictEqual(bad._tag, "SpecError")
        for (const field of ["- memory:", "- capAdd.0:", "nofiles", "soft limit exceeds"]) {
          assert.include(bad.message, field)
        }
      }))

    it.scoped("stats: a sample of a running container (its limit, its processes), zeros when stopped, a stream of them", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const c = yield* runtime.create({
          image: TEST_IMAGE,
          namePrefix: "ep-stats",
          command: ["sleep", "3600"],
          init: true,
          memory: "64m"
        })
        if (CGROUPLESS) {
          // rootless under cgroup v1 podman samples nothing, running or not: a refusal of its own
          assert.strictEqual(yield* failureReason(c.stats), "NonZeroExit:Unsupported")
          yield* c.start
          const refused = yield* Effect.flip(c.stats)
          assert.strictEqual(refused._tag === "NonZeroExit" ? refused.reason : refused._tag, "Unsupported")
          assert.match(refused.message, /cgroups? v2/)
          assert.strictEqual(
            yield* failureReason(Stream.runDrain(c.statsStream({ interval: "200 millis" }))),
            "NonZeroExit:Unsupported"
          )
          return
        }
        const idle = yield* c.stats
        assert.deepStrictEqual([idle.memoryUsed, idle.memoryLimit, idle.pids], [0, 0, 0])
        yield* c.start
        // the init forks the command a moment after the start answers: sampled until both are there
        const sample = yield* Effect.repeat(c.stats, { until: (s) => s.pids >= 2, times: 200 })
        assert.strictEqual(sample.memoryLimit, 64 * 2 ** 20)
        assert.strictEqual(sample.pids, 2) // the init and sleep
        assert.isAbove(sample.memoryUsed, 0)
        assert.isAtLeast(sample.cpuPercent, 0)
        const samples = Chunk.toArray(
          yield* Stream.runCollect(Stream.take(c.statsStream({ interval: "200 millis" }), 3))
        )
        assert.strictEqual(samples.length, 3)
        assert.isTrue(samples.every((s) => s.pids === 2))
        assert.isAtLeast(samples[2]!.time.getTime() - samples[0]!.time.getTime(), 300)
        assert.strictEqual(
          yield* failureReason(runtime.container(uniqueName("absent")).stats),
          "NonZeroExit:NoSuchContainer"
        )
      }))
  })
}
