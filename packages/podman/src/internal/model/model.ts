/**
 * The in-memory model of podman behind `TestRuntime`: images, and containers moving through
 * created → running → exited → removed. Failures mimic podman's exit codes and messages.
 *
 * @internal
 */
import { Effect, PubSub } from "effect"
import type { Deferred, Fiber, Option } from "effect"
import type { Server } from "node:http"
import type { ContainerMount } from "../../ContainerRuntime.js"
import type { PublishedPort } from "../../ContainerSpec.js"
import { NonZeroExit } from "../../PodmanError.js"
import type { NonZeroExitReason } from "../../PodmanError.js"
import * as Failures from "../core/failures.js"
import { redactEnvArgs } from "../../Redact.js"

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
}

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
  readonly mounts: ReadonlyArray<ContainerMount>
  readonly devices: ReadonlyArray<string>
  readonly labels: Readonly<Record<string, string>>
  readonly healthcheck: Option.Option<ReadonlyArray<string>>
  readonly ports: ReadonlyArray<PublishedPort>
  /** Real sockets on the published host ports while an `httpd` main process runs. */
  servers: Array<Server>
  readonly files: Map<string, string>
  state: "created" | "running" | "exited"
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

/** The PATH podman gives a container whose image sets none. @internal */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/** The environment of a container's processes: podman's defaults, then the spec's. @internal */
export const environment = (
  container: ModelContainer,
  extra: Readonly<Record<string, string>> = {}
): ReadonlyMap<string, string> =>
  new Map(Object.entries({
    PATH: DEFAULT_PATH,
    container: "podman",
    HOME: "/",
    HOSTNAME: container.id.slice(0, 12),
    ...container.env,
    ...extra
  }))

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

/** The `NonZeroExit` podman gives for a missing container. @internal */
export const noSuchContainer = (argv: ReadonlyArray<string>, name: string): NonZeroExit =>
  failure(argv, "NoSuchContainer", `Error: no container with name or ID "${name}" found: no such container`)

/** The `NonZeroExit` podman gives for a missing image. @internal */
export const noSuchImage = (argv: ReadonlyArray<string>, ref: string): NonZeroExit =>
  failure(argv, "NoSuchImage", `Error: ${ref}: image not known`)

/**
 * What `podman create` of an image that is not here gives: podman tries to pull it, and the model
 * has no registry.
 *
 * @internal
 */
export const pullFailed = (argv: ReadonlyArray<string>, ref: string): NonZeroExit =>
  failure(
    argv,
    "PullFailed",
    `Error: initializing source docker://${normalizeImageName(ref)}: the test model has no registry ` +
      "(add the image with TestRuntimeControl.addImage)"
  )

/** Random 64-hex ids, as podman's. @internal */
export const randomId = (): string =>
  Array.from({ length: 64 }, () => Math.floor(Math.random() * 16).toString(16)).join("")

/** The full name podman gives a local image name: `app` → `localhost/app:latest`. @internal */
export const normalizeImageName = (name: string): string => {
  const tagged = name.lastIndexOf(":") > name.lastIndexOf("/") ? name : `${name}:latest`
  return tagged.includes("/") ? tagged : `localhost/${tagged}`
}

/** The names a reference may match, as podman's short-name resolution for local images. @internal */
export const imageCandidates = (ref: string): Array<string> => [...new Set([ref, normalizeImageName(ref)])]

/** Copies host files into a container's file map: a directory contents-first, a file by name. @internal */
export const copyPaths = (
  entries: ReadonlyArray<readonly [relative: string, content: string]>,
  isDirectory: boolean,
  sourceName: string,
  dest: string,
  existing: ReadonlyMap<string, string>
): Array<readonly [string, string]> => {
  const base = dest.replace(/\/+$/, "")
  if (isDirectory) return entries.map(([relative, content]) => [`${base}/${relative}`, content] as const)
  const destIsDirectory = dest.endsWith("/") || [...existing.keys()].some((path) => path.startsWith(`${base}/`))
  return entries.map(([, content]) => [destIsDirectory ? `${base}/${sourceName}` : base, content] as const)
}
