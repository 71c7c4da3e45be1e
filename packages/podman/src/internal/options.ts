/**
 * The live layers' settings, from their options.
 *
 * @internal
 */
import { Duration } from "effect"
import type { PodmanOptions } from "../Podman.js"
import type * as PodmanDriver from "./podmanDriver.js"
import type * as Runner from "./runner.js"

/** `--url`, `--connection`, `--root`, `--runroot`. */
const globalArgs = (options: PodmanOptions): Array<string> => [
  ...(options.url === undefined ? [] : ["--url", options.url]),
  ...(options.connection === undefined ? [] : ["--connection", options.connection]),
  ...(options.root === undefined ? [] : ["--root", options.root]),
  ...(options.runroot === undefined ? [] : ["--runroot", options.runroot])
]

/** The runner's settings from the layer's options. @internal */
export const runnerConfig = (options: PodmanOptions): Runner.RunnerConfig => ({
  binary: options.binary ?? "podman",
  globalArgs: globalArgs(options),
  timeout: Duration.decode(options.timeout ?? "30 seconds"),
  killGrace: Duration.decode(options.killGrace ?? "2 seconds")
})

/** The per-operation bounds from the layer's options. @internal */
export const driverTimeouts = (options: PodmanOptions): PodmanDriver.DriverTimeouts => ({
  start: Duration.decode(options.startTimeout ?? "60 seconds"),
  stopBuffer: Duration.decode(options.stopBuffer ?? "10 seconds"),
  remove: Duration.decode(options.removeTimeout ?? "120 seconds")
})

