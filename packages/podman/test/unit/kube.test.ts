// Kube.podYaml: what a spec becomes in a Kubernetes pod manifest, and what it refuses to render.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { parse } from "yaml"
import * as Kube from "../../src/Kube.js"

describe("Kube.podYaml", () => {
  it.effect("every string stays a string for podman's YAML 1.1 reader: env values and labels YAML would re-type", () =>
    Effect.gen(function*() {
      const odd = { A: "1_000", B: "0b101", C: "2024-06-01", D: "+0o17", E: "yes", F: "~", G: "0x1F", H: "1e3" }
      const yaml = yield* Kube.podYaml({
        name: "odd",
        labels: { release: "2024-06-01", count: "1_000" },
        containers: [{ image: "localhost/api:1", name: "api", env: odd }]
      })
      // read as podman reads it (YAML 1.1: sexagesimal, binary, timestamps, booleans)
      const read = parse(yaml, { version: "1.1" }) as {
        readonly metadata: { readonly labels: Record<string, unknown> }
        readonly spec: {
          readonly containers: ReadonlyArray<
            { readonly env: ReadonlyArray<{ readonly name: string; readonly value: unknown }> }
          >
        }
      }
      assert.deepStrictEqual(Object.fromEntries(read.spec.containers[0]!.env.map((e) => [e.name, e.value])), odd)
      assert.deepStrictEqual(read.metadata.labels, { release: "2024-06-01", count: "1_000" })
    }))

  it.effect("renders command, env, secret references, ports, mounts, user, probe and pull policy", () =>
    Effect.gen(function*() {
      const yaml = yield* Kube.podYaml({
        name: "shop",
        labels: { app: "shop" },
        containers: [{
          image: "localhost/api:1",
          name: "api",
          entrypoint: ["/bin/api"],
          command: ["--port", "8080"],
          env: { MODE: "prod" },
          secretEnv: { DB_PASSWORD: Redacted.make("hunter2-do-not-print") },
          ports: [{ container: 8080, host: 18080, hostIp: "127.0.0.1" }],
          mounts: [
            { type: "bind", source: "/srv/config", target: "/config", readOnly: true },
            { type: "volume", source: "shop-data", target: "/data" },
            { type: "tmpfs", target: "/scratch", size: "64m" }
          ],
          workdir: "/app",
          user: "1000:1001",
          healthcheck: { command: ["/bin/api", "--health"] },
          pull: "never",
          labels: { tier: "web" }
        }]
      })
      assert.notInclude(yaml, "hunter2")
      assert.deepStrictEqual(parse(yaml), {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "shop", labels: { tier: "web", app: "shop" } },
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "api",
            image: "localhost/api:1",
            imagePullPolicy: "Never",
            command: ["/bin/api"],
            args: ["--port", "8080"],
            workingDir: "/app",
            env: [
              { name: "MODE", value: "prod" },
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "shop-secrets", key: "DB_PASSWORD" } } }
            ],
            ports: [{ containerPort: 8080, hostPort: 18080, hostIP: "127.0.0.1", protocol: "TCP" }],
            securityContext: { runAsUser: 1000, runAsGroup: 1001 },
            livenessProbe: { exec: { command: ["/bin/api", "--health"] } },
            volumeMounts: [
              { name: "api-0", mountPath: "/config", readOnly: true },
              { name: "api-1", mountPath: "/data" },
              { name: "api-2", mountPath: "/scratch" }
            ]
          }],
          volumes: [
            { name: "api-0", hostPath: { path: "/srv/config" } },
            { name: "api-1", persistentVolumeClaim: { claimName: "shop-data" } },
            { name: "api-2", emptyDir: { medium: "Memory", sizeLimit: "64m" } }
          ]
        }
      })
    }))

  it.effect("what a pod manifest cannot say is a SpecError naming each field, before anything is written", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Kube.podYaml({
        name: "Bad_Name",
        containers: [{ image: "a", network: "n", extraArgs: ["--privileged"], user: "postgres" }]
      }))
      assert.strictEqual(error._tag, "SpecError")
      assert.match(error.message, /invalid pod manifest; nothing was run/)
      for (const field of ["- name:", "- 0.network:", "- 0.extraArgs:", "- 0.user:"]) {
        assert.include(error.message, field)
      }
    }))
})
