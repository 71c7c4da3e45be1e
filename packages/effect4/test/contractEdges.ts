/**
 * The contract at the edges, on the three layers: bounds (a readiness deadline, a caller's bound on
 * `wait`), what the main process is given (the spec's environment, user and directory) and how its
 * shell reads a script, forced removal, and what a hostile or careless caller passes — names podman
 * would read as flags, a `NAME:PATH` copy source, secrets in the wrong shape, spec fields that
 * would change podman's reading — refused before anything runs, never quoting a secret.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Equal, Exit, Hash, Logger, Option, Redacted, References, Sink, Stream } from "effect"
import { CGROUPLESS } from "../../shared/test/crossEdition/hostMode.js"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, PodmanError, Wait } from "../src/index.js"
import type { ContainerSpec } from "../src/index.js"
import { recordSpans } from "./tracing.js"

const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

const SECRET = "s3cr3t-value-4242"

/** Everything an error shows: its message, its fields, its cause. */
const printed = (error: unknown) => `${String(error)} ${JSON.stringify(error)} ${(error as Error).message ?? ""}`

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

export const edgesContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) =>
  describe("at the edges", () => {
    it.effect("a wait that never succeeds is WaitFailed at the deadline, with the log's tail, and the container is gone", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const namePrefix = unique("deadline")
        const error = yield* Effect.flip(Effect.scoped(runtime.run(
          { image: TEST_IMAGE, namePrefix, command: ["sh", "-c", "echo starting; echo still starting; sleep 3600"] },
          { wait: Wait.forLog(/^never$/), deadline: "2 seconds" }
        )))
        assert.strictEqual(error._tag, "WaitFailed")
        if (error._tag === "WaitFailed") {
          assert.match(error.container, new RegExp(`^${namePrefix}-`))
          assert.deepStrictEqual(error.logTail, ["starting", "still starting"])
        }
        assert.deepStrictEqual(yield* runtime.containersWithPrefix(namePrefix), [])
      }))

    it.effect("wait with a bound is Timeout CallerBound while the container runs on; an exited one's code at once, a created one's 0", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const c = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-bound", command: ["sleep", "3600"] })
        const bounded = yield* Effect.flip(c.wait({ timeout: "300 millis" }))
        assert.deepStrictEqual([bounded._tag, bounded._tag === "Timeout" ? bounded.reason._tag : ""], [
          "Timeout",
          "CallerBound"
        ])
        assert.deepStrictEqual(yield* c.state, Option.some("running"))
        const job = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-bound", command: ["sh", "-c", "exit 7"] })
        assert.strictEqual(yield* job.wait(), 7)
        assert.strictEqual(yield* job.wait({ timeout: "1 second" }), 7)
        // podman's wait answers at once for a container that is not running: 0, never started;
        // a stop of it changes nothing
        // a stop with no grace is a SIGKILL at once
        const killed = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-bound", command: ["sleep", "3600"] })
        yield* killed.stop({ timeout: 0 })
        assert.strictEqual(yield* killed.wait(), 137)
        const created = yield* runtime.create({ image: TEST_IMAGE, namePrefix: "ep4-bound" })
        assert.strictEqual(yield* created.wait({ timeout: "10 seconds" }), 0)
        yield* created.stop()
        assert.deepStrictEqual(yield* created.state, Option.some("created"))
      }))

    it.effect("the spec's env, user and workdir reach the main process and exec; the shell reads a script as busybox does", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const spec = {
          image: TEST_IMAGE,
          namePrefix: "ep4-env",
          env: { GREETING: "hello  there" },
          user: "1000:1001",
          workdir: "/tmp"
        }
        const script = "echo \"$GREETING\"; echo $GREETING; pwd; id -u; id -g"
        const expected = ["hello  there", "hello there", "/tmp", "1000", "1001"]
        const main = yield* runtime.run({ ...spec, command: ["sh", "-c", script] })
        assert.strictEqual(yield* main.wait(), 0)
        assert.deepStrictEqual([...yield* Stream.runCollect(main.logs())], expected)
        const c = yield* runtime.run({ ...spec, command: ["sleep", "3600"] })
        assert.deepStrictEqual(yield* c.exec(["sh", "-c", script]), {
          exitCode: 0,
          stdout: expected.map((line) => `${line}\n`).join(""),
          stderr: ""
        })
        // as root (the image's user): busybox's sh, read as it reads a script
        const root = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-sh", command: ["sleep", "3600"] })
        const sh = (line: string) => root.exec(["sh", "-c", line])
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
        // as the main process: `false && echo never` exits 1 and logs nothing
        const andand = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-andand",
          command: ["sh", "-c", "false && echo never"]
        })
        assert.strictEqual(yield* andand.wait(), 1)
        assert.deepStrictEqual([...yield* Stream.runCollect(andand.logs())], [])
      }))

    it.effect("handles on one container or image are Equal, a managed container's too; on another, not", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        assert.isTrue(Equal.equals(runtime.container("a"), runtime.container("a")))
        assert.isFalse(Equal.equals(runtime.container("a"), runtime.container("b")))
        assert.isTrue(Equal.equals(runtime.image("x:1"), runtime.image("x:1")))
        assert.isFalse(Equal.equals(runtime.image("a"), runtime.container("a")))
        const c = yield* runtime.create({ image: TEST_IMAGE, namePrefix: "ep4-equal" })
        assert.isTrue(Equal.equals(c, runtime.container(c.name)))
        assert.strictEqual(Hash.hash(c), Hash.hash(runtime.container(c.name)))
        assert.isTrue(
          Equal.equals(
            Option.getOrThrow(
              Option.fromNullishOr((yield* runtime.containersWithPrefix("ep4-equal")).find((h) => h.name === c.name))
            ),
            c
          )
        )
      }))

    it.effect("the removal of a scoped container is traced under the span that owns its scope, not the ended create span", () => {
      const { spans, traced } = recordSpans()
      return traced(Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const name = unique("traced")
        yield* Effect.scoped(runtime.create({ image: TEST_IMAGE, name })).pipe(Effect.withSpan("owner"))
        const owner = spans.find((span) => span.name === "owner")!
        const removal = spans.find((span) =>
          span.name === "podman container.remove" && span.attributes.get("podman.container") === name
        )
        assert.isDefined(removal)
        assert.strictEqual(Option.getOrUndefined(removal!.parent)?.spanId, owner.spanId)
        assert.deepStrictEqual(yield* runtime.container(name).state, Option.none())
      }))
    })

    it.effect("forceRemove never fails: one result per container, in order — running, created and absent ones removed, a name read as a flag refused and logged at debug", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const namePrefix = unique("rm")
        const running = yield* runtime.run({ image: TEST_IMAGE, namePrefix, command: ["sleep", "3600"] })
        const created = yield* runtime.create({ image: TEST_IMAGE, namePrefix })
        const logged: Array<string> = []
        const capture = Logger.layer([Logger.make((options) => {
          logged.push(`${options.logLevel}: ${String(options.message)}`)
        })])
        const results = yield* runtime.forceRemove([running, created.name, `${namePrefix}-absent`, "--all"]).pipe(
          Effect.provide(capture),
          Effect.provideService(References.MinimumLogLevel, "Debug")
        )
        assert.deepStrictEqual(results.map((r) => [r.name, r.removed, Option.isSome(r.error)]), [
          [running.name, true, false],
          [created.name, true, false],
          [`${namePrefix}-absent`, true, false],
          ["--all", false, true]
        ])
        assert.match(Option.getOrThrow(results[3]!.error), /^invalid container name "--all": .*; nothing was run$/)
        assert.deepStrictEqual(logged.filter((line) => line.includes("forced removal")), [
          `Debug: forced removal of container --all failed: ${Option.getOrThrow(results[3]!.error)}`
        ])
        assert.deepStrictEqual(yield* runtime.containersWithPrefix(namePrefix), [])
        assert.deepStrictEqual(yield* runtime.forceRemove([]), [])
      }))

    it.effect("names podman would read as flags, NUL bytes, an empty argv, a signal it cannot send: InvalidArgument before anything runs", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const web = runtime.container(unique("web"))
        const refused: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }>> = [
          runtime.container("--all").state,
          runtime.container("a\0b").start,
          runtime.container("").stop(),
          runtime.image("-q").exists,
          runtime.containerStates(""),
          web.exec([] as unknown as readonly [string]),
          web.exec(["echo", "a\0b"]),
          web.copyIn("--help", "/x"),
          web.exec(["pwd"], { workdir: "relative" }),
          runtime.execStdio(web, ["pwd"], { stdin: Stream.empty, stdout: Sink.drain, workdir: "relative" }),
          web.kill("--all"),
          // a signal podman cannot send: an unknown name, 0, past 64
          web.kill("SIGNOPE"),
          web.kill("0"),
          web.kill("99"),
          Stream.runDrain(runtime.events("ep", { since: new Date(Number.NaN) }))
        ]
        for (const effect of refused) {
          const exit = yield* Effect.exit(effect)
          assert.isTrue(Exit.isFailure(exit))
          assert.strictEqual(yield* tagOf(effect), "InvalidArgument")
        }
      }))

    it.effect("signals under init as busybox's sleep takes them: WINCH and CONT ignored, PIPE and RTMIN+3 end it with 128 + their number", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const sleeper = () => runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-sig", command: ["sleep", "3600"] })
        const c = yield* sleeper()
        yield* c.kill("SIGWINCH")
        yield* c.kill("CONT")
        // a second call answers after podman delivered the signals; the process is still there
        assert.deepStrictEqual((yield* c.exec(["true"])).exitCode, 0)
        assert.deepStrictEqual(yield* c.state, Option.some("running"))
        for (const [signal, code] of [["SIGPIPE", 141], ["RTMIN+3", 165]] as const) {
          const ended = yield* sleeper()
          yield* ended.kill(signal)
          assert.strictEqual(yield* ended.wait({ timeout: "20 seconds" }), code)
        }
      }))

    it.effect("a paused container: start, stop and restart refused (it stays paused), SIGKILL ends it; a created one cannot be paused", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        // podman's words (the CLI's wrap the API's with what it was doing: compared at their core)
        const words = (effect: Effect.Effect<unknown, { readonly _tag: string }>) =>
          Effect.map(
            Effect.flip(effect),
            (error) =>
              error instanceof PodmanError.NonZeroExit
                ? `${error.reason._tag}: ${
                  error.stderr.trim().replace(/[0-9a-f]{64}/g, "ID").replace(
                    /^Error: unable to start container "ID": /,
                    "Error: "
                  )
                }`
                : error._tag
          )
        const created = yield* runtime.create({ image: TEST_IMAGE, namePrefix: "ep4-paused" })
        assert.strictEqual(
          yield* words(created.pause),
          "NotRunning: Error: \"created\" is not running, can't pause: container state improper"
        )
        const c = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-paused", command: ["sleep", "3600"] })
        if (CGROUPLESS) {
          // rootless under cgroup v1 nothing can be paused; an unpause is refused for the host by the
          // CLI (and the model), for the state by the API
          assert.strictEqual(
            yield* words(c.pause),
            "Unsupported: Error: can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup"
          )
          assert.include([
            "Unsupported: Error: unpause is not supported for cgroupv1 rootless containers",
            "NotRunning: Error: \"ID\" is not paused, can't unpause: container state improper"
          ], yield* words(c.unpause))
          assert.deepStrictEqual(yield* c.state, Option.some("running"))
          return
        }
        yield* c.pause
        assert.strictEqual(
          yield* words(c.start),
          "NotRunning: Error: container ID must be in Created or Stopped state to be started: container state improper"
        )
        assert.strictEqual(
          yield* words(c.stop({ timeout: "1 second" })),
          "NotRunning: Error: container ID is running or paused, refusing to clean up: container state improper"
        )
        assert.strictEqual(
          yield* words(c.restart({ timeout: "1 second" })),
          "NotRunning: Error: unable to restart a container in a paused or unknown state: container state improper"
        )
        assert.deepStrictEqual(yield* c.state, Option.some("paused"))
        yield* c.kill("SIGKILL")
        assert.strictEqual(yield* c.wait({ timeout: "20 seconds" }), 137)
        assert.strictEqual(
          yield* words(c.unpause),
          "NotRunning: Error: \"ID\" is not paused, can't unpause: container state improper"
        )
      }))

    it.effect("the environment podman gives: PATH, TERM, container, the spec's, HOME by user, HOSTNAME for the main process only", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const main = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-env", env: { A: "1" }, command: ["env"] })
        assert.strictEqual(yield* main.wait(), 0)
        // (in an order that differs between podman's CLI and its API: compared sorted)
        const lines = [...yield* Stream.runCollect(main.logs())].map((line) =>
          line.replace(/^HOSTNAME=[0-9a-f]{12}$/, "HOSTNAME=…")
        ).sort()
        const path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        assert.deepStrictEqual(lines, ["A=1", "HOME=/root", "HOSTNAME=…", path, "TERM=xterm", "container=podman"])
        const c = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-env",
          env: { A: "1" },
          command: ["sleep", "3600"]
        })
        const env = (options: ContainerRuntime.ExecOptions) =>
          Effect.map(
            c.exec(["env"], options),
            (result) => result.stdout.split("\n").filter((line) => line !== "").sort()
          )
        assert.deepStrictEqual(yield* env({ env: { B: "2" } }), [
          "A=1",
          "B=2",
          "HOME=/root",
          path,
          "TERM=xterm",
          "container=podman"
        ])
        assert.include(yield* env({ user: "1000" }), "HOME=/")
        // and sh's exit and redirections as busybox takes them
        const sh = (line: string) => c.exec(["sh", "-c", line])
        assert.deepStrictEqual(yield* sh("exit 300"), { exitCode: 44, stdout: "", stderr: "" })
        assert.deepStrictEqual(yield* sh("exit -1"), {
          exitCode: 2,
          stdout: "",
          stderr: "sh: exit: line 0: Illegal number: -1\n"
        })
        assert.deepStrictEqual(yield* sh("echo x > /data; echo $?"), {
          exitCode: 0,
          stdout: "1\n",
          stderr: "sh: can't create /data: Is a directory\n"
        })
        assert.deepStrictEqual(yield* sh("cd /data; cd ../www/.; pwd; cat ../data/second.txt"), {
          exitCode: 0,
          stdout: "/www\nsecond layer\n",
          stderr: ""
        })
        assert.deepStrictEqual(yield* sh("sleep abc"), {
          exitCode: 1,
          stdout: "",
          stderr: "sleep: invalid number 'abc'\n"
        })
        // exec: the command replaces the shell (what follows never runs); a missing one is 127
        assert.deepStrictEqual(yield* sh("echo a; exec echo b; echo c"), { exitCode: 0, stdout: "a\nb\n", stderr: "" })
        assert.deepStrictEqual(yield* sh("exec nosuch; echo after"), {
          exitCode: 127,
          stdout: "",
          stderr: "sh: exec: line 0: nosuch: not found\n"
        })
        // a folder the container lacks: cd fails (2) and the script goes on; an exec there does not start (127)
        assert.deepStrictEqual(yield* sh("cd /nonexistent; echo $?; cd /tmp && pwd"), {
          exitCode: 0,
          stdout: "2\n/tmp\n",
          stderr: "sh: cd: line 0: can't cd to /nonexistent: No such file or directory\n"
        })
        const nowhere = yield* c.exec(["true"], { workdir: "/nonexistent" })
        assert.strictEqual(nowhere.exitCode, 127)
        assert.match(
          nowhere.stderr,
          /chdir to cwd \("\/nonexistent"\) set in config\.json failed: no such file or directory/
        )
        assert.deepStrictEqual(yield* c.exec(["sh"], { stdin: "echo from stdin\nexit 4\n" }), {
          exitCode: 4,
          stdout: "from stdin\n",
          stderr: ""
        })
        assert.deepStrictEqual(yield* c.exec(["cat", "/data/second.txt", "-"], { stdin: "and stdin" }), {
          exitCode: 0,
          stdout: "second layer\nand stdin",
          stderr: ""
        })
        assert.deepStrictEqual(yield* c.exec(["id"]), { exitCode: 0, stdout: "uid=0(root) gid=0(root)\n", stderr: "" })
      }))

    it.effect("busybox's wget inside: a page, a 404, a closed port on localhost, a name podman's default network does not resolve", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const web = yield* runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep4-wget", command: ["httpd", "-f", "-p", "80", "-h", "/www"] },
          { wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://localhost/"]), deadline: "30 seconds" }
        )
        const wget = (url: string) => web.exec(["busybox", "wget", "-q", "-O", "-", url])
        assert.deepStrictEqual(yield* wget("http://localhost/"), {
          exitCode: 0,
          stdout: "<h1>effect-podman</h1>\n",
          stderr: ""
        })
        assert.deepStrictEqual(yield* wget("http://localhost/nope.html"), {
          exitCode: 1,
          stdout: "",
          stderr: "wget: server returned error: HTTP/1.1 404 Not Found\n"
        })
        assert.deepStrictEqual(yield* wget("http://localhost:81/"), {
          exitCode: 1,
          stdout: "",
          stderr: "wget: can't connect to remote host (127.0.0.1): Connection refused\n"
        })
        const other = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-wget", command: ["sleep", "3600"] })
        assert.deepStrictEqual(
          yield* other.exec(["busybox", "wget", "-q", "-O", "-", `http://${web.name}/`]),
          { exitCode: 1, stdout: "", stderr: `wget: bad address '${web.name}'\n` }
        )
      }))

    it.effect("a copy source spelled NAME:PATH is a host path, never another container's file", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const victim = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-victim", command: ["sleep", "3600"] })
        const thief = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-thief", command: ["sleep", "3600"] })
        assert.strictEqual((yield* victim.exec(["sh", "-c", "echo private > /tmp/private.txt"])).exitCode, 0)
        const stolen = yield* Effect.flip(thief.copyIn(`${victim.name}:/tmp/private.txt`, "/stolen"))
        assert.strictEqual(stolen._tag === "NonZeroExit" ? stolen.reason._tag : stolen._tag, "Other")
        assert.strictEqual((yield* thief.exec(["cat", "/stolen"])).exitCode, 1)
      }))

    it.effect("secrets in the wrong shape are SpecErrors that do not quote them; an execStdio env value holding NUL is refused unshown", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const specs: ReadonlyArray<ContainerSpec.ContainerSpecInput> = [
          // a plain string where a Redacted is expected
          { image: TEST_IMAGE, secretEnv: { API_TOKEN: SECRET as unknown as Redacted.Redacted<string> } },
          // a number where a string is expected, under a sensitive key
          { image: TEST_IMAGE, env: { DB_PASSWORD: 987654321 as unknown as string } },
          // a secret the kernel could not pass (NUL)
          { image: TEST_IMAGE, secretEnv: { API_TOKEN: Redacted.make(`${SECRET}\0tail`) } }
        ]
        for (const spec of specs) {
          const error = yield* Effect.flip(Effect.scoped(runtime.create(spec)))
          assert.strictEqual(error._tag, "SpecError")
          assert.notInclude(printed(error), SECRET)
          assert.notInclude(printed(error), "987654321")
        }
        const c = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-envnul", command: ["sleep", "3600"] })
        const error = yield* Effect.flip(
          runtime.execStdio(c, ["true"], { stdin: Stream.empty, stdout: Sink.drain, env: { SETTING: `${SECRET}\0x` } })
        )
        assert.strictEqual(error._tag, "InvalidArgument")
        assert.include(error.message, "SETTING")
        assert.notInclude(printed(error), SECRET)
      }))

    it.effect("label keys, host IPs, tmpfs sizes, mount fields and variable names that would change podman's reading are SpecErrors, named; nothing is created", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const namePrefix = unique("refused")
        const specs: ReadonlyArray<ContainerSpec.ContainerSpecInput> = [
          { image: TEST_IMAGE, namePrefix, labels: { "": "empty key" } },
          { image: TEST_IMAGE, namePrefix, labels: { "a=b": "key with =" } },
          { image: TEST_IMAGE, namePrefix, ports: [{ container: 80, hostIp: "127.0.0.1:9999" }] },
          { image: TEST_IMAGE, namePrefix, mounts: [{ type: "tmpfs", target: "/t", size: "1m,tmpfs-mode=0777" }] },
          // keys a record's schema would have left out without a word: each is named
          { image: TEST_IMAGE, namePrefix, env: { "BAD=NAME": "x", GOOD: "y" } },
          { image: TEST_IMAGE, namePrefix, secretEnv: { "1X": Redacted.make(SECRET) } },
          { image: TEST_IMAGE, namePrefix, extraHosts: { "-bad host": "10.0.0.5" } },
          // a relative working directory (podman would fail only at start)
          { image: TEST_IMAGE, namePrefix, workdir: "relative" }
        ]
        const named = ["BAD=NAME", "1X", "-bad host"]
        for (const spec of specs) {
          const error = yield* Effect.flip(Effect.scoped(runtime.create(spec)))
          assert.strictEqual(error._tag, "SpecError")
          const key = named.find((k) => JSON.stringify(spec).includes(k))
          if (key !== undefined) assert.include(error.message, JSON.stringify(key))
          assert.notInclude(printed(error), SECRET)
        }
        assert.deepStrictEqual(yield* runtime.containersWithPrefix(namePrefix), [], "nothing was created")
      }))
  })
