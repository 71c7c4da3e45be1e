/**
 * The REST layer creates a container through libpod's SpecGenerator (no podman-remote process):
 * the container it makes is the container the CLI layer makes for the same spec — `podman inspect`
 * of both, normalised (ids, names, times, free host ports, session labels), is equal — for every
 * field the SpecGenerator carries.
 */
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { normalisedInspect } from "../../../shared/test/crossEdition/inspect.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import type { ContainerSpecInput } from "../../src/ContainerSpec.js"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"
import { TEST_IMAGE, uniqueName } from "../contract/fixtures.js"

const cli = Podman.layer().pipe(Layer.provide(NodeContext.layer))
const rest = PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeContext.layer))

/** `podman inspect` of a container, normalised. */
const normalised = (runtime: ContainerRuntime.Service, name: string) =>
  Effect.map(runtime.podman(["container", "inspect", name]), ({ stdout }) => normalisedInspect(stdout, name))

describe("create through the API", () => {
  it.live("makes the container the CLI makes, field for field", () =>
    Effect.scoped(Effect.gen(function*() {
      const [viaCli, viaApi] = yield* Effect.all([Layer.build(cli), Layer.build(rest)]).pipe(
        Effect.map(([a, b]) => [Context.get(a, ContainerRuntime), Context.get(b, ContainerRuntime)] as const)
      )
      const network = yield* viaCli.network({ namePrefix: "ep-native" })
      const volume = yield* viaCli.volume({ namePrefix: "ep-native" })
      const specs: Array<ContainerSpecInput> = [
        {
          image: TEST_IMAGE,
          entrypoint: ["sh", "-c"],
          command: ["sleep 1"],
          env: { A: "1" },
          secretEnv: { TOKEN: Redacted.make("s3") },
          labels: { l: "v" },
          ports: [{ container: 80 }, { container: 53, protocol: "udp" }],
          mounts: [
            { type: "tmpfs", target: "/t", size: "1m", mode: 0o1777 },
            { type: "bind", source: "/tmp", target: "/h", readOnly: true }
          ],
          workdir: "/w",
          user: "1000",
          memory: "64m",
          cpus: 0.5,
          pidsLimit: 100,
          restartPolicy: "on-failure",
          restartRetries: 3,
          hostname: "hh",
          extraHosts: { foo: "1.2.3.4" },
          capAdd: ["NET_ADMIN"],
          capDrop: ["CHOWN"],
          readOnly: true,
          ulimits: { nofile: { soft: 100, hard: 200 } },
          shmSize: "32m",
          healthcheck: { command: ["echo", "it's ok"] }
        },
        {
          image: TEST_IMAGE,
          network: network.name,
          networkAliases: ["db"],
          mounts: [{ type: "volume", source: volume.name, target: "/d", readOnly: true }, {
            type: "tmpfs",
            target: "/tmp"
          }],
          readOnly: true,
          pidsLimit: -1,
          init: false,
          restartPolicy: "always"
        },
        { image: TEST_IMAGE, network: "host", capAdd: ["CAP_SYS_TIME"] },
        { image: TEST_IMAGE, network: "none", pull: "never" }
      ]
      for (const [i, spec] of specs.entries()) {
        const name = uniqueName(`native-${i}`)
        yield* viaCli.create({ ...spec, name })
        const fromCli = yield* normalised(viaCli, name)
        yield* viaCli.forceRemove([name])
        yield* viaApi.create({ ...spec, name })
        assert.deepStrictEqual(yield* normalised(viaCli, name), fromCli, `spec ${i}`)
      }
    })), { timeout: 60_000 })
})
