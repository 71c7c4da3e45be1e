import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { ContainerRuntime } from "../src/ContainerRuntime.js"
import * as Podman from "../src/Podman.js"
import * as PodmanApi from "../src/PodmanApi.js"
const spec = {
  image: "localhost/effect-podman-test:latest", command: ["sh", "-c", "sleep 1"], env: { A: "1" }, secretEnv: { TOKEN: Redacted.make("s3") }, labels: { l: "v" },
  ports: [{ container: 80 }], mounts: [{ type: "tmpfs" as const, target: "/t", size: "1m", mode: 0o1777 }, { type: "bind" as const, source: "/tmp", target: "/h", readOnly: true }],
  workdir: "/w", user: "1000", memory: "64m", cpus: 0.5, pidsLimit: 100, restartPolicy: "on-failure" as const, restartRetries: 3, hostname: "hh", extraHosts: { foo: "1.2.3.4" },
  capAdd: ["NET_ADMIN"], capDrop: ["CHOWN"], readOnly: true, ulimits: { nofile: { soft: 100, hard: 200 } }, shmSize: "32m", healthcheck: { command: ["echo", "ok"] }, entrypoint: ["sh", "-c"]
}
const main = async () => {
  const scope = Effect.runSync(Scope.make())
  const out: Record<string, unknown> = {}
  for (const [label, l] of [["cli", Podman.layer()], ["rest", PodmanApi.layerService()]] as const) {
    const rt = Context.get(await Effect.runPromise(Layer.buildWithScope(l.pipe(Layer.provide(NodeContext.layer)), scope)), ContainerRuntime)
    const c = await Effect.runPromise(Scope.extend(rt.create({ ...spec, name: `cmp-${label}` }), scope))
    out[label] = JSON.parse(execFileSync("podman", ["inspect", c.name], { encoding: "utf8" }))[0]
  }
  writeFileSync("/tmp/mb/cli.json", JSON.stringify(out.cli, null, 1)); writeFileSync("/tmp/mb/rest.json", JSON.stringify(out.rest, null, 1))
  await Effect.runPromise(Scope.close(scope, Exit.void))
}
main()
