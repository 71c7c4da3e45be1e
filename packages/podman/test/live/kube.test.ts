/**
 * The pod manifest Kube.podYaml renders runs on podman as the specs would: `podman kube play`
 * serves the page on the host port, sets the env and resolves the secret reference (from a podman
 * secret holding the key's value), and `podman kube down` leaves nothing.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted, Schedule } from "effect"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Kube from "../../src/Kube.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"
import { freePort } from "../helpers/freePort.js"
import { podmanRunner } from "../helpers/live.js"
import { tempDir } from "../helpers/tempDir.js"

describe("Kube.podYaml on podman", () => {
  it.scopedLive("podman kube play runs the manifest: port, command, env, secret; kube down removes it", () =>
    Effect.gen(function*() {
      const runner = yield* podmanRunner
      // kube play makes podman's default kube network on first use: remove it after, if it is ours
      const kubeNetwork = "podman-default-kube-network"
      const existed = (yield* runner.exec(["network", "exists", kubeNetwork])).exitCode === 0
      if (!existed) {
        yield* Effect.addFinalizer(() => Effect.ignore(runner.run(["network", "rm", "--force", kubeNetwork])))
      }
      const dir = yield* tempDir("effect-podman-kube-")
      const port = yield* freePort
      const pod = uniqueName("kube").toLowerCase()
      const secret = `${pod}-secrets`
      const yaml = yield* Kube.podYaml({
        name: pod,
        containers: [{
          image: TEST_IMAGE,
          name: "web",
          entrypoint: ["httpd"],
          command: ["-f", "-p", "80", "-h", "/www"],
          env: { GREETING: "hello from kube" },
          secretEnv: { TOKEN: Redacted.make("kube-secret-value") },
          ports: [{ container: 80, host: port, hostIp: "127.0.0.1" }]
        }]
      })
      assert.notInclude(yaml, "kube-secret-value")
      // podman 4.3 reads a secretKeyRef from a podman secret holding JSON: { KEY: base64(value) }
      yield* Effect.promise(() =>
        writeFile(
          join(dir, "secret.json"),
          JSON.stringify({ TOKEN: Buffer.from("kube-secret-value").toString("base64") })
        )
      )
      yield* Effect.promise(() => writeFile(join(dir, "pod.yaml"), yaml))
      yield* Effect.acquireRelease(
        runner.run(["secret", "create", secret, join(dir, "secret.json")]),
        () => Effect.ignore(runner.run(["secret", "rm", secret]))
      )
      yield* Effect.acquireRelease(
        runner.run(["kube", "play", join(dir, "pod.yaml")]),
        () => Effect.ignore(runner.run(["pod", "rm", "--force", "--time", "0", pod]))
      )
      const page = yield* Effect.tryPromise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).pipe(
        Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("10 seconds"))),
        Effect.orDie
      )
      assert.strictEqual(page, "<h1>effect-podman</h1>\n")
      const env = yield* runner.run(["exec", `${pod}-web`, "sh", "-c", "echo \"$GREETING|$TOKEN\""])
      assert.strictEqual(env.stdout, "hello from kube|kube-secret-value\n")
      yield* runner.run(["kube", "down", join(dir, "pod.yaml")])
      const left = yield* runner.run(["pod", "ps", "--filter", `name=^${pod}$`, "--format", "{{.Name}}"])
      assert.strictEqual(left.stdout.trim(), "")
    }).pipe(Effect.provide(NodeContext.layer)))
})
