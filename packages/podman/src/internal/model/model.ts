/**
 * The in-memory model of podman behind `TestRuntime`: images, and containers moving through
 * created → running → exited → removed. Failures mimic podman's exit codes and messages.
 *
 * @internal
 */
import { Effect, PubSub } from "effect"
import type { Deferred, Fiber, Option } from "effect"
import * as ModelFiles from "effect-podman-shared/ModelFiles"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { Server } from "node:http"
import type { ContainerConfig, ContainerMount } from "../../ContainerRuntime.js"
import type { PublishedPort } from "../../ContainerSpec.js"
import { NonZeroExit } from "../../PodmanError.js"
import type { NonZeroExitReason } from "../../PodmanError.js"
import { redactEnvArgs } from "../../Redact.js"
import * as Failures from "../core/failures.js"
import * as Json from "../core/podmanJson.js"

/** @internal */
export interface ModelImage {
  readonly id: string
  names: Array<string>
  readonly labels: Readonly<Record<string, string>>
  readonly history: ReadonlyArray<string>
  readonly size: number
  readonly created: Date
  readonly files: ReadonlyMap<string, string>
  /** The image's CMD. */
  readonly command: ReadonlyArray<string>
  /** The programs in the image, when its fixture declares them. */
  readonly executables: ReadonlySet<string> | undefined
  /** Its folders, when its fixture declares them. */
  readonly folders: ReadonlyArray<string> | undefined
  /** The manifest digest, once pushed or pulled. */
  digest: string | undefined
  /** Its `HEALTHCHECK` command (docker-format images only), which containers inherit. */
  readonly healthcheck: ReadonlyArray<string> | undefined
  /** Its `ENV`, under a container's own. */
  readonly env: Readonly<Record<string, string>>
  /** Its `WORKDIR`, a container's unless it sets one. */
  readonly workdir: string | undefined
}

/** A network, volume or pod in the model. @internal */
export type ModelResource = ModelFiles.Resource

/** @internal */
export type MountedVolume = ModelFiles.MountedVolume

/** @internal */
export const MountedFiles = ModelFiles.MountedFiles

/** @internal */
export type MountedFiles = ModelFiles.MountedFiles

/** @internal */
export interface ModelContainer {
  readonly id: string
  readonly name: string
  readonly image: ModelImage
  readonly imageName: string
  readonly command: ReadonlyArray<string>
  /** The environment the spec adds to podman's defaults. */
  readonly env: Readonly<Record<string, string>>
  readonly workdir: string
  readonly user: string
  /** Whether an init process (catatonit) runs the command. */
  readonly init: boolean
  /** How many times it was started. */
  starts: number
  /** Its limits and settings, as inspect reports them. */
  readonly config: ContainerConfig
  /** Whether the current main process is a test's script (it ends on any signal). */
  scripted: boolean
  /** Why the model could not run its main process (a defect every later operation dies with). */
  defect?: unknown
  readonly mounts: ReadonlyArray<ContainerMount>
  /** The network it joined, and its aliases there. */
  readonly network: string | undefined
  readonly aliases: ReadonlyArray<string>
  /** The pod it is in. */
  readonly pod: string | undefined
  /** The volumes it mounts. */
  readonly volumes: ReadonlyArray<string>
  readonly devices: ReadonlyArray<string>
  readonly labels: Readonly<Record<string, string>>
  readonly healthcheck: Option.Option<ReadonlyArray<string>>
  readonly ports: ReadonlyArray<PublishedPort>
  /** Real sockets on the published host ports while an `httpd` main process runs. */
  servers: Array<Server>
  readonly files: MountedFiles
  state: "created" | "running" | "paused" | "exited"
  exitCode: number
  startedAt: Option.Option<Date>
  rwSize: number
  /** Completed with the exit code when the current run ends. */
  exited: Deferred.Deferred<number>
  /** The main process, while running. */
  process: Option.Option<Fiber.RuntimeFiber<number>>
  /** Every log line written so far. */
  readonly logs: Array<LogLine>
  /** New log lines, then `End` when the main process ends (for `logs --follow`). */
  readonly logFeed: PubSub.PubSub<LogItem>
  /** Output not yet ended by a newline, per stream. */
  readonly partial: { stdout: string; stderr: string }
}

/** @internal */
export interface LogLine {
  readonly time: Date
  readonly stream: "stdout" | "stderr"
  readonly line: string
}

/** What a spec sets of a container's limits and settings. @internal */
export type Limits = Answers.SpecLimits

/**
 * A container's config as podman 4.3 reports it (`effect-podman-shared/PodmanAnswers.settingsOf`).
 *
 * @internal
 */
export const configOf = (id: string, limits: Limits, host: Answers.HostMode = {}): ContainerConfig =>
  Json.withOptions(Answers.settingsOf(id, limits, host))

/** @internal */
export const hasLabel = Answers.hasLabel

/** @internal */
export const DEFAULT_PATH = Answers.DEFAULT_PATH

/** The environment of a container's process (its main one, or an exec's): podman's defaults, then the spec's. @internal */
export const environment = (
  container: ModelContainer,
  extra: Readonly<Record<string, string>> = {},
  process: { readonly user: string; readonly exec: boolean } = { user: container.user, exec: false }
): ReadonlyMap<string, string> => Answers.environment(container.id, container.env, extra, process)

/** @internal */
export type LogItem = { readonly _tag: "Line"; readonly line: LogLine } | { readonly _tag: "End" }

/** Appends output to a container's log: complete lines go to `logs` and the feed. @internal */
export const appendLog = (container: ModelContainer, stream: "stdout" | "stderr", text: string): Effect.Effect<void> =>
  Effect.suspend(() => {
    const parts = (container.partial[stream] + text).split("\n")
    container.partial[stream] = parts.pop() ?? ""
    const lines = parts.map((line) => ({ time: new Date(), stream, line }))
    container.logs.push(...lines)
    return PubSub.publishAll(container.logFeed, lines.map((line) => ({ _tag: "Line" as const, line })))
  })

/**
 * A failure as the podman CLI would report it; the model sets `reason` itself (it knows what
 * happened) and takes the operation from the command it imitates.
 *
 * @internal
 */
export const failure = (
  argv: ReadonlyArray<string>,
  reason: NonZeroExitReason,
  stderr: string,
  exitCode = 125
): NonZeroExit => {
  const full = argv[0] === "podman" ? argv : ["podman", ...argv]
  return new NonZeroExit({
    reason,
    operation: Failures.cliOperation(full.slice(1)),
    argv: redactEnvArgs(full),
    exitCode,
    stderr
  })
}

/** podman's refusal (`effect-podman-shared/PodmanAnswers`) as the `NonZeroExit` of `argv`. @internal */
export const refused = (argv: ReadonlyArray<string>, refusal: Answers.Refusal): NonZeroExit =>
  failure(argv, refusal.reason, refusal.stderr, refusal.exitCode)

/** The `NonZeroExit` podman gives for a missing container. @internal */
export const noSuchContainer = (argv: ReadonlyArray<string>, name: string): NonZeroExit =>
  refused(argv, Answers.noSuchContainer(name))

/** The `NonZeroExit` podman gives for a missing image. @internal */
export const noSuchImage = (argv: ReadonlyArray<string>, ref: string): NonZeroExit =>
  refused(argv, Answers.noSuchImage(ref))

/** @internal */
export const randomId = Answers.randomId

/** @internal */
export const normalizeImageName = Answers.normalizeImageName

/** @internal */
export const imageCandidates = Answers.imageCandidates

/** @internal */
export const copyPaths = ModelFiles.copyPaths
