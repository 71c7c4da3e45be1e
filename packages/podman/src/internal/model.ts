/**
 * The in-memory model of podman behind `TestRuntime`: images, and containers moving through
 * created → running → exited → removed. Failures mimic podman's exit codes and messages.
 *
 * @internal
 */
import type { Deferred } from "effect"
import { Duration, Effect, Option } from "effect"
import type { ContainerMount, ExecResult } from "../ContainerRuntime.js"
import { NonZeroExit, Timeout } from "../PodmanError.js"
import { redactEnvArgs } from "../Redact.js"

/** @internal */
export interface ModelImage {
  readonly id: string
  names: Array<string>
  readonly labels: Readonly<Record<string, string>>
  readonly history: ReadonlyArray<string>
  readonly size: number
  readonly created: Date
  readonly files: ReadonlyMap<string, string>
}

/** @internal */
export interface ModelContainer {
  readonly id: string
  readonly name: string
  readonly image: ModelImage
  readonly imageName: string
  readonly command: ReadonlyArray<string>
  readonly mounts: ReadonlyArray<ContainerMount>
  readonly devices: ReadonlyArray<string>
  readonly files: Map<string, string>
  state: "created" | "running" | "exited"
  exitCode: number
  startedAt: Option.Option<Date>
  rwSize: number
  /** Completed with the exit code when the current run ends. */
  exited: Deferred.Deferred<number>
}

/** A command's outcome in the model: a result, or "keeps running" (with how long, if bounded). */
type Outcome =
  | { readonly _tag: "Done"; readonly result: ExecResult }
  | { readonly _tag: "Runs"; readonly seconds: Option.Option<number> }

const done = (exitCode: number, stdout = "", stderr = ""): Outcome => ({
  _tag: "Done",
  result: { exitCode, stdout, stderr }
})

/**
 * The few commands the model understands: `true`, `false`, `echo`, `cat FILE…`, `sleep N`,
 * `sh -c "exit N"`; long-running servers (`httpd`, `sleep` without a number) keep running.
 * Anything else is exit 127, as an OCI runtime reports a missing executable.
 *
 * @internal
 */
export const interpret = (argv: ReadonlyArray<string>, files: ReadonlyMap<string, string>): Outcome => {
  const [command = "", ...args] = argv
  const name = command.slice(command.lastIndexOf("/") + 1)
  switch (name) {
    case "true":
      return done(0)
    case "false":
      return done(1)
    case "echo":
      return done(0, `${args.join(" ")}\n`)
    case "cat": {
      const missing = args.find((path) => !files.has(path))
      return missing === undefined
        ? done(0, args.map((path) => files.get(path)).join(""))
        : done(1, "", `cat: can't open '${missing}': No such file or directory\n`)
    }
    case "sleep": {
      const seconds = Number(args[0])
      return { _tag: "Runs", seconds: Number.isFinite(seconds) ? Option.some(seconds) : Option.none() }
    }
    case "httpd":
      return { _tag: "Runs", seconds: Option.none() }
    case "sh": {
      const script = args[0] === "-c" ? args[1] ?? "" : ""
      const exit = /^\s*exit\s+(\d+)\s*$/.exec(script)
      if (exit !== null) return done(Number(exit[1]))
      const echo = /^\s*echo\s+(.*?)\s*$/.exec(script)
      if (echo !== null) return done(0, `${echo[1]}\n`)
      return done(0)
    }
    default:
      return done(
        127,
        "",
        `Error: runc: exec failed: unable to start container process: exec: "${command}": ` +
          "executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\n"
      )
  }
}

/** The `NonZeroExit` podman gives for a missing container. @internal */
export const noSuchContainer = (argv: ReadonlyArray<string>, name: string): NonZeroExit =>
  new NonZeroExit({
    argv: redactEnvArgs(["podman", ...argv]),
    exitCode: 125,
    stderr: `Error: no container with name or ID "${name}" found: no such container`
  })

/** The `NonZeroExit` podman gives for a missing image. @internal */
export const noSuchImage = (argv: ReadonlyArray<string>, ref: string): NonZeroExit =>
  new NonZeroExit({ argv: redactEnvArgs(["podman", ...argv]), exitCode: 125, stderr: `Error: ${ref}: image not known` })

/** Fails with `Timeout` (argv as podman would have been run) when `bound` passes. @internal */
export const bounded = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  argv: ReadonlyArray<string>,
  bound: Option.Option<Duration.Duration>
): Effect.Effect<A, E | Timeout, R> =>
  Option.match(bound, {
    onNone: () => effect,
    onSome: (duration) =>
      Effect.timeoutFail(effect, {
        duration,
        onTimeout: () =>
          new Timeout({ argv: redactEnvArgs(["podman", ...argv]), timeoutMillis: Duration.toMillis(duration) })
      })
  })

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
