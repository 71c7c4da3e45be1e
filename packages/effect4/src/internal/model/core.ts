/**
 * What the Effect 4 edition's model is made of: its images, containers, networks, volumes and pods
 * in memory, and the helpers every part of it uses — podman's refusals as `NonZeroExit`s, a
 * caller's bound as the CLI's `Timeout`, and the shared shell driven on Effect time.
 *
 * @internal
 */
import { Duration, Effect } from "effect"
import type { Deferred, Fiber, PubSub } from "effect"
import { cliOperation } from "effect-podman-shared/Failures"
import type * as LogFile from "effect-podman-shared/LogFile"
import type * as ModelFiles from "effect-podman-shared/ModelFiles"
import type * as ModelImages from "effect-podman-shared/ModelImages"
import type * as Answers from "effect-podman-shared/PodmanAnswers"
import type * as PodmanJson from "effect-podman-shared/PodmanJson"
import { redactEnvArgs } from "effect-podman-shared/Redact"
import * as Shell from "effect-podman-shared/Shell"
import type { PublishedPort } from "effect-podman-shared/Spec"
import type { Server } from "node:http"
import { NonZeroExit } from "../../PodmanError.js"

/**
 * An image the model holds: its name, default command, the programs it has (any the model runs,
 * when absent), its files, labels and environment.
 *
 * @internal
 */
export interface Image {
  /** Its name (`app` is held as `localhost/app:latest`, as podman names local images). */
  readonly name: string
  readonly command?: ReadonlyArray<string> | undefined
  readonly executables?: ReadonlyArray<string> | undefined
  /** Its folders (a `cd` or an exec's directory elsewhere fails as on podman); any, when absent. */
  readonly folders?: ReadonlyArray<string> | undefined
  readonly files?: Readonly<Record<string, string>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly workdir?: string | undefined
  /** The `CreatedBy` of each step, newest first. */
  readonly history?: ReadonlyArray<string> | undefined
  /** Its `HEALTHCHECK` command (a `docker`-format image's), which its containers inherit. */
  readonly healthcheck?: ReadonlyArray<string> | undefined
  /** Its size in bytes, as listings report it (default 0). */
  readonly size?: number | undefined
}

/** One log entry, numbered (a follower skips what it already read). @internal */
export interface Line {
  readonly index: number
  readonly entry: LogFile.LogEntry
}

/** @internal */
export interface Container {
  readonly id: string
  readonly name: string
  readonly image: Image
  /** The image as podman reports it: the name the spec gave, in full (or the id it gave). */
  readonly imageName: string
  readonly command: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  readonly init: boolean
  readonly workdir: string
  readonly user: string
  readonly readOnly: boolean
  /** Its published ports (its pod's, in a pod). */
  readonly ports: ReadonlyArray<PublishedPort>
  /** Its own files, with its volumes and tmpfs mounts at their targets. */
  readonly files: ModelFiles.MountedFiles
  /** The network it joined, and its aliases there; its pod; the volumes it mounts. */
  readonly network: string | undefined
  readonly aliases: ReadonlyArray<string>
  readonly pod: string | undefined
  readonly volumes: ReadonlyArray<string>
  /** Its health check command, if any. */
  readonly healthcheck: ReadonlyArray<string> | undefined
  /** What was written to it from outside (copies), in bytes: its writable layer as the model counts it. */
  rwSize: number
  /** When it last started. */
  startedAt: Date | undefined
  readonly mounts: ReadonlyArray<
    { readonly type: string; readonly source: string; readonly destination: string; readonly rw: boolean }
  >
  /** Its limits and settings, as podman reports them. */
  readonly settings: PodmanJson.ContainerSettings
  /** Its memory limit in bytes (the host's memory when the spec sets none). */
  readonly memoryLimit: number
  /** The CDI devices it asked for (its GPUs). */
  readonly devices: ReadonlyArray<string>
  state: Answers.RunState
  exitCode: number
  /** How many times it was started. */
  starts: number
  /** Whether its main process is a test's script (it ends on any signal). */
  scripted: boolean
  exited: Deferred.Deferred<number>
  process: Fiber.Fiber<void> | undefined
  /** What the model could not run in the main process: every later operation dies with it. */
  defect: unknown
  servers: Array<Server>
  /** Its log, each line with when it was written (wall time, as podman's log records it). */
  readonly logs: Array<LogFile.LogEntry & { readonly time: number }>
  readonly feed: PubSub.PubSub<Line | "end">
  readonly partial: { stdout: string; stderr: string }
}

/** An image the model holds: its id, its names (full, as podman names them) and what it is. @internal */
export interface ModelImage {
  readonly id: string
  /** Its manifest digest (podman reports one for every local image, built here, pulled or pushed). */
  digest: string
  /** When it was made (a fixture: when the model was; a build: when it ran; a pull: the pushed image's). */
  readonly created: Date
  readonly names: Array<string>
  readonly image: Image
}

/** A network, volume or pod. @internal */
export type Resource = ModelFiles.Resource

/** Everything the model holds. @internal */
export interface State {
  readonly images: Array<ModelImage>
  /** The registries a test declared, by `host:port`, with what was pushed there. */
  readonly registries: ModelImages.Registries<ModelImage>
  readonly containers: Map<string, Container>
  readonly resources: Record<"network" | "volume" | "pod", Map<string, Resource>>
}

const SCRIPT_HINT = "the Effect 4 model runs busybox's true, false, echo, cat, sleep, httpd, sh -c, env, id and wget"

/** What the model cannot do: a defect naming it. @internal */
export const cannot = (what: string): Effect.Effect<never> =>
  Effect.die(new Error(`the model cannot ${what} (${SCRIPT_HINT})`))

/** podman's refusal as the `NonZeroExit` of `argv` (the CLI's argv for the same call). @internal */
export const refused = (argv: ReadonlyArray<string>, refusal: Answers.Refusal): NonZeroExit =>
  new NonZeroExit({
    reason: { _tag: refusal.reason },
    operation: cliOperation(argv),
    argv: redactEnvArgs(["podman", ...argv]),
    exitCode: refusal.exitCode,
    stderr: refusal.stderr
  })

/** @internal */
export { within } from "../core/driver.js"

/** Drives a command's instructions (`effect-podman-shared/Shell`) on Effect time, to its exit code. @internal */
export const drive = (
  program: () => Shell.Program,
  write: (stream: "stdout" | "stderr", text: string) => Effect.Effect<void>
) =>
  Effect.suspend(() =>
    Shell.interpret<Effect.Effect<number>>(program(), {
      exit: Effect.succeed,
      write: (stream, text, next) => Effect.flatMap(write(stream, text), next),
      sleep: (millis, next) => Effect.flatMap(Effect.sleep(Duration.millis(millis)), next),
      forever: Effect.never,
      cannot: (what) => cannot(`run ${what}`)
    })
  )

/** Drives a build's steps (`effect-podman-shared/ModelImages`) on Effect time, to its outcome. @internal */
export const driveBuild = (program: () => Generator<Shell.Instruction, ModelImages.BuildOutcome, void>) =>
  Effect.suspend(() =>
    Shell.interpret<Effect.Effect<ModelImages.BuildOutcome>, ModelImages.BuildOutcome>(program(), {
      exit: Effect.succeed,
      write: (_, __, next) => next(),
      sleep: (millis, next) => Effect.flatMap(Effect.sleep(Duration.millis(millis)), next),
      forever: Effect.never,
      cannot: (what) => Effect.die(new Error(`the model cannot ${what}`))
    })
  )
