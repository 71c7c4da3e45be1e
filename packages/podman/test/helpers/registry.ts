/**
 * A real container registry for the image tests: Debian's `docker-registry` (distribution 2.8),
 * started on a free loopback port with its storage in a temporary folder, and stopped (its folder
 * removed) when the scope closes.
 */
import { Duration, Effect, Schedule } from "effect"
import { spawn } from "node:child_process"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { freePort } from "./freePort.js"
import { tempDir } from "./tempDir.js"

/** Starts a registry; returns its `host:port`. */
export const registry = Effect.gen(function*() {
  const dir = yield* tempDir("effect-podman-registry-")
  const port = yield* freePort
  const config = join(dir, "config.yml")
  yield* Effect.promise(() =>
    writeFile(
      config,
      [
        "version: 0.1",
        "log:",
        "  level: error",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${join(dir, "data")}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: 127.0.0.1:${port}`,
        ""
      ].join("\n")
    )
  )
  yield* Effect.acquireRelease(
    Effect.async<ReturnType<typeof spawn>, Error>((resume) => {
      const child = spawn("docker-registry", ["serve", config], { stdio: "ignore" })
      child.once(
        "error",
        (error) =>
          resume(Effect.fail(new Error(`cannot start docker-registry (make setup installs it): ${error.message}`)))
      )
      child.once("spawn", () => resume(Effect.succeed(child)))
    }).pipe(Effect.orDie),
    (child) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      }).pipe(Effect.timeout("5 seconds"), Effect.orElse(() => Effect.sync(() => void child.kill("SIGKILL"))))
  )
  const host = `127.0.0.1:${port}`
  yield* Effect.tryPromise(() =>
    fetch(`http://${host}/v2/`).then((r) => (r.ok ? undefined : Promise.reject(new Error(`${r.status}`))))
  ).pipe(
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo(Duration.seconds(10)))),
    Effect.orDieWith((error) => new Error(`docker-registry did not answer on ${host}: ${String(error)}`))
  )
  return host
})
