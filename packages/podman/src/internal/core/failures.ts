/**
 * The failure refinements every driver shares: a bound that becomes `Timeout`, a failed launch
 * that is really a GPU (CDI) misconfiguration, and a host path `copyIn` could not read.
 *
 * @internal
 */
import { Duration, Effect, Option } from "effect"
import { classifyGpuError } from "../pure/gpu.js"
import type { GpuConfigError, NonZeroExitReason, TimeoutReason } from "../../PodmanError.js"
import { NonZeroExit, Timeout } from "../../PodmanError.js"
import { redactEnvArgs } from "../../Redact.js"
import * as HostTree from "./hostTree.js"

/** The `Timeout` of a call (its argv redacted) whose bound passed. @internal */
export const timeout = (
  argv: ReadonlyArray<string>,
  bound: Duration.DurationInput,
  reason: TimeoutReason = "LayerBound"
): Timeout => new Timeout({ argv: redactEnvArgs(argv), timeoutMillis: Duration.toMillis(bound), reason })

/**
 * Fails with `Timeout` naming `argv` (redacted) when `bound` passes; without a bound, or with an
 * infinite one, waits as long as it takes.
 *
 * @internal
 */
export const within = (
  bound: Duration.DurationInput | undefined,
  argv: ReadonlyArray<string>,
  reason: TimeoutReason = "LayerBound"
) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Timeout, R> => {
  const duration = bound === undefined ? Duration.infinity : Duration.decode(bound)
  return Duration.isFinite(duration)
    ? Effect.timeoutFail(effect, {
      duration,
      onTimeout: () => timeout(argv, duration, reason)
    })
    : effect
}

/** A failed start or create: `GpuConfigError` when its stderr is a CDI failure, itself otherwise. @internal */
export const gpuOrNonZero = (error: NonZeroExit): Effect.Effect<never, NonZeroExit | GpuConfigError> =>
  Effect.fail(Option.getOrElse(classifyGpuError(error.stderr, error.argv), (): NonZeroExit | GpuConfigError => error))

/** A host path `copyIn` could not read (the host failed, not podman: no exit code). @internal */
export const hostPath = (argv: ReadonlyArray<string>, error: HostTree.HostPathError): NonZeroExit =>
  new NonZeroExit({ operation: "container.copyIn", argv: redactEnvArgs(argv), stderr: `Error: ${error.message}` })

/** The host tree at `src` for `copyIn`; absent or unreadable, a `NonZeroExit` saying so. @internal */
export const hostTree = (src: string, argv: ReadonlyArray<string>): Effect.Effect<HostTree.HostTree, NonZeroExit> =>
  HostTree.read(src).pipe(
    Effect.mapError((error) => hostPath(argv, error)),
    Effect.flatMap(Option.match({
      onSome: Effect.succeed,
      onNone: () =>
        Effect.fail(new NonZeroExit({
          operation: "container.copyIn",
          argv: redactEnvArgs(argv),
          stderr: `Error: "${src}" could not be found on the host: no such file or directory`
        }))
    }))
  )

/**
 * What podman's words say happened. podman's CLI and its API use the same messages (the API
 * returns the error the CLI would print), so both backends' classifiers read them here; the REST
 * backend adds what the HTTP status says.
 *
 * @internal
 */
export const reasonOf = (text: string): NonZeroExitReason =>
  /initializing source|pinging container registry|error pulling image|manifest unknown|unauthorized|requested access to the resource is denied|short-name .* did not resolve/i
      .test(text)
    ? "PullFailed"
    : /name is already in use|is already in use by|already used: network already exists|already exists: volume already exists|pod already exists/i.test(text)
    ? "NameInUse"
    : /is in use by a container|has dependent containers|image is in use/i.test(text)
    ? "InUse"
    : /no such container|no container with (name or )?id|container "[^"]*" does not exist/i.test(text)
    ? "NoSuchContainer"
    : /image not known|no such image/i.test(text)
    ? "NoSuchImage"
    : /network not found|no such pod|no such volume/i.test(text)
    ? "NoSuchResource"
    : /state improper|is not running|container not running|can only create exec sessions on running containers|exec session as container .* is paused/i.test(text)
    ? "NotRunning"
    : "Other"

const CLI_OPERATIONS: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
  [["container", "inspect"], "container.inspect"],
  [["image", "inspect"], "image.inspect"],
  [["image", "history"], "image.history"],
  [["image", "rm"], "image.remove"],
  [["healthcheck", "run"], "container.healthcheck"],
  [["system", "service"], "system.service"],
  [["network", "create"], "network.create"],
  [["network", "rm"], "network.remove"],
  [["network", "ls"], "network.list"],
  [["volume", "create"], "volume.create"],
  [["volume", "rm"], "volume.remove"],
  [["volume", "ls"], "volume.list"],
  [["pod", "create"], "pod.create"],
  [["pod", "rm"], "pod.remove"],
  [["pod", "ps"], "pod.list"],
  [["start"], "container.start"],
  [["kill"], "container.kill"],
  [["stats"], "container.stats"],
  [["pause"], "container.pause"],
  [["unpause"], "container.unpause"],
  [["restart"], "container.restart"],
  [["stop"], "container.stop"],
  [["wait"], "container.wait"],
  [["cp"], "container.copyIn"],
  [["ps"], "container.list"],
  [["rm"], "container.remove"],
  [["create"], "container.create"],
  [["run"], "container.run"],
  [["exec"], "container.exec"],
  [["logs"], "container.logs"],
  [["events"], "events"],
  [["info"], "system.info"],
  [["images"], "image.list"],
  [["tag"], "image.tag"]
]

/** The operation a podman command line performs (`start web` → `container.start`). @internal */
export const cliOperation = (args: ReadonlyArray<string>): string =>
  CLI_OPERATIONS.find(([verbs]) => verbs.every((verb, i) => args[i] === verb))?.[1] ?? `podman ${args[0] ?? ""}`.trim()
