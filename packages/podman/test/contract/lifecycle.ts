/** The contract of create / run (scoped containers), wait strategies, and sweep. */
import { assert, describe } from "@effect/vitest"
import { Effect, Exit, Option, Scope, Stream } from "effect"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Wait from "../../src/Wait.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason, hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

const HTTPD = ["httpd", "-f", "-p", "80", "-h", "/www"]

/** The state of a container by name, after the fact. */
const stateOf = (name: string) => Effect.flatMap(ContainerRuntime, (runtime) => runtime.container(name).state)

export const lifecycleContract = (it: ContractIt) => {
  describe("create and run", () => {
    it.effect("create makes a labelled container that lives exactly as long as its scope", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const scope = yield* Scope.make()
        const container = yield* Scope.extend(
          runtime.create({ image: TEST_IMAGE, namePrefix: uniqueName("create"), labels: { team: "a" } }),
          scope
        )
        assert.deepStrictEqual(yield* container.state, Option.some("created"))
        const labelled = yield* runtime.containerStates(container.name.slice(0, container.name.lastIndexOf("-")))
        assert.deepStrictEqual([...labelled.keys()], [container.name])
        yield* Scope.close(scope, Exit.void)
        assert.isTrue(Option.isNone(yield* stateOf(container.name)))
      }))

    it.scoped("run starts it; Wait.forLog catches a line printed in the first millisecond", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const container = yield* runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep-first", command: ["sh", "-c", "echo READY; sleep 3600"] },
          { wait: Wait.forLog(/^READY$/), deadline: "30 seconds" }
        )
        assert.isTrue(yield* container.running)
      }))

    it.scoped("httpd on a reserved port: Wait.forPort and Wait.forHttp, then the page is served", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const web = yield* runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep-web", command: HTTPD, ports: [{ container: 80 }] },
          { wait: Wait.all(Wait.forPort(80), Wait.forHttp("/", { port: 80 })), deadline: "30 seconds" }
        )
        const port = web.mappedPort(80)
        assert.deepStrictEqual(web.hostPort(80), Option.some(port))
        assert.strictEqual(web.url(80), `http://127.0.0.1:${port}/`)
        const body = yield* Effect.promise(() => fetch(web.url(80, "index.html")).then((r) => r.text()))
        assert.strictEqual(body, "<h1>effect-podman</h1>\n")
        assert.deepStrictEqual(web.hostPort(81), Option.none())
        assert.throws(() => web.mappedPort(81), /port 81 of ep-web-\w+ is not published \(published: 80\/tcp\)/)
        assert.throws(() => web.url(81), /is not published/)
      }))

    it.scoped("Wait.forAllPorts: every published port; none published fails at once", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const web = yield* runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep-allports", command: HTTPD, ports: [{ container: 80 }] },
          { wait: Wait.forAllPorts(), deadline: "30 seconds" }
        )
        assert.strictEqual(yield* Effect.promise(() => fetch(web.url(80)).then((r) => r.status)), 200)
        const none = yield* Effect.flip(Effect.scoped(runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep-allports", command: HTTPD },
          { wait: Wait.forAllPorts(), deadline: "60 seconds" }
        )))
        assert.match(none.message, /no port is published/)
      }))

    it.scoped("Wait.forHealthy runs the image's own HEALTHCHECK (a docker-format build), not restated in the spec", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const context = yield* hostDir
        yield* Effect.promise(() =>
          writeFile(
            join(context, "Containerfile"),
            `FROM ${TEST_IMAGE}\nHEALTHCHECK --interval=30s CMD cat /data/greeting.txt\n`
          )
        )
        const tag = `localhost/${uniqueName("healthy")}:1`
        yield* Effect.addFinalizer(() => Effect.ignore(runtime.removeImage(tag, { force: true })))
        yield* runtime.build(context, { tags: [tag], format: "docker" })
        const c = yield* runtime.run({ image: tag, namePrefix: "ep-healthy" }, {
          wait: Wait.forHealthy(),
          deadline: "30 seconds"
        })
        assert.isTrue(yield* c.healthcheck)
      }))

    it.scoped("healthcheck: none defined is podman's refusal; a container that is not running is NotRunning, asked first", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const none = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep-nocheck", command: ["sleep", "3600"] })
        const refused = yield* Effect.flip(none.healthcheck)
        assert.isTrue(refused._tag === "NonZeroExit" && /has no defined healthcheck/.test(refused.stderr))
        const created = yield* runtime.create({ image: TEST_IMAGE, namePrefix: "ep-nocheck" })
        assert.strictEqual(yield* failureReason(created.healthcheck), "NonZeroExit:NotRunning")
      }))

    it.scoped("Wait.forExec, Wait.forHealthy and Wait.any", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const container = yield* runtime.run(
          { image: TEST_IMAGE, namePrefix: "ep-exec", healthcheck: { command: ["cat", "/data/greeting.txt"] } },
          {
            wait: Wait.all(
              Wait.forExec(["cat", "/data/greeting.txt"]),
              Wait.forHealthy(),
              Wait.any(Wait.forLog(/never/), Wait.forExec(["true"]))
            ),
            deadline: "30 seconds"
          }
        )
        assert.isTrue(yield* container.healthcheck)
      }))

    it.effect("invalid specs are rejected before podman runs, every problem named", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const bad = [
          { image: TEST_IMAGE, ports: [{ container: 70000 }] },
          { image: "" },
          { image: TEST_IMAGE, env: { "A=B": "x" } },
          { image: TEST_IMAGE, gpu: "tpu" },
          { image: TEST_IMAGE, name: "-x" },
          // a key a record's schema would have left out without a word
          { image: TEST_IMAGE, extraHosts: { "-bad host": "10.0.0.5", "db.local": "10.0.0.6" } }
        ]
        const messages: Array<string> = []
        for (const spec of bad) {
          const error = yield* Effect.flip(Effect.scoped(runtime.run(spec)))
          assert.strictEqual(error._tag, "SpecError")
          messages.push(error.message)
        }
        assert.match(messages[0]!, /1 to 65535/)
        assert.match(messages[1]!, /must not be empty/)
        assert.match(messages[2]!, /cannot hold '='/)
        assert.match(messages[3]!, /valid forms/)
        assert.match(messages[4]!, /starts with a letter or digit/)
        assert.match(messages[5]!, /"-bad host": a host name is letters, digits/)
      }))

    it.effect("a start that fails (GPU not configured) is that error, and the container is removed", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("gpu")
        const error = yield* Effect.flip(Effect.scoped(runtime.run({ image: TEST_IMAGE, name, gpu: true })))
        assert.strictEqual(error._tag, "GpuConfigError")
        assert.isTrue(Option.isNone(yield* stateOf(name)))
      }))
  })

  describe("sweep", () => {
    it.scoped("removes containers of sessions whose process is gone, and nothing else", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const orphan = uniqueName("orphan")
        yield* (yield* Fixtures).orphan(orphan)
        const unlabelled = uniqueName("plain")
        yield* (yield* Fixtures).created(unlabelled)
        const mine = yield* runtime.create({ image: TEST_IMAGE, namePrefix: "ep-mine" })
        // other test files sweep concurrently (PodmanTest.layer does at start): the orphan may be
        // gone already, so assert the outcome; testRuntime.test.ts checks the names sweep returns
        const removed = yield* runtime.sweep
        assert.notInclude(removed, mine.name)
        assert.isTrue(Option.isNone(yield* stateOf(orphan)))
        assert.isTrue(Option.isSome(yield* mine.state))
        assert.isTrue(Option.isSome(yield* stateOf(unlabelled)))
        assert.strictEqual(
          yield* failureReason(Stream.runCollect(runtime.container(orphan).logs())),
          "NonZeroExit:NoSuchContainer"
        )
      }))
  })
}
