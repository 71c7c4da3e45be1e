// Every option of the live layers can come from Config: the environment convention covers them all.
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Duration, Effect } from "effect"
import * as Podman from "../../src/Podman.js"
import * as PodmanApi from "../../src/PodmanApi.js"

const environment = new Map([
  ["PODMAN_BINARY", "/opt/podman"],
  ["PODMAN_URL", "unix:///run/podman.sock"],
  ["PODMAN_CONNECTION", "remote"],
  ["PODMAN_ROOT", "/srv/root"],
  ["PODMAN_RUNROOT", "/srv/runroot"],
  ["PODMAN_TIMEOUT", "5 seconds"],
  ["PODMAN_START_TIMEOUT", "6 seconds"],
  ["PODMAN_STOP_BUFFER", "7 seconds"],
  ["PODMAN_REMOVE_TIMEOUT", "8 seconds"],
  ["PODMAN_KILL_GRACE", "9 seconds"],
  ["PODMAN_SOCKET", "/tmp/api.sock"]
])

describe("config", () => {
  it.effect("envConfig reads every option, and leaves unset ones to their defaults", () =>
    Effect.gen(function*() {
      const options = yield* Config.unwrap(PodmanApi.envConfig).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(environment))
      )
      const seconds = (value: unknown) => Duration.toSeconds(Duration.decode(value as Duration.DurationInput))
      assert.deepStrictEqual(
        [options.binary, options.url, options.connection, options.root, options.runroot, options.socket],
        ["/opt/podman", "unix:///run/podman.sock", "remote", "/srv/root", "/srv/runroot", "/tmp/api.sock"]
      )
      assert.deepStrictEqual(
        [options.timeout, options.startTimeout, options.stopBuffer, options.removeTimeout, options.killGrace].map(
          seconds
        ),
        [5, 6, 7, 8, 9]
      )
      assert.strictEqual(Object.keys(Podman.envConfig).length + 1, Object.keys(PodmanApi.envConfig).length)
      const unset = yield* Config.unwrap(Podman.envConfig).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      assert.isTrue(Object.values(unset).every((value) => value === undefined))
    }))

  it.effect("Config.nested(…, \"APP\") reads APP_PODMAN_… where paths join with _ (the environment's provider)", () =>
    Effect.gen(function*() {
      const nested = Config.nested(Config.all(Podman.envConfig), "APP")
      const options = yield* nested.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["APP_PODMAN_BINARY", "/opt/app/podman"], ["PODMAN_ROOT", "/not/this"]]), {
            pathDelim: "_"
          })
        )
      )
      assert.strictEqual(options.binary, "/opt/app/podman")
      assert.strictEqual(options.root, undefined, "an un-nested key is not read")
    }))
})
