// Decoding podman's JSON (samples taken from podman 4.3.1 on this machine).
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { Output } from "../../src/internal/cli/runner.js"
import * as Json from "../../src/internal/core/podmanJson.js"

const output = (stdout: string): Output => ({
  operation: "container.list",
  argv: ["podman", "ps", "-e", "API_KEY=hidden"],
  exitCode: 0,
  signal: Option.none(),
  stdout,
  stderr: ""
})

describe("podman JSON", () => {
  it.effect("ps --size: the object form (podman 4) and the human string form", () =>
    Effect.gen(function*() {
      const entries = yield* Json.decode(Json.PsJson)(output(JSON.stringify([
        {
          Names: ["a-1"],
          State: "running",
          Size: { rootFsSize: 1982493, rwSize: 12 },
          Labels: { team: "a" },
          Image: "localhost/app:1",
          Ports: [{ host_ip: "127.0.0.1", container_port: 80, host_port: 8080, range: 2, protocol: "tcp" }]
        },
        { Names: ["a-2"], State: "Exited", Size: "12.5MB (virtual 1.23GB)" },
        { Names: ["a-3"], State: "created", Size: null },
        { Names: ["a-4"], State: "created" }
      ])))
      assert.deepStrictEqual(Json.toContainerSummaries(entries), [
        {
          name: "a-1",
          state: "running",
          rwSize: Option.some(12),
          labels: { team: "a" },
          image: "localhost/app:1",
          ports: [
            { container: 80, host: 8080, hostIp: "127.0.0.1", protocol: "tcp" },
            { container: 81, host: 8081, hostIp: "127.0.0.1", protocol: "tcp" }
          ]
        },
        { name: "a-2", state: "exited", rwSize: Option.some(12_500_000), labels: {}, image: "", ports: [] },
        { name: "a-3", state: "created", rwSize: Option.none(), labels: {}, image: "", ports: [] },
        { name: "a-4", state: "created", rwSize: Option.none(), labels: {}, image: "", ports: [] }
      ])
    }))

  it.effect("container inspect: zero start time is none, mounts are mapped", () =>
    Effect.gen(function*() {
      const [raw] = yield* Json.decode(Json.ContainerInspectJson)(output(JSON.stringify([{
        Id: "c".repeat(64),
        Name: "web",
        ImageName: "localhost/app:latest",
        State: { Status: "created", StartedAt: "0001-01-01T00:00:00Z" },
        Mounts: [{ Type: "bind", Source: "/tmp", Destination: "/host", RW: false, Options: ["rbind"] }],
        SizeRw: 7
      }])))
      const info = Json.toContainerInfo(raw!)
      assert.isTrue(Option.isNone(info.startedAt))
      assert.deepStrictEqual(info.mounts, [{ type: "bind", source: "/tmp", destination: "/host", rw: false }])
      assert.deepStrictEqual(info.rwSize, Option.some(7))
    }))

  it.effect("images: one summary per tag; a dangling image by id", () =>
    Effect.gen(function*() {
      const entries = yield* Json.decode(Json.ImagesJson)(output(JSON.stringify([
        { Id: "i1", Names: ["localhost/app:1", "registry:5000/team/app:latest"], Size: 10, Created: 1_700_000_000 },
        { Id: "i2", Names: null, Size: 5, Created: 1_700_000_000 }
      ])))
      const summaries = Json.toImageSummaries(entries)
      assert.deepStrictEqual(summaries.map((s) => [s.ref, s.repository, s.tag]), [
        ["localhost/app:1", Option.some("localhost/app"), Option.some("1")],
        ["registry:5000/team/app:latest", Option.some("registry:5000/team/app"), Option.some("latest")],
        ["i2", Option.none(), Option.none()]
      ])
      assert.deepStrictEqual(summaries[0]!.created, Option.some(new Date(1_700_000_000_000)))
    }))

  it.effect("output that does not match is NonZeroExit Unreadable, with the (redacted) command, no exit code", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Json.decode(Json.PsJson)(output("{\"not\":\"an array\"}")))
      assert.strictEqual(error.reason, "Unreadable")
      assert.isUndefined(error.exitCode)
      assert.include(error.message, "API_KEY=<redacted>")
      assert.include(error.stderr, "podman printed output this library cannot read: at the top: Expected")
      assert.notInclude(error.message, "hidden")
    }))

  it("splitName", () => {
    assert.deepStrictEqual(Json.splitName("registry:5000/app"), { repository: "registry:5000/app", tag: Option.none() })
    assert.deepStrictEqual(Json.splitName("app:2"), { repository: "app", tag: Option.some("2") })
  })
})
