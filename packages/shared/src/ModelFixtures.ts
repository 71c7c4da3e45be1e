/**
 * What a test puts in either edition's model directly: a container as `podman create` would make
 * it (`control.create`), and what its host is (`host`, `setHostInfo`). One description, so the two
 * models take the same fixtures.
 *
 * @since 0.4.0
 */

import type { HostMode } from "./PodmanAnswers.js"

/**
 * A container to create in the model: a missing image or a taken name fails as on podman (nothing
 * is pulled). Its processes run as any container's do; `devices` are CDI devices, and starting
 * fails with `GpuConfigError` unless the model's host resolves them.
 *
 * @example
 * ```ts
 * import type { ModelFixtures } from "effect-podman-shared"
 *
 * const worker: ModelFixtures.ContainerFixture = { name: "jobs-1", image: "api", command: ["sh", "-c", "exit 2"] }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface ContainerFixture {
  readonly name: string
  /** An image the model holds. */
  readonly image: string
  /** The main command; default: the image's. */
  readonly command?: ReadonlyArray<string> | undefined
  /** Bind mounts (the Effect 4 model does not hold host paths: it dies naming them). */
  readonly mounts?: ReadonlyArray<{ readonly source: string; readonly destination: string }> | undefined
  /** Labels (over the image's). */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** CDI devices (e.g. `nvidia.com/gpu=all`). */
  readonly devices?: ReadonlyArray<string> | undefined
  /** Environment variables of its processes (over the image's). */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** The working directory of its processes (default: the image's, or `/`). */
  readonly workdir?: string | undefined
  /** `UID[:GID]` of its processes (default root). */
  readonly user?: string | undefined
  /** Whether an init process runs the command (podman's `--init`; default false, as podman). */
  readonly init?: boolean | undefined
  /** The pod it is created in (podman's `--pod`); the pod must exist. */
  readonly pod?: string | undefined
}

/**
 * What the model's host is, and what its `podman info` reports: CDI spec folders and the rootless
 * network command (podman 5 reports both; by default neither, as podman 4.3), and whether its
 * podman runs rootless under which cgroups (root and v2 by default) — rootless under cgroup v1,
 * `pause`, `unpause` and `stats` fail as podman's do there (`Unsupported`) and no resource limit
 * is applied.
 *
 * @example
 * ```ts
 * import type { ModelFixtures } from "effect-podman-shared"
 *
 * const laptop: ModelFixtures.HostFacts = { rootless: true, cgroupVersion: "v2", rootlessNetworkCmd: "pasta" }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface HostFacts extends HostMode {
  readonly cdiSpecDirs?: ReadonlyArray<string> | undefined
  readonly rootlessNetworkCmd?: string | undefined
}
