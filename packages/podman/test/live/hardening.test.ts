/**
 * The library under attack, on real podman: binaries that cannot be spawned, arguments the kernel
 * would refuse, secrets on every path (errors, logs, span attributes and span values), podman
 * killed in the middle of an exec, mount fields that try to add fields of their own. Both live
 * layers where both apply.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Fiber, Layer, Logger, LogLevel, Option, Redacted, Sink, Stream } from "effect"
import type { Scope } from "effect"
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { inspect } from "node:util"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import * as PodmanError from "../../src/PodmanError.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { captureLogs, podmanRunner, recordSpans } from "../helpers/live.js"
import { awaitProcess, podmanChildren, stubBinary } from "../helpers/processes.js"
import { tempDir } from "../helpers/tempDir.js"

const live = (layer: Layer.Layer<ContainerRuntime, unknown, never>) => Effect.provide(Layer.orDie(layer))
const cli = (options: Podman.PodmanOptions = {}) => live(Podman.layer(options).pipe(Layer.provide(NodeContext.layer)))
const rest = (options: Podman.PodmanOptions = {}) =>
  live(PodmanApi.layerService(options).pipe(Layer.provide(NodeContext.layer)))
const LAYERS = { cli, rest } as const

/** Everything an error can be printed as. */
const printed = (error: unknown): string =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), Cause.pretty(Cause.fail(error))].join("\n")

/** A running container made outside the API under test; removed when the scope closes. */
const runningContainer = (label: string): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    const runner = yield* Effect.orDie(podmanRunner)
    const name = uniqueName(label)
    yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["rm", "--force", "--time", "0", name])))
    yield* Effect.orDie(runner.run(["run", "-d", "--init", "--name", name, TEST_IMAGE, "sleep", "600"]))
    return name
  }).pipe(Effect.provide(NodeContext.layer))

describe("spawn failures are typed and redacted", () => {
  it.scopedLive("a podman that may not be executed (EACCES) is PodmanMissing NotExecutable; forceRemove still answers", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("effect-podman-noexec-")
      const binary = join(dir, "podman")
      writeFileSync(binary, "#!/bin/sh\nexit 0\n")
      chmodSync(binary, 0o644)
      yield* Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const error = yield* Effect.flip(Effect.scoped(runtime.run({
          image: TEST_IMAGE,
          env: { API_KEY: "hunter2-in-argv" },
          secretEnv: { TOKEN: Redacted.make("hunter2-in-env") }
        })))
        assert.strictEqual(error._tag, "PodmanMissing")
        if (error._tag === "PodmanMissing") {
          assert.strictEqual(error.reason, "NotExecutable")
          assert.strictEqual(error.detail, "EACCES")
        }
        assert.notInclude(printed(error), "hunter2")
        assert.include(error.message, "API_KEY=<redacted>")
        const results = yield* runtime.forceRemove(["a", "b"])
        assert.deepStrictEqual(results.map((r) => r.removed), [false, false])
        assert.match(Option.getOrThrow(results[1]!.error), /may not be executed/)
      }).pipe(cli({ binary }))
    }))

  for (const [layerName, layer] of Object.entries(LAYERS)) {
    it.scopedLive(`${layerName}: what the kernel would refuse (E2BIG) is InvalidArgument, and nothing runs`, () =>
      Effect.gen(function*() {
        const dir = yield* tempDir("effect-podman-big-")
        const calls = join(dir, "calls")
        writeFileSync(calls, "")
        // a podman that records each call, then is the real one
        const binary = yield* stubBinary(`echo "$*" | cut -c1-40 >> ${calls}\nexec podman "$@"`)
        yield* Effect.gen(function*() {
          const runtime = yield* ContainerRuntime
          const before = readFileSync(calls, "utf8")
          const big = 200 * 1024
          const refusals = [
            Effect.scoped(runtime.run({ image: TEST_IMAGE, env: { API_KEY: "k".repeat(big) } })),
            Effect.scoped(runtime.run({ image: TEST_IMAGE, env: { PLAIN: "x".repeat(big) } })),
            Effect.scoped(runtime.run({ image: TEST_IMAGE, secretEnv: { TOKEN: Redacted.make("t".repeat(big)) } }))
          ]
          for (const refusal of refusals) {
            const error = yield* Effect.flip(refusal)
            assert.strictEqual(error._tag, "InvalidArgument", error.message)
            assert.isBelow(error.message.length, 600)
            assert.notInclude(printed(error), "kkkkkkkkkk")
            assert.notInclude(printed(error), "tttttttttt")
          }
          assert.notInclude(readFileSync(calls, "utf8").slice(before.length), "create", "podman create never ran")
        }).pipe(layer({ binary }))
      }))
  }
})

describe("secrets appear nowhere", () => {
  for (const [layerName, layer] of Object.entries(LAYERS)) {
    it.scopedLive(`${layerName}: not in errors, logs, span attributes or span values — failing or not`, () => {
      const { layer: capture, logs } = captureLogs()
      const { spans, traced } = recordSpans()
      const [execSecret, specSecret, plainSecret] = ["exec-s3cr3t-1", "spec-s3cr3t-2", "plain-s3cr3t-3"]
      return Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const errors: Array<unknown> = []
        const container = yield* runtime.run({
          image: TEST_IMAGE,
          command: ["sleep", "600"],
          env: { DB_PASSWORD: plainSecret },
          secretEnv: { API_TOKEN: Redacted.make(specSecret) }
        })
        // the exec's secret arrives (its length is checked inside), outside any argv
        const code = yield* runtime.execStdio(container, ["sh", "-c", `[ "\${#API_KEY}" -eq ${execSecret.length} ]`], {
          stdin: Stream.empty,
          stdout: Sink.drain,
          env: { API_KEY: execSecret }
        })
        assert.strictEqual(code, 0)
        errors.push(
          yield* Effect.flip(runtime.execStdio(container, ["true"], {
            stdin: Stream.empty,
            stdout: Sink.drain,
            env: { API_KEY: `${execSecret}\0` }
          }))
        )
        errors.push(
          yield* Effect.flip(Effect.scoped(runtime.run({
            image: "localhost/effect-podman-absent:latest",
            env: { DB_PASSWORD: plainSecret },
            secretEnv: { API_TOKEN: Redacted.make(specSecret) }
          })))
        )
        errors.push(yield* Effect.flip(runtime.exec(uniqueName("absent"), ["sh", "-c", "exit 1"])))
        const everything = [
          ...errors.map(printed),
          ...logs,
          ...spans.flatMap((span) => [...span.attributes.values()].map(String)),
          ...spans.map((span) => inspect(span.status, { depth: Infinity })),
          ...spans.map((span) => JSON.stringify(span.status._tag === "Ended" ? span.status.exit : null))
        ].join("\n")
        for (const secret of [execSecret, specSecret, plainSecret]) assert.notInclude(everything, secret)
        assert.isAbove(spans.length, 3)
        assert.isAbove(logs.length, 0)
      }).pipe(
        traced,
        // the containers are removed while their layer (and the REST layer's service) still runs
        Effect.scoped,
        layer(),
        Effect.provide(capture),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
    })
  }
})

describe("an answer this library cannot read", () => {
  it.scopedLive("is NonZeroExit Unreadable: what and where, no exit code, never a value podman printed", () =>
    Effect.gen(function*() {
      // a podman whose listing is not what this library reads, holding a value that must not leak
      const binary = yield* stubBinary(
        `[ "$1" = ps ] && { echo '[{"Names": {"token": "hunter2-unread"}}]'; exit 0; }\nexec podman "$@"`
      )
      const error = yield* Effect.flip(
        Effect.flatMap(ContainerRuntime, (runtime) => runtime.containerStates("ep-unread")).pipe(cli({ binary }))
      )
      assert.strictEqual(error._tag, "NonZeroExit")
      if (error._tag !== "NonZeroExit") return
      assert.strictEqual(error.reason, "Unreadable")
      assert.isUndefined(error.exitCode)
      assert.match(error.stderr, /^podman printed output this library cannot read: at \[0\]\.Names: Expected/)
      // the cause is kept, without the value: where, and what was expected
      assert.instanceOf(error.cause, PodmanError.UnreadableOutput)
      assert.deepStrictEqual((error.cause as PodmanError.UnreadableOutput).issues.map((issue) => issue.at), [
        "[0].Names"
      ])
      assert.notInclude(printed(error), "hunter2-unread")
    }))
})

describe("podman killed in the middle of an exec", () => {
  it.scopedLive("is podman failing (NonZeroExit with the signal), not the command's exit code 137", () =>
    Effect.gen(function*() {
      const name = yield* runningContainer("killed")
      const runtime = yield* ContainerRuntime
      const calls: ReadonlyArray<Effect.Effect<unknown, PodmanError.PodmanError>> = [
        runtime.exec(name, ["sleep", "300"]),
        runtime.execStdio(name, ["sleep", "300"], { stdin: Stream.never, stdout: Sink.drain })
      ]
      for (const call of calls) {
        const fiber = yield* Effect.fork(call)
        const [podman] = yield* awaitProcess(() => podmanChildren("exec", name))
        process.kill(podman!.pid, "SIGKILL")
        const error = yield* Effect.flip(Fiber.join(fiber))
        assert.strictEqual(error._tag, "NonZeroExit")
        if (error._tag === "NonZeroExit") assert.strictEqual(error.signal, "SIGKILL")
      }
    }).pipe(cli()))
})

describe("mount fields are quoted", () => {
  for (const [layerName, layer] of Object.entries(LAYERS)) {
    it.scopedLive(`${layerName}: a path holding a comma mounts where it says, and cannot add a field`, () =>
      Effect.gen(function*() {
        const dir = yield* tempDir("effect-podman-mount-")
        const source = join(dir, "with,comma and \"quote\"")
        mkdirSync(source)
        writeFileSync(join(source, "file"), "through the comma\n")
        const runtime = yield* ContainerRuntime
        const container = yield* runtime.run({
          image: TEST_IMAGE,
          command: [
            "sh",
            "-c",
            "cat \"/in,side/file\" && [ -d \"/t,target=/elsewhere\" ] && [ ! -e /elsewhere ] && echo checked"
          ],
          mounts: [
            { type: "bind", source, target: "/in,side", readOnly: true },
            { type: "tmpfs", target: "/t,target=/elsewhere" }
          ]
        })
        assert.strictEqual(yield* container.wait(), 0)
        const lines = yield* Stream.runCollect(container.logs())
        assert.deepStrictEqual([...lines], ["through the comma", "checked"])
      }).pipe(Effect.scoped, layer()))
  }
})
