/**
 * The commands the in-memory models of both editions run themselves, as a container's main process
 * or in `exec`: a handful of busybox applets and `sh -c` scripts of them — without Effect. A command
 * is a generator of instructions (write, sleep, run forever, or "cannot"); each edition drives it
 * on its own clock (so `sleep` follows the TestClock under `it.effect`).
 *
 * The rule: a command runs as it would in busybox, or the model dies saying it cannot run it —
 * never a different answer. The script grammar is `;`, `&&`, `||` and newlines between simple
 * commands, quotes, `$VAR`/`${VAR}`/`$?`, `#` comments and the redirections `>&2`, `2>&1`,
 * `> FILE` and `>> FILE` (fd 1 or 2); anything else (pipes, globs, `$(…)`, `if`, …) is refused by name.
 *
 * @since 0.4.0
 */
import { posix } from "node:path"
import { expand, tokenize } from "./internal/shellSyntax.js"
import type { Part, Token } from "./internal/shellSyntax.js"

/**
 * The process a command runs in: its files, environment, directory, user and input.
 *
 * @since 0.4.0
 */
export interface Io {
  /** The container's files (a redirection to a file writes here). */
  readonly files: Map<string, string>
  /** The whole environment (podman's defaults, the image's, the spec's). */
  readonly env: ReadonlyMap<string, string>
  readonly workdir: string
  /** `--user`: `UID[:GID]` or a name; empty for the image's (root). */
  readonly user: string
  /** The programs of the image, when its fixture declares them; otherwise any program the model runs. */
  readonly executables: ReadonlySet<string> | undefined
  /** The image's name, for what the model says it cannot know of it. */
  readonly image?: string | undefined
  /**
   * The image's folders (and its mounts' targets), when its fixture declares them: `cd` to another
   * fails as busybox's does. Otherwise a folder is what holds files, and `cd` goes anywhere.
   */
  readonly folders?: ReadonlySet<string> | undefined
  /** What the process reads on stdin (`cat` without files echoes it). */
  readonly stdin: string
  /** Whether a path can be written (not on a read-only root filesystem). */
  readonly writable: (path: string) => boolean
  /** `GET http://HOST:PORT/PATH` from this container, as the network answers it. */
  readonly http: (host: string, port: number, path: string) => HttpAnswer
}

/**
 * What a `GET` from a container meets.
 *
 * @since 0.4.0
 */
export type HttpAnswer =
  | { readonly _tag: "BadAddress" }
  | { readonly _tag: "Refused"; readonly address?: string | undefined }
  | { readonly _tag: "Answered"; readonly status: number; readonly body: string }

/**
 * One step of a running command: output, a sleep, no end (`sleep infinity`, `httpd`), or what the
 * model cannot run (the edition dies with `the model cannot run WHAT`).
 *
 * @since 0.4.0
 */
export type Instruction =
  | { readonly _tag: "Write"; readonly stream: "stdout" | "stderr"; readonly text: string }
  | { readonly _tag: "Sleep"; readonly millis: number }
  | { readonly _tag: "Forever" }
  | { readonly _tag: "Cannot"; readonly what: string }

/**
 * A running command: its instructions, then its exit code.
 *
 * @since 0.4.0
 */
export type Program = Generator<Instruction, number, void>

/** The programs the model runs (busybox applets). */
const PROGRAMS = new Set(["true", "false", "echo", "cat", "sleep", "httpd", "sh", "env", "id", "wget", "busybox"])
/** What `sh` runs itself, without a program. */
const SH_BUILTINS = new Set(["true", "false", "echo", "exit", "cd", "pwd"])
const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "function",
  "{",
  "}",
  "!"
])

/** What the model cannot run: the program ends here (the edition dies naming it). */
function* cannot(what: string): Program {
  yield { _tag: "Cannot", what }
  throw new Error(`the model cannot run ${what}`) // never reached: the edition stops at a Cannot
}

/**
 * Whether a path is a folder in a container's files (the root, or what holds files).
 *
 * @since 0.4.0
 */
export const isFolder = (files: ReadonlyMap<string, string>, path: string): boolean => {
  const folder = path.replace(/\/+$/, "")
  return folder === "" || [...files.keys()].some((file) => file.startsWith(`${folder}/`))
}

/**
 * Whether a folder exists in a process's container: it holds files, or the image's declared folders
 * list it; `true` when the image declares none (the model cannot tell); `undefined` under `/proc` or
 * `/sys` of an image that declares its folders (the kernel's, which the model does not hold).
 *
 * @since 0.4.0
 */
export const folderKnown = (io: Pick<Io, "files" | "folders">, path: string): boolean | undefined => {
  if (isFolder(io.files, path) || io.folders === undefined || io.folders.has(path.replace(/(.)\/+$/, "$1"))) return true
  return /^\/(proc|sys)(\/|$)/.test(path) ? undefined : false
}

/**
 * Whether a process's `--user` is root (empty: the image's default, root here).
 *
 * @since 0.4.0
 */
export const isRoot = (user: string): boolean =>
  user === "" || user === "root" || user === "0" || user.startsWith("0:") || user.startsWith("root:")

/** Writes to stdout or stderr. */
const write = (stream: "stdout" | "stderr", text: string): Instruction => ({ _tag: "Write", stream, text })

/** Writes and then exits with `code`. */
function* say(stream: "stdout" | "stderr", text: string, code: number): Program {
  yield write(stream, text)
  return code
}

const basename = (command: string) => command.slice(command.lastIndexOf("/") + 1)

/**
 * Whether `command` is absent from the image: only an image whose fixture declares its
 * `executables` can say so.
 *
 * @since 0.4.0
 */
export const isMissing = (command: string, io: Io): boolean =>
  io.executables !== undefined && !io.executables.has(command) && !io.executables.has(basename(command))

/**
 * The OCI runtime's words for a missing program (`exec` and a start without init).
 *
 * @since 0.4.0
 */
export const notFound = (command: string): string =>
  command.includes("/")
    ? `exec: "${command}": stat ${command}: no such file or directory: OCI runtime attempted to invoke a command that was not found`
    : `exec: "${command}": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found`

/** A path from `cwd`, normalized as the kernel reads it (`..` and `.` resolved, never above `/`). */
const resolvePath = (cwd: string, path: string) =>
  posix.normalize(path.startsWith("/") ? path : `${cwd}/${path}`).replace(/(.)\/+$/, "$1")

/** Runs a program (never a missing one: the caller answers for that) and returns its exit code. */
function* program(argv: ReadonlyArray<string>, io: Io, cwd: string): Program {
  const [command = "", ...args] = argv
  const name = basename(command)
  if (!PROGRAMS.has(name) && io.executables === undefined) {
    // podman would run it, or fail because the image lacks it: which, the model cannot know
    const image = io.image === undefined ? "the image" : `the image ${io.image}`
    return yield* cannot(
      `"${command}": ${image} declares no executables, so whether it has this program is unknown — declare them ` +
        `(executables: ["${name}", …]: a program not listed then answers as podman does when it is missing) ` +
        `or script the process (scriptProcess, scriptExec)`
    )
  }
  if (
    !PROGRAMS.has(name) || (io.executables !== undefined && !io.executables.has(command) && !io.executables.has(name))
  ) {
    return yield* cannot(`"${command}" (it runs ${[...PROGRAMS].join(", ")})`)
  }
  switch (name) {
    case "true":
      return 0
    case "false":
      return 1
    case "echo":
      return yield* echo(args)
    case "cat": {
      if (args.length === 0) return io.stdin === "" ? 0 : yield* say("stdout", io.stdin, 0)
      if (args.some((arg) => arg.startsWith("-") && arg !== "-")) {
        return yield* cannot(`cat with options (${args.join(" ")})`)
      }
      // each file in turn (`-`: stdin): what cannot be read is said, and the rest still printed
      let status = 0
      for (const arg of args) {
        if (arg === "-") {
          if (io.stdin !== "") yield write("stdout", io.stdin)
          continue
        }
        const path = resolvePath(cwd, arg)
        const content = io.files.get(path)
        if (content !== undefined) {
          if (content !== "") yield write("stdout", content)
          continue
        }
        status = 1
        yield write(
          "stderr",
          isFolder(io.files, path)
            ? "cat: read error: Is a directory\n"
            : `cat: can't open '${arg}': No such file or directory\n`
        )
      }
      return status
    }
    case "sleep": {
      if (args[0] === "infinity") return yield* forever()
      const seconds = Number(args[0])
      if (args.length === 1 && !/^[-+.\d]/.test(args[0]!)) {
        return yield* say("stderr", `sleep: invalid number '${args[0]}'\n`, 1)
      }
      if (args.length !== 1 || !Number.isFinite(seconds) || seconds < 0) {
        return yield* cannot(`sleep ${args.join(" ")} (only "sleep SECONDS" and "sleep infinity")`)
      }
      yield { _tag: "Sleep", millis: seconds * 1000 }
      return 0
    }
    case "httpd":
      return yield* forever()
    case "env":
      return args.length === 0
        ? yield* say("stdout", [...io.env].map(([key, value]) => `${key}=${value}\n`).join(""), 0)
        : yield* cannot(`env with arguments (${args.join(" ")})`)
    case "id":
      return yield* id(args, io)
    case "busybox":
      // `busybox APPLET …` runs the applet, whether or not the image links it
      return args.length > 0 && PROGRAMS.has(args[0]!) && args[0] !== "busybox"
        ? yield* program(args, { ...io, executables: undefined }, cwd)
        : yield* cannot(`busybox ${args.join(" ")}`)
    case "wget":
      return yield* wget(args, io)
    default: // sh
      // no terminal: it reads its script from stdin (none: it exits)
      if (args.length === 0) return io.stdin === "" ? 0 : yield* script(io.stdin, io)
      return args[0] === "-c" && args.length >= 2
        ? yield* script(args[1]!, io)
        : yield* cannot(`sh ${args.join(" ")} (only "sh -c SCRIPT")`)
  }
}

/** A process that runs until it is stopped. */
function* forever(): Program {
  yield { _tag: "Forever" }
  throw new Error("a Forever instruction never resumes")
}

function* echo(args: ReadonlyArray<string>): Program {
  const newline = args[0] !== "-n"
  const words = newline ? args : args.slice(1)
  if (words[0]?.startsWith("-") && /^-[neE]+$/.test(words[0])) return yield* cannot(`echo ${words[0]}`)
  return yield* say("stdout", `${words.join(" ")}${newline ? "\n" : ""}`, 0)
}

/** `wget -q -O - http://HOST[:PORT]/PATH`: the body on stdout, busybox's words on failure. */
function* wget(args: ReadonlyArray<string>, io: Io): Program {
  const url = args.length === 4 && args[0] === "-q" && args[1] === "-O" && args[2] === "-"
    ? /^http:\/\/([^/:]+)(?::(\d+))?(\/[^\s]*)?$/.exec(args[3]!)
    : null
  if (url === null) return yield* cannot(`wget ${args.join(" ")} (only "wget -q -O - http://HOST[:PORT]/PATH")`)
  const [, host = "", port = "80", path = "/"] = url
  const answer = io.http(host, Number(port), path)
  switch (answer._tag) {
    case "BadAddress":
      return yield* say("stderr", `wget: bad address '${host}'\n`, 1)
    case "Refused":
      return yield* say(
        "stderr",
        `wget: can't connect to remote host${
          answer.address === undefined ? "" : ` (${answer.address})`
        }: Connection refused\n`,
        1
      )
    case "Answered":
      return answer.status === 200
        ? yield* say("stdout", answer.body, 0)
        : yield* say("stderr", `wget: server returned error: HTTP/1.1 ${answer.status} Not Found\n`, 1)
  }
}

function* id(args: ReadonlyArray<string>, io: Io): Program {
  const [uid = "0", gid = "0"] = io.user === "" || io.user === "root" ? ["0", "0"] : io.user.split(":")
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) {
    return yield* cannot(`id for the user "${io.user}" (the model has no /etc/passwd)`)
  }
  if (args.length === 1 && (args[0] === "-u" || args[0] === "-g")) {
    return yield* say("stdout", `${args[0] === "-u" ? uid : gid}\n`, 0)
  }
  // root is named in any image's /etc/passwd and /etc/group
  if (args.length === 0 && uid === "0" && gid === "0") return yield* say("stdout", "uid=0(root) gid=0(root)\n", 0)
  return yield* cannot(`id ${args.join(" ")} (only "id -u" and "id -g")`)
}

/**
 * Runs `argv` as a container's process: its instructions, then its exit code. The caller answers
 * for a missing program first (`isMissing`): podman reports it differently at start and in exec.
 * A user named other than root cannot be answered for (podman looks the name up in the image's
 * `/etc/passwd`, which the model does not hold): give a numeric `UID[:GID]`.
 *
 * @since 0.4.0
 */
export const run = (argv: ReadonlyArray<string>, io: Io): Program =>
  isRoot(io.user) || /^\d+(:\d+)?$/.test(io.user)
    ? program(argv, io, io.workdir)
    : cannot(
      `a process as the user "${io.user}" (podman looks it up in the image's /etc/passwd, which the model does not hold: give a numeric UID[:GID])`
    )

/**
 * What an edition gives `interpret` to run a program in its own Effect: `F` is its effect of the
 * program's result `R` (a command's exit code; a model build's outcome, `ModelImages.build`).
 *
 * @since 0.4.0
 */
export interface Interpreter<F, R = number> {
  readonly exit: (code: R) => F
  readonly write: (stream: "stdout" | "stderr", text: string, next: () => F) => F
  readonly sleep: (millis: number, next: () => F) => F
  readonly forever: F
  readonly cannot: (what: string) => F
}

/**
 * Runs a program's instructions through an edition's `Interpreter`, to its result (a command's exit
 * code).
 *
 * @since 0.4.0
 */
export const interpret = <F, R = number>(
  program: Generator<Instruction, R, void>,
  interpreter: Interpreter<F, R>
): F => {
  const loop = (step: IteratorResult<Instruction, R>): F => {
    if (step.done === true) return interpreter.exit(step.value)
    const instruction = step.value
    switch (instruction._tag) {
      case "Write":
        return interpreter.write(instruction.stream, instruction.text, () => loop(program.next()))
      case "Sleep":
        return interpreter.sleep(instruction.millis, () => loop(program.next()))
      case "Forever":
        return interpreter.forever
      case "Cannot":
        return interpreter.cannot(instruction.what)
    }
  }
  return loop(program.next())
}

// --- sh -c (its syntax: ./internal/shellSyntax.ts) ------------------------------------------

interface Simple {
  readonly op: ";" | "&&" | "||"
  readonly words: ReadonlyArray<ReadonlyArray<Part>>
  readonly redirects: ReadonlyArray<Extract<Token, { _tag: "Redirect" }>>
}

/** Runs the statements of a script; `exit N` ends it with N. */
function* script(source: string, io: Io): Program {
  const tokens = tokenize(source)
  if (typeof tokens === "string") return yield* cannot(`a script with ${tokens} (${JSON.stringify(source)})`)
  const statements: Array<Simple> = []
  let pending: { op: Simple["op"]; words: Array<ReadonlyArray<Part>>; redirects: Array<Simple["redirects"][number]> } =
    {
      op: ";",
      words: [],
      redirects: []
    }
  for (const token of [...tokens, { _tag: "Op", op: ";" } as const]) {
    if (token._tag === "Word") pending.words.push(token.parts)
    else if (token._tag === "Redirect") pending.redirects.push(token)
    else {
      if (pending.words.length > 0) statements.push(pending)
      else if (token.op !== ";" || pending.redirects.length > 0) {
        return yield* cannot(`a script whose "${token.op}" has no command before it (${JSON.stringify(source)})`)
      }
      pending = { op: token.op, words: [], redirects: [] }
    }
  }
  let status = 0
  let cwd = io.workdir
  for (const statement of statements) {
    if ((statement.op === "&&" && status !== 0) || (statement.op === "||" && status === 0)) continue
    const last = status
    const lookup = (name: string) => name === "?" ? String(last) : io.env.get(name) ?? ""
    const argv = statement.words.flatMap((parts) => expand(parts, lookup))
    if (argv.length === 0) continue
    const command = argv[0]!
    if (KEYWORDS.has(command)) return yield* cannot(`a script with "${command}" (${JSON.stringify(source)})`)
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(command)) return yield* cannot(`a variable assignment (${command})`)
    const readOnly = statement.redirects.find((r) =>
      typeof r.to !== "string" && r.to.path !== "/dev/null" && !io.writable(resolvePath(cwd, r.to.path))
    )
    if (readOnly !== undefined && typeof readOnly.to !== "string") {
      status = yield* say("stderr", `sh: can't create ${readOnly.to.path}: Read-only file system\n`, 1)
      continue
    }
    // a folder (what holds files) cannot be written as a file
    const folder = statement.redirects.find((r) =>
      typeof r.to !== "string" && r.to.path !== "/dev/null" && isFolder(io.files, resolvePath(cwd, r.to.path))
    )
    if (folder !== undefined && typeof folder.to !== "string") {
      status = yield* say("stderr", `sh: can't create ${folder.to.path}: Is a directory\n`, 1)
      continue
    }
    // the model holds no owners or modes: what another user may write, it cannot say
    const written = statement.redirects.find((r) => typeof r.to !== "string" && r.to.path !== "/dev/null")
    if (written !== undefined && typeof written.to !== "string" && !isRoot(io.user)) {
      return yield* cannot(
        `a write to ${written.to.path} as the user "${io.user}" (it holds no file owners or modes; write as root)`
      )
    }
    if (command === "exit") {
      if (argv.length === 1) return last
      // busybox: a whole number, taken modulo 256; anything else is refused
      return /^\d+$/.test(argv[1]!)
        ? Number(argv[1]) % 256
        : yield* say("stderr", `sh: exit: line 0: Illegal number: ${argv[1]}\n`, 2)
    }
    if (command === "cd") {
      const target = argv[1] === undefined ? io.env.get("HOME") ?? "/" : resolvePath(cwd, argv[1])
      const known = folderKnown(io, target)
      if (known === undefined) {
        return yield* cannot(`cd ${target} (a kernel file system the image's folders do not list)`)
      }
      if (!known) {
        status = yield* say(
          "stderr",
          `sh: cd: line 0: can't cd to ${argv[1] ?? target}: No such file or directory\n`,
          2
        )
        continue
      }
      cwd = target
      status = 0
      continue
    }
    // the model serves pages for an httpd that is the container's command, not one a script starts
    const started = command === "exec" ? argv[1] : command
    if (started !== undefined && basename(started) === "httpd") {
      return yield* cannot(
        "httpd started by a shell script (it serves pages for an httpd given as the container's command)"
      )
    }
    if (command === "exec") {
      // the command replaces the shell: what follows never runs, its status is the script's
      if (argv.length === 1) return yield* cannot("exec without a command (redirections of the shell itself)")
      const replaced = isMissing(argv[1]!, io)
        ? say("stderr", `sh: exec: line 0: ${argv[1]}: not found\n`, 127)
        : program(argv.slice(1), io, cwd)
      return yield* routed(replaced, statement.redirects, cwd, io)
    }
    const inner = command === "pwd"
      ? say("stdout", `${cwd}\n`, 0)
      : SH_BUILTINS.has(command)
      ? program(argv, { ...io, executables: undefined }, cwd)
      : isMissing(command, io)
      ? say("stderr", `sh: ${command}: not found\n`, 127)
      : program(argv, io, cwd)
    status = yield* routed(inner, statement.redirects, cwd, io)
  }
  return status
}

/** A statement's program with its output sent where its redirections say (applied left to right). */
function* routed(inner: Program, redirects: Simple["redirects"], cwd: string, io: Io): Program {
  const targets: Record<"stdout" | "stderr", string> = { stdout: "stdout", stderr: "stderr" }
  for (const redirect of redirects) {
    const fd = redirect.fd === 1 ? "stdout" : "stderr"
    if (typeof redirect.to === "string") {
      targets[fd] = targets[redirect.to]
    } else {
      const path = resolvePath(cwd, redirect.to.path)
      // `>` truncates when the command starts, whether or not it writes
      if (path !== "/dev/null" && (!redirect.to.append || !io.files.has(path))) io.files.set(path, "")
      targets[fd] = `file:${path}`
    }
  }
  let step = inner.next()
  while (step.done !== true) {
    const instruction = step.value
    if (instruction._tag === "Write") {
      const target = targets[instruction.stream]
      if (target === "stdout" || target === "stderr") {
        yield write(target, instruction.text)
      } else {
        const path = target.slice("file:".length)
        if (path !== "/dev/null") io.files.set(path, (io.files.get(path) ?? "") + instruction.text)
      }
    } else {
      yield instruction
    }
    step = inner.next()
  }
  return step.value
}
