/**
 * The commands the test layer's model runs itself, as a container's main process or in `exec`:
 * a handful of busybox applets and `sh -c` scripts of them, on Effect time (so `sleep` follows
 * the TestClock under `it.effect`).
 *
 * @internal
 */
import { Effect } from "effect"

/** Where a command's output goes, and the files it can read. @internal */
export interface Io {
  readonly files: ReadonlyMap<string, string>
  readonly write: (stream: "stdout" | "stderr", text: string) => Effect.Effect<void>
}

const notFound = (command: string) =>
  `Error: runc: exec failed: unable to start container process: exec: "${command}": ` +
  "executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\n"

/** Splits a shell word list, honouring single and double quotes. */
const words = (statement: string): Array<string> =>
  Array.from(statement.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g), (m) => m[1] ?? m[2] ?? m[3] ?? "")

/**
 * Runs `argv` and returns its exit code: `true`, `false`, `echo`, `cat [FILE…]`, `sleep N`
 * (`sleep` alone, `sleep infinity` and `httpd` run until stopped), `sh -c SCRIPT` where SCRIPT is
 * statements of those, separated by `;`, `&&` or newlines, each optionally redirected with
 * `>&2`, and `exit N`. Anything else exits 127 as the OCI runtime reports it.
 *
 * @internal
 */
export const run = (argv: ReadonlyArray<string>, io: Io): Effect.Effect<number> => {
  const [command = "", ...args] = argv
  switch (command.slice(command.lastIndexOf("/") + 1)) {
    case "true":
      return Effect.succeed(0)
    case "false":
      return Effect.succeed(1)
    case "echo":
      return Effect.as(io.write("stdout", `${args.join(" ")}\n`), 0)
    case "cat": {
      if (args.length === 0) return Effect.succeed(0) // no stdin here: `execStdio` handles `cat`
      const missing = args.find((path) => !io.files.has(path))
      return missing === undefined
        ? Effect.as(io.write("stdout", args.map((path) => io.files.get(path)).join("")), 0)
        : Effect.as(io.write("stderr", `cat: can't open '${missing}': No such file or directory\n`), 1)
    }
    case "sleep": {
      const seconds = Number(args[0])
      return Number.isFinite(seconds) ? Effect.as(Effect.sleep(`${seconds * 1000} millis`), 0) : Effect.never
    }
    case "httpd":
      return Effect.never
    case "sh":
      return args[0] === "-c" ? script(args[1] ?? "", io) : Effect.succeed(0)
    default:
      return Effect.as(io.write("stderr", notFound(command)), 127)
  }
}

/** Runs the statements of a script in order; `exit N` ends it with N. */
const script = (source: string, io: Io): Effect.Effect<number> =>
  Effect.gen(function*() {
    let status = 0
    for (const statement of source.split(/;|&&|\n/).map((s) => s.trim()).filter((s) => s !== "")) {
      const toStderr = /\s*>&2$/.test(statement)
      const argv = words(statement.replace(/\s*>&2$/, ""))
      if (argv[0] === "exit") return Number(argv[1] ?? status)
      const redirected: Io = toStderr ? { ...io, write: (_, text) => io.write("stderr", text) } : io
      status = yield* run(argv, redirected)
    }
    return status
  })
