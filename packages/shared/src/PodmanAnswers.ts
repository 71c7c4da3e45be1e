/**
 * podman 4.3's answers, as the in-memory models of both editions give them: its words for each
 * refusal (with the reason and exit code the CLI gives), its signal rules, and the environment and
 * image names it gives a container. The models decide *what* happens here; each edition keeps
 * only the state and the Effects.
 *
 * @since 0.4.0
 */
import type { Control, ResourceKind } from "./Argv.js"
import { reasonOf } from "./Failures.js"
import type { NonZeroExitReason } from "./Failures.js"
import * as Limits from "./Limits.js"
import type { ContainerSettings } from "./PodmanJson.js"
import { isRoot, notFound } from "./Shell.js"
import type { CreateSpec } from "./Spec.js"

/**
 * A refusal as the podman CLI reports it: what happened, its words on stderr, its exit code.
 *
 * @since 0.4.0
 */
export interface Refusal {
  readonly reason: NonZeroExitReason
  readonly stderr: string
  readonly exitCode: number
}

const refusal = (reason: NonZeroExitReason, stderr: string, exitCode = 125): Refusal => ({ reason, stderr, exitCode })

/**
 * The states a model's container moves through (podman's `stopped` is `exited` here, as podman
 * 4.3 reports a container stopped by `podman stop`).
 *
 * @since 0.4.0
 */
export type RunState = "created" | "running" | "paused" | "exited"

/**
 * A missing container.
 *
 * @since 0.4.0
 */
export const noSuchContainer = (name: string): Refusal =>
  refusal("NoSuchContainer", `Error: no container with name or ID "${name}" found: no such container`)

/**
 * A missing image.
 *
 * @since 0.4.0
 */
export const noSuchImage = (ref: string): Refusal => refusal("NoSuchImage", `Error: ${ref}: image not known`)

/**
 * A container name that is taken, by the container `holder` (its id).
 *
 * @since 0.4.0
 */
export const nameInUse = (name: string, holder: string): Refusal =>
  refusal(
    "NameInUse",
    `Error: creating container storage: the container name "${name}" is already in use by ${holder}. You have to remove that container to be able to reuse that name: that name is already in use`
  )

/** podman's words for a name that is taken, per kind. */
const TAKEN: Record<ResourceKind, (name: string) => string> = {
  network: (name) => `Error: network name ${name} already used: network already exists`,
  volume: (name) => `Error: volume with name ${name} already exists: volume already exists`,
  pod: (name) => `Error: adding pod to state: name "${name}" is in use: pod already exists`
}

/**
 * A network, volume or pod name that is taken.
 *
 * @since 0.4.0
 */
export const resourceTaken = (kind: ResourceKind, name: string): Refusal => refusal("NameInUse", TAKEN[kind](name))

/**
 * A container that names a network podman does not have.
 *
 * @since 0.4.0
 */
export const noSuchNetwork = (name: string): Refusal =>
  refusal("NoSuchResource", `Error: unable to find network with name or ID ${name}: network not found`)

/**
 * A container that names a pod podman does not have.
 *
 * @since 0.4.0
 */
export const noSuchPod = (name: string): Refusal =>
  refusal("NoSuchResource", `Error: no pod with name or ID ${name} found: no such pod`)

/**
 * Whether a container uses a network, pod or volume (a forced removal of it takes the container).
 *
 * @since 0.4.0
 */
export const uses = (
  kind: ResourceKind,
  name: string,
  container: {
    readonly network: string | undefined
    readonly pod: string | undefined
    readonly volumes: ReadonlyArray<string>
  }
): boolean =>
  kind === "network"
    ? container.network === name
    : kind === "pod"
    ? container.pod === name
    : container.volumes.includes(name)

/**
 * An `exec` in a container that is not running (podman exits 255 for it).
 *
 * @since 0.4.0
 */
export const execNotRunning: Refusal = refusal(
  "NotRunning",
  "Error: can only create exec sessions on running containers: container state improper",
  255
)

/**
 * What an `exec` of a program the image lacks writes on stderr (it exits 127).
 *
 * @since 0.4.0
 */
export const execMissing = (command: string): string =>
  `Error: runc: exec failed: unable to start container process: ${notFound(command)}\n`

/**
 * A start whose program the image lacks, without an init process.
 *
 * @since 0.4.0
 */
export const startMissing = (id: string, command: string): Refusal =>
  refusal(
    "Other",
    `Error: unable to start container "${id}": runc: runc create failed: unable to start container process: ${
      notFound(command)
    }`
  )

/**
 * A `podman run` whose program the image lacks, without an init process: the container stays,
 * created, and podman exits 127.
 *
 * @since 0.4.0
 */
export const runMissing = (command: string): Refusal => {
  const stderr = `Error: runc: runc create failed: unable to start container process: ${notFound(command)}`
  return refusal(reasonOf(stderr), stderr, 127)
}

/**
 * `podman cp NAME:PATH -` of a path the container does not have.
 *
 * @since 0.4.0
 */
export const noSuchPath = (name: string, path: string): Refusal =>
  refusal("Other", `Error: "${path}" could not be found on container ${name}: no such file or directory`)

/**
 * A launch whose CDI devices the host cannot resolve (no CDI spec declares them): `podman run`
 * exits 126 (the container stays, created), `podman start` 125, naming the container.
 *
 * @since 0.4.0
 */
export const cdiUnresolved = (devices: ReadonlyArray<string>, start: { readonly id: string } | undefined): Refusal => {
  const cause = `setting up CDI devices: unresolvable CDI devices ${devices.join(", ")}`
  return start === undefined
    ? refusal(reasonOf(`Error: ${cause}`), `Error: ${cause}`, 126)
    : refusal(reasonOf(`Error: ${cause}`), `Error: unable to start container "${start.id}": ${cause}`)
}

/**
 * `podman healthcheck run` of a container that has no health check.
 *
 * @since 0.4.0
 */
export const noHealthcheck = (id: string): Refusal => {
  const stderr = `Error: container ${id} has no defined healthcheck`
  return refusal(reasonOf(stderr), stderr)
}

/**
 * `podman healthcheck run` of a container that is not running.
 *
 * @since 0.4.0
 */
export const healthcheckNotRunning = (id: string): Refusal => {
  const stderr = `Error: container ${id} is not running`
  return refusal(reasonOf(stderr), stderr)
}

/**
 * `podman cp SRC NAME:DEST` of a host path that is not there.
 *
 * @since 0.4.0
 */
export const noSuchHostPath = (src: string): Refusal => {
  const stderr = `Error: "${src}" could not be found on the host: no such file or directory`
  return refusal(reasonOf(stderr), stderr)
}

/**
 * What catatonit writes when the program it should run is missing (the container then exits 1).
 *
 * @since 0.4.0
 */
export const CATATONIT_MISSING = "ERROR (catatonit:2): failed to exec pid1: No such file or directory\n"

/** The signals the models know, by number. */
/**
 * A signal's number (`SIGTERM`, `TERM`, `15`), or `undefined` (`Limits.signalNumber`).
 *
 * @since 0.4.0
 */
export const signalNumber = Limits.signalNumber

const improper = (text: string) => refusal("NotRunning", `Error: ${text}: container state improper`)

/**
 * What the models' host is, for what podman refuses there whatever the container: rootless under
 * cgroup v1, a container has no cgroup of its own (root by default, where it always has).
 *
 * @since 0.4.0
 */
export interface HostMode {
  readonly rootless?: boolean | undefined
  readonly cgroupVersion?: "v1" | "v2" | undefined
}

const cgroupless = (host: HostMode): boolean => host.rootless === true && host.cgroupVersion === "v1"

/**
 * podman's warning when it creates a container without the memory, CPU and process limits asked
 * (rootless under cgroup v1, where a container has no cgroup of its own).
 *
 * @since 0.4.0
 */
export const RESOURCE_LIMITS_IGNORED = "Resource limits are not supported and ignored on cgroups V1 rootless systems"

/**
 * What podman prints on stderr when it creates a container with `limits` on `host`: its warning
 * when it cannot apply the memory, CPU or process limits asked, else nothing.
 *
 * @since 0.4.0
 */
export const createWarnings = (limits: SpecLimits, host: HostMode): string =>
  cgroupless(host) && (limits.memory !== undefined || limits.cpus !== undefined || limits.pidsLimit !== undefined)
    ? `${RESOURCE_LIMITS_IGNORED}\n`
    : ""

/**
 * podman's refusal of `stats` on a host where containers have no cgroup of their own (rootless,
 * cgroup v1), whatever the container's state.
 *
 * @since 0.4.0
 */
export const statsRefusal = (host: HostMode): Refusal | undefined =>
  cgroupless(host)
    ? refusal("Unsupported", "Error: stats is not supported in rootless mode without cgroups v2")
    : undefined

/**
 * Whether podman refuses a kill, pause, unpause or restart of a container in `state` (a restart of
 * a paused one) on `host`: rootless under cgroup v1 the CLI refuses any unpause up front, and a pause
 * of a running container.
 *
 * @since 0.4.0
 */
export const controlRefusal = (
  control: Control,
  container: { readonly id: string; readonly state: RunState },
  host: HostMode = {}
): Refusal | undefined => {
  const { id, state } = container
  switch (control._tag) {
    case "Kill":
      if (state !== "running" && state !== "paused") {
        return improper(`can only kill running containers. ${id} is in state ${state}`)
      }
      return signalNumber(control.signal) === undefined
        ? refusal("Other", `Error: invalid signal: ${control.signal}`)
        : undefined
    case "Pause":
      if (state === "paused") return improper(`"${id}" is already paused`)
      // (podman names the state here, not the container)
      if (state !== "running") return improper(`"${state}" is not running, can't pause`)
      return cgroupless(host)
        ? refusal(
          "Unsupported",
          "Error: can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup"
        )
        : undefined
    case "Unpause":
      if (cgroupless(host)) {
        return refusal("Unsupported", "Error: unpause is not supported for cgroupv1 rootless containers")
      }
      return state === "paused" ? undefined : improper(`"${id}" is not paused, can't unpause`)
    case "Restart":
      return state === "paused" ? improper("unable to restart a container in a paused or unknown state") : undefined
  }
}

/**
 * podman's refusal of a `start` of a paused container (one that is running or created is started,
 * or left running).
 *
 * @since 0.4.0
 */
export const startRefusal = (container: { readonly id: string; readonly state: RunState }): Refusal | undefined =>
  container.state === "paused"
    ? improper(
      `unable to start container "${container.id}": container ${container.id} must be in Created or Stopped state to be started`
    )
    : undefined

/**
 * podman's refusal of a `stop` of a paused container (it stays paused: unpause it, or kill it).
 *
 * @since 0.4.0
 */
export const stopRefusal = (container: { readonly id: string; readonly state: RunState }): Refusal | undefined =>
  container.state === "paused"
    ? improper(`container ${container.id} is running or paused, refusing to clean up`)
    : undefined

/**
 * podman's refusal to remove an image by its id (not by a name) while it has several names,
 * unless forced: it names them all.
 *
 * @since 0.4.0
 */
export const removeByIdRefusal = (image: { readonly id: string; readonly names: ReadonlyArray<string> }): Refusal =>
  refusal(
    "Other",
    `Error: unable to delete image "${image.id}" by ID with more than one tag ([${
      image.names.join(" ")
    }]): please force removal`
  )

/**
 * podman's refusal of a file copied (from an archive) onto a path that is a folder.
 *
 * @since 0.4.0
 */
export const copyOntoFolder = (path: string): Refusal =>
  refusal(
    "Other",
    `Error: 1 error occurred:\n\t* copying to container: copier: put: error creating "${path}": copier: put: error creating file at "${path}": open ${path}: file exists\n\n`
  )

/**
 * What an exec in a working directory the container lacks gives: exit 127, runc's words.
 *
 * @since 0.4.0
 */
export const execWorkdirMissing = (workdir: string): string =>
  `Error: runc: exec failed: unable to start container process: chdir to cwd (${
    JSON.stringify(workdir)
  }) set in config.json failed: no such file or directory: OCI runtime attempted to invoke a command that was not found\n`

/**
 * Whether `podman wait` answers at once: a container that is not running — created and never
 * started (its exit code is 0), or exited — gives its exit code; a running or paused one is waited
 * for.
 *
 * @since 0.4.0
 */
export const waitAnswersAtOnce = (state: RunState): boolean => state === "created" || state === "exited"

/** The signals a process ignores unless it handles them (CHLD, CONT, URG, WINCH). */
const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28])

/**
 * Whether a signal stops a process rather than ending it (STOP, TSTP, TTIN, TTOU): the models hold
 * no stopped processes, so they say they cannot (a paused container is what they hold).
 *
 * @since 0.4.0
 */
export const signalStops = (signal: number): boolean => signal >= 19 && signal <= 22

/**
 * Whether a signal ends the main process, and with which exit code (128 + its number): SIGKILL
 * always; a test's scripted process on any; under `init` (catatonit forwards them) those whose
 * default action ends busybox's programs — not CHLD, CONT, URG or WINCH, which they ignore —;
 * PID 1 without init ignores all but SIGKILL, as busybox does.
 *
 * @since 0.4.0
 */
export const signalExit = (
  signal: number,
  container: { readonly init: boolean; readonly scripted: boolean }
): number | undefined =>
  signal === 9 || container.scripted || (container.init && !IGNORED_BY_DEFAULT.has(signal)) ? 128 + signal : undefined

/**
 * The exit code of a main process that `podman stop` or `restart` ends: SIGTERM through an init or
 * to a scripted process (143), SIGKILL after the grace for a PID 1 that ignores SIGTERM (137) — and
 * at once with a grace of 0 seconds (137).
 *
 * @since 0.4.0
 */
export const stopExit = (container: { readonly init: boolean; readonly scripted: boolean }, seconds?: number): number =>
  seconds === 0 ? 137 : signalExit(15, container) ?? 137

/**
 * podman's refusal of a file copied (from an archive) under a path that is a file.
 *
 * @since 0.4.0
 */
export const copyUnderFile = (path: string): Refusal =>
  refusal(
    "Other",
    `Error: 1 error occurred:\n\t* copying to container: copier: put: error creating "${path}": copier: put: error opening file "${path}" for writing: open ${path}: not a directory\n\n`
  )

/**
 * The PATH podman gives a container whose image sets none.
 *
 * @since 0.4.0
 */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/**
 * The environment podman gives a container's process, in podman's order: `PATH`, `TERM=xterm`,
 * `container=podman`, the spec's variables (then an exec's), and — unless set — `HOME` (`/root` for
 * root, `/` for a user the image's passwd does not name) and, for the main process only,
 * `HOSTNAME` (the id's first 12 characters).
 *
 * @since 0.4.0
 */
export const environment = (
  id: string,
  env: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
  process: { readonly user: string; readonly exec: boolean } = { user: "", exec: false }
): ReadonlyMap<string, string> => {
  const all = new Map(Object.entries({ PATH: DEFAULT_PATH, TERM: "xterm", container: "podman", ...env, ...extra }))
  if (!all.has("HOME")) all.set("HOME", isRoot(process.user) ? "/root" : "/")
  if (!process.exec && !all.has("HOSTNAME")) all.set("HOSTNAME", id.slice(0, 12))
  return all
}

/**
 * The full name podman gives a local image name: `app` → `localhost/app:latest`.
 *
 * @since 0.4.0
 */
export const normalizeImageName = (name: string): string => {
  const tagged = name.lastIndexOf(":") > name.lastIndexOf("/") ? name : `${name}:latest`
  return tagged.includes("/") ? tagged : `localhost/${tagged}`
}

/**
 * The names a reference may match, as podman's short-name resolution for local images.
 *
 * @since 0.4.0
 */
export const imageCandidates = (ref: string): Array<string> => [...new Set([ref, normalizeImageName(ref)])]

/**
 * Whether labels match a `key` or `key=value` filter, as podman's `--filter label=`.
 *
 * @since 0.4.0
 */
export const hasLabel = (labels: Readonly<Record<string, string>>, filter: string): boolean => {
  const [key = "", value] = filter.split(/=(.*)/s)
  return key in labels && (value === undefined || labels[key] === value)
}

/**
 * Random 64-hex ids, as podman's.
 *
 * @since 0.4.0
 */
export const randomId = (): string =>
  Array.from({ length: 64 }, () => Math.floor(Math.random() * 16).toString(16)).join("")

/**
 * A memory or shm size as podman reads `--memory 64m`: bytes, or binary k, m, g.
 *
 * @since 0.4.0
 */
export const memoryBytes = (size: string): number => Number(Limits.sizeBytes(size))

/**
 * What the models report for a container's resource use: a small, steady sample while it runs —
 * its memory limit (the spec's, or the host's memory), its processes (an init and the command) —
 * and zeros when it does not.
 *
 * @since 0.4.0
 */
export const modelStats = (
  container: { readonly running: boolean; readonly init: boolean; readonly memoryLimit: number }
) => ({
  cpuPercent: 0,
  memoryUsed: container.running ? 512 * 1024 : 0,
  memoryLimit: container.running ? container.memoryLimit : 0,
  networkIn: 0,
  networkOut: 0,
  blockIn: 0,
  blockOut: 0,
  pids: container.running ? (container.init ? 2 : 1) : 0,
  time: new Date()
})

const capability = (name: string) => (name.startsWith("CAP_") || name === "ALL" ? name : `CAP_${name}`)

/**
 * What a spec sets of a container's limits and settings.
 *
 * @since 0.4.0
 * @category models
 */
export type SpecLimits =
  & Partial<
    Pick<
      CreateSpec<unknown>,
      | "memory"
      | "cpus"
      | "pidsLimit"
      | "hostname"
      | "extraHosts"
      | "capAdd"
      | "capDrop"
      | "readOnly"
      | "ulimits"
      | "shmSize"
      | "restartRetries"
    >
  >
  & {
    readonly restartPolicy?: string | undefined
  }

/**
 * A model container's settings as podman 4.3 reports them: the spec's values, and stock podman's
 * defaults for the rest (its ulimits come from the host's containers.conf, which the models do not
 * read: they report only the spec's).
 *
 * @since 0.4.0
 */
export const settingsOf = (id: string, limits: SpecLimits, host: HostMode = {}): ContainerSettings => ({
  hostname: limits.hostname ?? id.slice(0, 12),
  // rootless under cgroup v1 podman sets no resource limit (it warns RESOURCE_LIMITS_IGNORED)
  memory: limits.memory === undefined || cgroupless(host) ? undefined : memoryBytes(limits.memory),
  cpus: cgroupless(host) ? undefined : limits.cpus,
  pidsLimit: limits.pidsLimit === -1 || cgroupless(host) ? undefined : limits.pidsLimit ?? 2048,
  restartPolicy: {
    name: limits.restartPolicy ?? "no",
    maxRetries: limits.restartPolicy === "on-failure" ? limits.restartRetries ?? 0 : 0
  },
  readOnly: limits.readOnly ?? false,
  capAdd: (limits.capAdd ?? []).map(capability),
  capDrop: (limits.capDrop ?? []).map(capability),
  extraHosts: limits.extraHosts ?? {},
  ulimits: limits.ulimits ?? {},
  shmSize: limits.shmSize === undefined ? 65_536_000 : memoryBytes(limits.shmSize)
})
