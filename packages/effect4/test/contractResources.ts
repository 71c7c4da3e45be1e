/**
 * The contract of networks, volumes and pods on the Effect 4 edition's three layers: scoped like
 * containers, joined by specs, and what they do — a name resolved on a network, data kept in a
 * volume, `localhost` shared in a pod.
 */
import { assert, describe } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Effect, Exit, Option, Scope } from "effect"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, Environment, Wait } from "../src/index.js"

const HTTPD = ["httpd", "-f", "-p", "80", "-h", "/www"]
const PAGE = "<h1>effect-podman</h1>\n"
const wget = (url: string) => ["busybox", "wget", "-q", "-O", "-", url] as const
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

/** The tag and reason of a failure (`NonZeroExit:NameInUse`). */
const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(
    Effect.flip(effect),
    (error) =>
      "reason" in error
        ? `${error._tag}:${
          typeof error.reason === "object" && error.reason !== null && "_tag" in error.reason
            ? String(error.reason._tag)
            : String(error.reason)
        }`
        : error._tag
  )

export const resourcesContract = (it: Vitest.MethodsNonLive<ContainerRuntime.ContainerRuntime>) =>
  describe("networks, volumes and pods", () => {
    it.effect("a container reaches another by its alias on a network; the network goes with its scope, and its containers", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const scope = yield* Scope.make()
        const net = yield* Scope.provide(runtime.network({ namePrefix: "ep4-net" }), scope)
        assert.strictEqual(net.kind, "network")
        yield* Scope.provide(
          runtime.run({
            image: TEST_IMAGE,
            namePrefix: "ep4-net-web",
            command: HTTPD,
            network: net.name,
            networkAliases: ["web"]
          }),
          scope
        )
        const client = yield* Scope.provide(
          runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-net-client", network: net.name }),
          scope
        )
        assert.deepStrictEqual(yield* client.exec(wget("http://web/")), { exitCode: 0, stdout: PAGE, stderr: "" })
        const missing = yield* client.exec(wget("http://nosuch/"))
        assert.strictEqual(missing.exitCode, 1)
        assert.match(missing.stderr, /wget: bad address 'nosuch'/)
        yield* Scope.close(scope, Exit.void)
        assert.deepStrictEqual(yield* client.state, Option.none())
        // gone: a spec naming it now fails as podman does
        assert.strictEqual(
          yield* failure(Effect.scoped(runtime.create({ image: TEST_IMAGE, network: net.name }))),
          "NonZeroExit:NoSuchResource"
        )
      }))

    it.effect("a volume keeps what one container wrote for the next; mounted read-only, it takes no writes", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const volume = yield* runtime.volume({ namePrefix: "ep4-vol" })
        const mounts = [{ type: "volume" as const, source: volume.name, target: "/vol" }]
        const writer = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-vol-w",
          mounts,
          command: ["sh", "-c", "echo kept > /vol/f"]
        })
        assert.strictEqual(yield* writer.wait(), 0)
        const reader = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-vol-r", mounts })
        assert.deepStrictEqual(yield* reader.exec(["cat", "/vol/f"]), { exitCode: 0, stdout: "kept\n", stderr: "" })
        const viewer = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-vol-ro",
          mounts: [{ ...mounts[0]!, readOnly: true }, { type: "tmpfs", target: "/scratch" }]
        })
        assert.deepStrictEqual(
          yield* viewer.mounts,
          Option.some([{ type: "volume", source: volume.name, destination: "/vol", rw: false }])
        )
        assert.deepStrictEqual(
          yield* viewer.exec(["sh", "-c", "echo changed > /vol/f"]),
          { exitCode: 1, stdout: "", stderr: "sh: can't create /vol/f: Read-only file system\n" }
        )
        assert.deepStrictEqual(yield* reader.exec(["cat", "/vol/f"]), { exitCode: 0, stdout: "kept\n", stderr: "" })
        // a fresh volume mounted over a folder of the image starts with the image's files there
        const seeded = yield* runtime.volume({ namePrefix: "ep4-vol-seed" })
        const data = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep4-vol-data",
          mounts: [{ type: "volume", source: seeded.name, target: "/data" }]
        })
        assert.deepStrictEqual(yield* data.exec(["cat", "/data/greeting.txt"]), {
          exitCode: 0,
          stdout: "hello from the image\n",
          stderr: ""
        })
      }))

    it.effect("containers of a pod share localhost; its ports are published on the pod and reached at its url", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const pod = yield* runtime.pod({ namePrefix: "ep4-pod", ports: [{ container: 80 }] })
        assert.deepStrictEqual(pod.hostPort(80), Option.some(pod.mappedPort(80)))
        yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-pod-web", command: HTTPD, pod: pod.name })
        const client = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-pod-client", pod: pod.name })
        assert.deepStrictEqual(yield* client.exec(wget("http://localhost:80/")), {
          exitCode: 0,
          stdout: PAGE,
          stderr: ""
        })
        const fromHost = yield* Effect.promise(() => fetch(pod.url(80)).then((r) => r.text()))
        assert.strictEqual(fromHost, PAGE)
      }))

    it.effect("an environment: services on its own network, in dependency order, each ready before the next; a cycle is a SpecError", () =>
      Effect.gen(function*() {
        const env = yield* Environment.make({
          client: {
            spec: { image: TEST_IMAGE, namePrefix: "ep4-env-client", command: ["sleep", "3600"] },
            dependsOn: ["web"],
            wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://web/"])
          },
          web: {
            spec: { image: TEST_IMAGE, namePrefix: "ep4-env-web", command: HTTPD },
            aliases: ["www"],
            wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://localhost/"])
          }
        }, { deadline: "60 seconds" })
        assert.deepStrictEqual(yield* env.services.client.exec(wget("http://www/")), {
          exitCode: 0,
          stdout: PAGE,
          stderr: ""
        })
        assert.deepStrictEqual(yield* env.services.web.state, Option.some("running"))
        const cycle = yield* Effect.flip(Environment.make({
          a: { spec: { image: TEST_IMAGE }, dependsOn: ["b"] },
          b: { spec: { image: TEST_IMAGE }, dependsOn: ["a"] }
        }))
        assert.strictEqual(cycle._tag, "SpecError")
        assert.match(cycle.message, /cycle among a, b/)
      }))

    it.effect("a taken name is NameInUse and what holds it stays; a missing pod is NoSuchResource; bad options are a SpecError", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime.ContainerRuntime
        const name = unique("taken")
        yield* runtime.network({ name })
        assert.strictEqual(yield* failure(Effect.scoped(runtime.network({ name }))), "NonZeroExit:NameInUse")
        const joined = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep4-taken", network: name })
        assert.deepStrictEqual(yield* joined.state, Option.some("running"), "the network is still there")
        const volume = yield* runtime.volume({ namePrefix: "ep4-taken-vol" })
        assert.strictEqual(
          yield* failure(Effect.scoped(runtime.volume({ name: volume.name }))),
          "NonZeroExit:NameInUse"
        )
        assert.strictEqual(
          yield* failure(Effect.scoped(runtime.create({ image: TEST_IMAGE, pod: unique("nopod") }))),
          "NonZeroExit:NoSuchResource"
        )
        const bad = yield* Effect.flip(Effect.scoped(runtime.network({ name: "-x" })))
        assert.strictEqual(bad._tag, "SpecError")
        assert.match(bad.message, /starts with a letter or digit/)
        // @ts-expect-error a volume has no ports (its type says so): a caller without types is refused too
        const ported = yield* Effect.flip(Effect.scoped(runtime.volume({ ports: [{ container: 80 }] })))
        assert.match(ported.message, /a volume has no ports/)
        // podman's volume create splits a label's value at its commas: refused, not split
        const split = yield* Effect.flip(Effect.scoped(runtime.volume({ labels: { team: "payments,owner=attacker" } })))
        assert.strictEqual(split._tag, "SpecError")
        assert.match(split.message, /team: podman's volume create splits a label's value at ','/)
        // a build argument or label key podman would read as another: refused before podman runs
        const buildArg = yield* Effect.flip(runtime.build("/nonexistent-context", { buildArgs: { "A=B": "c" } }))
        assert.strictEqual(buildArg._tag, "InvalidArgument")
        assert.match(buildArg.message, /invalid build argument "A=B": a key is non-empty and holds no '='/)
        const buildLabel = yield* Effect.flip(runtime.build("/nonexistent-context", { labels: { "": "x" } }))
        assert.match(buildLabel.message, /invalid build label "": a key is non-empty/)
        const inPod = yield* Effect.flip(
          Effect.scoped(runtime.create({ image: TEST_IMAGE, pod: "p", ports: [{ container: 80 }] }))
        )
        assert.match(inPod.message, /publish them on the pod/)
      }))
  })
