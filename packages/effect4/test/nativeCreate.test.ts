// The REST layer creates a container through libpod's SpecGenerator (no podman-remote process): the
// container it makes is the one the CLI layer makes for the same spec — `podman inspect` of both,
// normalised (ids, names, times, free host ports, session labels), is equal. Run as root and, in
// `make test`, as a normal user on rootless podman, where the client's containers.conf defaults
// (ulimits) are the REST layer's to apply, as podman-remote applies them.
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import { normalisedInspect } from "../../shared/test/crossEdition/inspect.js"
import { TEST_IMAGE } from "../../shared/test/crossEdition/testImage.js"
import { ContainerRuntime, Podman, PodmanApi } from "../src/index.js"
import type { ContainerSpec } from "../src/index.js"

const cli = Podman.layer().pipe(Layer.provide(NodeServices.layer))
const rest = PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer))
const unique = (label: string) => `ep4-${label}-${Math.random().toString(36).slice(2, 8)}`

/** `podman inspect` of a container, normalised. */
const normalised = (name: string) =>
  normalisedInspect(execFileSync("podman", ["container", "inspect", name], { encoding: "utf8" }), name)

describe("create through the API (Effect 4)", () => {
  it.live("makes the container the CLI makes, field for field", () =>
    Effect.scoped(Effect.gen(function*() {
      const [viaCli, viaApi] = yield* Effect.all([Layer.build(cli), Layer.build(rest)]).pipe(
        Effect.map(([a, b]) =>
          [
            Context.get(a, ContainerRuntime.ContainerRuntime),
            Context.get(b, ContainerRuntime.ContainerRuntime)
          ] as const
        )
      )
      const specs: Array<ContainerSpec.ContainerSpecInput> = [
        {
          image: TEST_IMAGE,
          entrypoint: ["sh", "-c"],
          command: ["sleep 1"],
          env: { A: "1" },
          secretEnv: { TOKEN: Redacted.make("s3") },
          labels: { l: "v" },
          ports: [{ container: 80 }],
          mounts: [{ type: "tmpfs", target: "/t" }],
          workdir: "/w",
          user: "1000",
          memory: "64m",
          hostname: "hh",
          capAdd: ["NET_ADMIN"],
          readOnly: true,
          ulimits: { nofile: { soft: 100, hard: 200 } }
        },
        { image: TEST_IMAGE }, // no ulimits: the client's containers.conf defaults, or the service's
        { image: TEST_IMAGE, network: "none", init: false }
      ]
      for (const [i, spec] of specs.entries()) {
        const name = unique(`native-${i}`)
        yield* Effect.addFinalizer(() => viaCli.forceRemove([name]))
        yield* Effect.scoped(Effect.andThen(viaCli.create({ ...spec, name }), Effect.sync(() => normalised(name))))
          .pipe(
            Effect.flatMap((fromCli) =>
              Effect.scoped(
                Effect.andThen(
                  viaApi.create({ ...spec, name }),
                  Effect.sync(() => assert.deepStrictEqual(normalised(name), fromCli, `spec ${i}`))
                )
              )
            )
          )
      }
    })), { timeout: 60_000 })
})
