/**
 * What podman reports about a container beyond its state: its limits and settings, and samples
 * of its resource use. (Also reachable as `Container.*` and `ContainerRuntime.*`.)
 *
 * @since 0.3.0
 */
import type { Option } from "effect"
import type * as PodmanJson from "effect-podman-shared/PodmanJson"

/**
 * The limits and settings a container runs with, as podman reports them: what the spec set, and
 * podman's defaults for the rest (`pidsLimit` 2048, `shmSize` 64000 KiB on a stock podman 4.3).
 * Sizes are bytes; `none` is no limit. Ulimits are named as the spec names them (`nofile`).
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const memoryMiB = (container: ContainerRuntime.Container) =>
 *   Effect.map(container.config, Option.flatMap((config) => Option.map(config.memory, (bytes) => bytes / 2 ** 20)))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface ContainerConfig extends Omit<PodmanJson.ContainerSettings, "memory" | "cpus" | "pidsLimit"> {
  readonly memory: Option.Option<number>
  readonly cpus: Option.Option<number>
  readonly pidsLimit: Option.Option<number>
}

/**
 * One sample of a container's resource use: CPU (percent of one CPU, averaged since the last
 * sample podman took), memory used and its limit, network and block I/O totals, processes. A
 * container that is not running reports zeros.
 *
 * @example
 * ```ts
 * import { Console, Effect, Stream } from "effect"
 * import type { ContainerRuntime } from "effect-podman"
 *
 * const watch = (container: ContainerRuntime.Container) =>
 *   container.statsStream({ interval: "1 second" }).pipe(
 *     Stream.take(5),
 *     Stream.runForEach((s) => Console.log(`${s.cpuPercent.toFixed(1)}% ${s.memoryUsed}/${s.memoryLimit} B, ${s.pids} pids`))
 *   )
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export type ContainerStats = PodmanJson.ContainerStats
