/**
 * The contract of networks, volumes and pods: scoped like containers, joined by specs, swept when
 * their session is gone, and what they do — a name resolved on a network, data kept in a volume,
 * `localhost` shared in a pod.
 */
import { assert, describe } from "@effect/vitest"
import { Effect, Exit, Option, Scope } from "effect"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import * as Environment from "../../src/Environment.js"
import * as Wait from "../../src/Wait.js"
import { Fixtures, TEST_IMAGE, uniqueName } from "./fixtures.js"
import { failureReason } from "./helpers.js"
import type { ContractIt } from "./suite.js"

const HTTPD = ["httpd", "-f", "-p", "80", "-h", "/www"]
const PAGE = "<h1>effect-podman</h1>\n"
const wget = (url: string) => ["busybox", "wget", "-q", "-O", "-", url] as const

export const resourcesContract = (it: ContractIt) => {
  describe("networks, volumes and pods", () => {
    it.scoped("a container reaches another by its alias on a network; the network goes with its scope", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const scope = yield* Scope.make()
        const net = yield* Scope.extend(runtime.network({ namePrefix: "ep-net" }), scope)
        assert.strictEqual(net.kind, "network")
        yield* Scope.extend(
          runtime.run({
            image: TEST_IMAGE,
            namePrefix: "ep-net-web",
            command: HTTPD,
            network: net.name,
            networkAliases: ["web"]
          }),
          scope
        )
        const client = yield* Scope.extend(
          runtime.run({ image: TEST_IMAGE, namePrefix: "ep-net-client", network: net.name }),
          scope
        )
        assert.deepStrictEqual(yield* client.exec(wget("http://web/")), { exitCode: 0, stdout: PAGE, stderr: "" })
        const missing = yield* client.exec(wget("http://nosuch/"))
        assert.strictEqual(missing.exitCode, 1)
        assert.match(missing.stderr, /wget: bad address 'nosuch'/)
        yield* Scope.close(scope, Exit.void)
        // gone: a spec naming it now fails as podman does
        assert.strictEqual(
          yield* failureReason(Effect.scoped(runtime.create({ image: TEST_IMAGE, network: net.name }))),
          "NonZeroExit:NoSuchResource"
        )
      }))

    it.scoped("a volume keeps what one container wrote for the next; mounted read-only, it takes no writes", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const volume = yield* runtime.volume({ namePrefix: "ep-vol" })
        const mounts = [{ type: "volume" as const, source: volume.name, target: "/vol" }]
        const writer = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep-vol-w",
          mounts,
          command: ["sh", "-c", "echo kept > /vol/f"]
        })
        assert.strictEqual(yield* writer.wait(), 0)
        const reader = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep-vol-r", mounts })
        assert.deepStrictEqual(yield* reader.exec(["cat", "/vol/f"]), { exitCode: 0, stdout: "kept\n", stderr: "" })
        // mounted read-only: read, never written (podman 4.3 takes `ro`, not `readonly`, on a volume)
        const viewer = yield* runtime.run({
          image: TEST_IMAGE,
          namePrefix: "ep-vol-ro",
          mounts: [{ ...mounts[0]!, readOnly: true }]
        })
        // a volume is listed by its name, not podman's storage path; a tmpfs mount is not listed
        assert.deepStrictEqual(
          yield* viewer.mounts,
          Option.some([{ type: "volume", source: volume.name, destination: "/vol", rw: false }])
        )
        assert.deepStrictEqual(yield* viewer.exec(["cat", "/vol/f"]), { exitCode: 0, stdout: "kept\n", stderr: "" })
        assert.deepStrictEqual(
          yield* viewer.exec(["sh", "-c", "echo changed > /vol/f"]),
          { exitCode: 1, stdout: "", stderr: "sh: can't create /vol/f: Read-only file system\n" }
        )
        assert.deepStrictEqual(yield* reader.exec(["cat", "/vol/f"]), { exitCode: 0, stdout: "kept\n", stderr: "" })
      }))

    it.scoped("containers of a pod share localhost; its ports are published on the pod", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const pod = yield* runtime.pod({ namePrefix: "ep-pod", ports: [{ container: 80 }] })
        yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep-pod-web", command: HTTPD, pod: pod.name })
        const client = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep-pod-client", pod: pod.name })
        assert.deepStrictEqual(yield* client.exec(wget("http://localhost:80/")), {
          exitCode: 0,
          stdout: PAGE,
          stderr: ""
        })
        const fromHost = yield* Effect.promise(() => fetch(pod.url(80)).then((r) => r.text()))
        assert.strictEqual(fromHost, PAGE)
      }))

    it.scoped("a taken name is NameInUse, and what holds it stays; a missing pod is NoSuchResource", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const name = uniqueName("taken")
        yield* runtime.network({ name })
        assert.strictEqual(yield* failureReason(Effect.scoped(runtime.network({ name }))), "NonZeroExit:NameInUse")
        const joined = yield* runtime.run({ image: TEST_IMAGE, namePrefix: "ep-taken", network: name })
        assert.isTrue(yield* joined.running, "the network is still there")
        const holder = yield* runtime.run({ image: TEST_IMAGE, name: uniqueName("holder") })
        assert.strictEqual(
          yield* failureReason(Effect.scoped(runtime.create({ image: TEST_IMAGE, name: holder.name }))),
          "NonZeroExit:NameInUse"
        )
        assert.isTrue(yield* holder.running, "a failed create does not remove the container that had the name")
        assert.strictEqual(
          yield* failureReason(Effect.scoped(runtime.create({ image: TEST_IMAGE, pod: uniqueName("nopod") }))),
          "NonZeroExit:NoSuchResource"
        )
      }))

    it.scoped("bad options are a SpecError before anything runs; a container in a pod publishes nothing itself", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const error = yield* Effect.flip(Effect.scoped(runtime.network({ name: "-x", labels: { "a=b": "c" } })))
        assert.strictEqual(error._tag, "SpecError")
        assert.match(error.message, /invalid network options; nothing was run/)
        assert.match(error.message, /- name: a container name/)
        const inPod = yield* Effect.flip(
          Effect.scoped(runtime.create({ image: TEST_IMAGE, pod: "p", ports: [{ container: 80 }] }))
        )
        assert.match(inPod.message, /publish them on the pod/)
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
      }))

    it.scoped("sweep removes the networks, volumes and pods of sessions that are gone, a pod with its containers", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const fixtures = yield* Fixtures
        const names = {
          network: uniqueName("orphan-net"),
          volume: uniqueName("orphan-vol"),
          pod: uniqueName("orphan-pod")
        }
        for (const kind of ["network", "volume", "pod"] as const) yield* fixtures.orphanResource(kind, names[kind])
        // a container of the dead session inside its pod: the pod goes first (removing a pod
        // removes its containers; its infra container cannot be removed on its own)
        const inPod = uniqueName("orphan-in-pod")
        yield* fixtures.orphan(inPod, names.pod)
        const live = yield* runtime.network({ namePrefix: "ep-live" })
        const removed = yield* runtime.sweep
        // gone: the names are free again (another test file may have swept them first)
        yield* Effect.scoped(runtime.network({ name: names.network }))
        yield* Effect.scoped(runtime.volume({ name: names.volume }))
        yield* Effect.scoped(runtime.pod({ name: names.pod }))
        assert.isTrue(Option.isNone(yield* runtime.container(inPod).state), "the pod's container is gone with it")
        assert.notInclude(removed, live.name)
        assert.strictEqual(
          yield* failureReason(Effect.scoped(runtime.network({ name: live.name }))),
          "NonZeroExit:NameInUse",
          "a live session's network stays"
        )
      }))

    it.scoped("an environment: services on its own network, in dependency order, each ready before the next", () =>
      Effect.gen(function*() {
        const env = yield* Environment.make({
          client: {
            spec: { image: TEST_IMAGE, namePrefix: "ep-env-client" },
            dependsOn: ["web"],
            wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://web/"])
          },
          web: {
            spec: { image: TEST_IMAGE, namePrefix: "ep-env-web", command: HTTPD },
            aliases: ["www"],
            wait: Wait.forExec(["busybox", "wget", "-q", "-O", "-", "http://localhost/"])
          }
        }, { deadline: "60 seconds" })
        assert.deepStrictEqual(yield* env.services.client.exec(wget("http://www/")), {
          exitCode: 0,
          stdout: PAGE,
          stderr: ""
        })
        assert.isTrue(yield* env.services.web.running)
        const cycle = yield* Effect.flip(Environment.make({
          a: { spec: { image: TEST_IMAGE }, dependsOn: ["b"] },
          b: { spec: { image: TEST_IMAGE }, dependsOn: ["a"] }
        }))
        assert.strictEqual(cycle._tag, "SpecError")
        assert.match(cycle.message, /cycle among a, b/)
      }))
  })
}
