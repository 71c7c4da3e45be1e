/**
 * Images in the in-memory models of both editions, without Effect: the registries a test declares
 * (a pull and a push answered with podman's words and phases) and builds of the Containerfile
 * instructions the models can run. Each edition keeps its images and registries in its own state,
 * reads a build's host files asynchronously, and drives a build (`build`, a generator of `Shell`
 * instructions) on its own clock.
 *
 * @since 0.4.0
 */
import { posix } from "node:path"
import type { BuildSettings } from "./Argv.js"
import { copyPaths } from "./ModelFiles.js"
import type { Refusal } from "./PodmanAnswers.js"
import { DEFAULT_PATH, normalizeImageName, randomId } from "./PodmanAnswers.js"
import type { ImageProgress } from "./Progress.js"
import * as Shell from "./Shell.js"

// --- registries ---------------------------------------------------------------------------

/**
 * The registries a model holds: by `host:port`, the images pushed there by full name, each with
 * its manifest digest.
 *
 * @since 0.4.0
 */
export type Registries<I> = Map<string, Map<string, { readonly image: I; readonly digest: string }>>

/**
 * The registry host of a reference, when it names one (`host.domain/…`, `host:port/…`,
 * `localhost/…`).
 *
 * @since 0.4.0
 */
export const registryOf = (ref: string): string | undefined => {
  const first = ref.split("/")[0] ?? ""
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined
}

const pullFailed = (stderr: string): Refusal => ({ reason: "PullFailed", stderr, exitCode: 125 })

const unreachable = (ref: string, host: string, verb: "initializing source" | "trying to reuse blob", hint: string) =>
  pullFailed(
    `Error: ${verb} docker://${ref}: pinging container registry ${host}: Get "http://${host}/v2/": dial tcp ${host}: connect: connection refused` +
      ` (the test model reaches only the registries ${hint})`
  )

const insecure = (ref: string, host: string) =>
  pullFailed(
    `Error: initializing source docker://${ref}: pinging container registry ${host}: Get "https://${host}/v2/": http: server gave HTTP response to HTTPS client`
  )

/**
 * What a pull of `ref` from the model's registries meets: podman's refusal (no such registry —
 * `hint` says how a test declares one —, HTTPS asked of an HTTP registry, no such manifest), or
 * the image stored there.
 *
 * @since 0.4.0
 */
export const pullFrom = <I>(
  registries: Registries<I>,
  ref: string,
  tlsVerify: boolean,
  hint: string
): { readonly _tag: "Refused"; readonly refusal: Refusal } | {
  readonly _tag: "Found"
  readonly image: I
  readonly digest: string
} => {
  const host = registryOf(ref)
  const registry = host === undefined ? undefined : registries.get(host)
  if (host === undefined || registry === undefined) {
    return {
      _tag: "Refused",
      refusal: unreachable(normalizeImageName(ref), host ?? "docker.io", "initializing source", hint)
    }
  }
  if (tlsVerify) return { _tag: "Refused", refusal: insecure(ref, host) }
  const stored = registry.get(normalizeImageName(ref))
  return stored === undefined
    ? {
      _tag: "Refused",
      refusal: pullFailed(
        `Error: initializing source docker://${ref}: reading manifest in ${ref}: manifest unknown: manifest unknown`
      )
    }
    : { _tag: "Found", ...stored }
}

/**
 * A push of `image` to `destination` in the model's registries: stored there under a new manifest
 * digest (returned), or podman's refusal when no declared registry is there over HTTP.
 *
 * @since 0.4.0
 */
export const pushTo = <I>(
  registries: Registries<I>,
  image: I,
  destination: string,
  tlsVerify: boolean,
  hint: string
): { readonly _tag: "Refused"; readonly refusal: Refusal } | { readonly _tag: "Pushed"; readonly digest: string } => {
  const host = registryOf(destination)
  const registry = host === undefined ? undefined : registries.get(host)
  if (host === undefined || registry === undefined || tlsVerify) {
    return {
      _tag: "Refused",
      refusal: unreachable(normalizeImageName(destination), host ?? "docker.io", "trying to reuse blob", hint)
    }
  }
  const digest = `sha256:${randomId()}`
  registry.set(normalizeImageName(destination), { image, digest })
  return { _tag: "Pushed", digest }
}

const status = (text: string): ImageProgress => ({ _tag: "Status", text })

/**
 * A pull's first phase, before the registry answers.
 *
 * @since 0.4.0
 */
export const trying = (ref: string): ImageProgress => status(`Trying to pull ${normalizeImageName(ref)}...`)

/**
 * What podman reports while it copies an image (its `history`, newest first, and its `id`) to or
 * from a registry: its phases, its layers (the steps that are not metadata) and its config, and
 * last `Done` with `done` (the local image's id).
 *
 * @since 0.4.0
 */
export const transfer = (history: ReadonlyArray<string>, id: string, done: string): Array<ImageProgress> => [
  status("Getting image source signatures"),
  ...history
    .filter((step) => !step.includes("#(nop)") || /(ADD|COPY) /.test(step))
    .map((_, i): ImageProgress => ({
      _tag: "Blob",
      kind: "layer",
      digest: `sha256:${id.slice(i, 64)}${id.slice(0, i)}`
    })),
  { _tag: "Blob", kind: "config", digest: `sha256:${id}` },
  status("Writing manifest to image destination"),
  status("Storing signatures"),
  { _tag: "Done", id: done }
]

// --- builds -------------------------------------------------------------------------------

/**
 * What a build starts `FROM`: a local image of the model.
 *
 * @since 0.4.0
 */
export interface BuildBase {
  readonly files: Iterable<readonly [string, string]>
  readonly labels: Readonly<Record<string, string>>
  /** The `CreatedBy` of each step, newest first. */
  readonly history: ReadonlyArray<string>
  readonly command: ReadonlyArray<string> | undefined
  /** Its programs, when it declares them (see `Shell.Io`). */
  readonly executables: ReadonlySet<string> | undefined
  /** Its folders, when it declares them (see `Shell.Io`). */
  readonly folders?: ReadonlyArray<string> | undefined
  readonly healthcheck: ReadonlyArray<string> | undefined
}

/**
 * What a build makes: its base with the steps' files, labels, history, command and health check.
 *
 * @since 0.4.0
 */
export interface Built extends BuildBase {
  readonly files: Map<string, string>
  readonly labels: Record<string, string>
  readonly history: Array<string>
}

/**
 * A host path a `COPY` reads (in the context): its regular files by relative path, as text.
 *
 * @since 0.4.0
 */
export interface HostCopy {
  readonly isDirectory: boolean
  readonly files: ReadonlyArray<readonly [relative: string, content: string]>
}

/**
 * A build's outcome: the image it made, or podman's refusal of a step — each with what it reported.
 *
 * @since 0.4.0
 */
export type BuildOutcome =
  | { readonly _tag: "Built"; readonly progress: ReadonlyArray<ImageProgress>; readonly image: Built }
  | { readonly _tag: "Failed"; readonly progress: ReadonlyArray<ImageProgress>; readonly refusal: Refusal }

/**
 * podman's refusal of a build whose Containerfile is not there.
 *
 * @since 0.4.0
 */
export const noContainerfile = (path: string): Refusal => ({
  reason: "Other",
  stderr: `Error: stat ${path}: no such file or directory`,
  exitCode: 125
})

/**
 * A Containerfile's steps, as podman counts them: its instructions (comments and blank lines
 * left out), then one of podman's own for the options' labels.
 *
 * @since 0.4.0
 */
export const steps = (containerfile: string, settings: BuildSettings): Array<string> => {
  const lines = containerfile.split("\n").map((line) => line.trim()).filter((line) =>
    line !== "" && !line.startsWith("#")
  )
  const labels = Object.entries(settings.labels)
  if (labels.length > 0) lines.push(`LABEL ${labels.map(([key, value]) => `"${key}"="${value}"`).join(" ")}`)
  return lines
}

/** The instructions a model build runs. */
const INSTRUCTION = /^(FROM|LABEL|RUN|ARG|COPY|CMD|HEALTHCHECK)\s+(.*)$/i

/** A `COPY`'s source and destination; its source inside the context, as podman resolves it (`..` stops at the context). */
const copyOperands = (rest: string): { readonly source: string; readonly destination: string } | undefined => {
  const operands = rest.trim().split(/\s+/)
  if (operands.length !== 2 || operands.some((operand) => operand.startsWith("--"))) return undefined
  return { source: posix.normalize(`/${operands[0]}`), destination: operands[1]! }
}

/**
 * The host paths (inside the context, from its root) the `COPY` steps read: the edition reads
 * them before the build runs.
 *
 * @since 0.4.0
 */
export const copySources = (buildSteps: ReadonlyArray<string>): Array<string> =>
  buildSteps.flatMap((line) => {
    const match = INSTRUCTION.exec(line)
    const operands = match !== null && match[1]!.toUpperCase() === "COPY" ? copyOperands(match[2]!) : undefined
    return operands === undefined ? [] : [operands.source]
  })

/** `LABEL a=b "c d"="e f"`: its pairs. */
const labelPairs = (text: string): Array<readonly [string, string]> =>
  Array.from(
    text.matchAll(/("[^"]*"|[^\s=]+)=("[^"]*"|\S*)/g),
    (m) => [m[1]!.replace(/^"|"$/g, ""), m[2]!.replace(/^"|"$/g, "")] as const
  )

/** An exec form (`["a", "b"]`) or a shell form (`a b`, run by `/bin/sh -c`); undefined when neither. */
const commandForm = (text: string): ReadonlyArray<string> | undefined => {
  if (!text.startsWith("[")) return ["/bin/sh", "-c", text]
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) && parsed.every((part) => typeof part === "string") ? parsed : undefined
  } catch {
    return undefined
  }
}

function* cannot(what: string): Generator<Shell.Instruction, never, void> {
  yield { _tag: "Cannot", what: `build ${what}` }
  throw new Error(`the model cannot build ${what}`) // never reached: the edition stops at a Cannot
}

const BUILDS = "it builds FROM (a local image), LABEL, ARG, RUN, COPY SOURCE DEST, CMD and HEALTHCHECK"

/**
 * `podman build` in a model: `FROM` a local image, `LABEL`, `ARG`, `RUN` (in the model's shell, with
 * the build arguments in its environment — its output as `Output` lines), `COPY` from the context
 * (`sources`, read by the edition), `CMD`, `HEALTHCHECK` (kept in the `docker` format only, as
 * podman does). Anything else — another instruction, a stage (`AS`, `target`), a `COPY` option —
 * is a `Cannot` naming it; a failing step is podman's refusal.
 *
 * @since 0.4.0
 */
export function* build(input: {
  readonly settings: BuildSettings
  readonly steps: ReadonlyArray<string>
  readonly base: (ref: string) => BuildBase | undefined
  readonly sources: ReadonlyMap<string, HostCopy | undefined>
}): Generator<Shell.Instruction, BuildOutcome, void> {
  const { settings } = input
  if (settings.target !== undefined) return yield* cannot(`a stage (target "${settings.target}"): ${BUILDS}`)
  const progress: Array<ImageProgress> = []
  const failed = (refusal: Refusal): BuildOutcome => ({ _tag: "Failed", progress, refusal })
  let base: BuildBase | undefined
  const files = new Map<string, string>()
  const labels: Record<string, string> = {}
  const args: Record<string, string> = {}
  const history: Array<string> = []
  let command: ReadonlyArray<string> | undefined
  let healthcheck: ReadonlyArray<string> | undefined
  for (const [i, line] of input.steps.entries()) {
    const match = INSTRUCTION.exec(line)
    if (match === null) return yield* cannot(`"${line}": ${BUILDS}`)
    const keyword = match[1]!.toUpperCase()
    const rest = match[2]!.trim()
    progress.push({ _tag: "Step", index: i + 1, total: input.steps.length, instruction: line })
    if (keyword !== "FROM" && base === undefined) return yield* cannot(`"${line}" before a FROM`)
    switch (keyword) {
      case "FROM": {
        if (/\s/.test(rest)) return yield* cannot(`"${line}": ${BUILDS}`)
        base = input.base(rest)
        if (base === undefined) {
          return failed(
            pullFailed(
              `Error: creating build container: initializing source docker://${rest}: the test model has no such image`
            )
          )
        }
        for (const [path, content] of base.files) files.set(path, content)
        break
      }
      case "LABEL":
        for (const [key, value] of labelPairs(rest)) labels[key] = value
        history.unshift(`/bin/sh -c #(nop) LABEL ${rest}`)
        break
      case "ARG": {
        const [name = "", value = ""] = rest.split(/=(.*)/s)
        args[name] = settings.buildArgs[name] ?? value
        history.unshift(`/bin/sh -c #(nop) ARG ${name}`)
        break
      }
      case "HEALTHCHECK": {
        // `HEALTHCHECK [--option=…] CMD …` or `NONE`; an OCI image cannot hold one (podman drops it)
        const check = /^(?:--\S+\s+)*(NONE|CMD\s+(.*))$/i.exec(rest)
        const form = check?.[2] === undefined ? undefined : commandForm(check[2].trim())
        if (check === null || (check[2] !== undefined && form === undefined)) return yield* cannot(`"${line}"`)
        healthcheck = settings.format === "docker" ? form : undefined
        history.unshift(`/bin/sh -c #(nop) HEALTHCHECK ${rest}`)
        break
      }
      case "CMD":
        command = commandForm(rest)
        if (command === undefined) return yield* cannot(`"${line}"`)
        history.unshift(`/bin/sh -c #(nop) CMD ${rest}`)
        break
      case "COPY": {
        const operands = copyOperands(rest)
        if (operands === undefined) return yield* cannot(`"${line}": ${BUILDS}`)
        const tree = input.sources.get(operands.source)
        if (tree === undefined) {
          return failed({
            reason: "Other",
            stderr:
              `Error: building at STEP "${line}": checking on sources under "${settings.context}": copier: stat: "${operands.source}": no such file or directory`,
            exitCode: 125
          })
        }
        const name = posix.basename(operands.source)
        for (const [path, content] of copyPaths(tree.files, tree.isDirectory, name, operands.destination, files)) {
          files.set(path, content)
        }
        history.unshift(`/bin/sh -c #(nop) COPY file:${randomId()} in ${operands.destination} `)
        break
      }
      default: { // RUN
        const program = Shell.run(["/bin/sh", "-c", rest], {
          files,
          env: new Map([["PATH", DEFAULT_PATH], ["HOME", "/"], ...Object.entries(args)]),
          workdir: "/",
          user: "",
          executables: base!.executables,
          folders: base!.folders === undefined ? undefined : new Set(base!.folders),
          stdin: "",
          writable: () => true,
          http: () => ({ _tag: "BadAddress" })
        })
        // its output becomes the build's; its sleeps and what it cannot run go to the edition
        let step = program.next()
        while (step.done !== true) {
          const instruction = step.value
          if (instruction._tag === "Write") {
            for (const output of instruction.text.split("\n")) {
              if (output !== "") progress.push({ _tag: "Output", line: output })
            }
          } else {
            yield instruction._tag === "Cannot"
              ? { _tag: "Cannot", what: `build "${line}": it cannot run ${instruction.what}` }
              : instruction
          }
          step = program.next()
        }
        if (step.value !== 0) {
          return failed({
            reason: "Other",
            stderr: `Error: building at STEP "${line}": while running runtime: exit status ${step.value}`,
            exitCode: step.value
          })
        }
        // podman records the build arguments a RUN saw: `|COUNT NAME=VALUE … /bin/sh -c …`
        const seen = Object.entries(args)
        history.unshift(
          `${
            seen.length === 0 ? "" : `|${seen.length} ${seen.map(([k, v]) => `${k}=${v}`).join(" ")} `
          }/bin/sh -c ${rest}`
        )
      }
    }
  }
  if (base === undefined) return yield* cannot("a Containerfile without FROM")
  return {
    _tag: "Built",
    progress,
    image: {
      files,
      labels: { ...base.labels, ...labels, ...settings.labels },
      history: [...history, ...base.history],
      command: command ?? base.command,
      executables: base.executables,
      folders: base.folders,
      healthcheck: healthcheck ?? base.healthcheck
    }
  }
}

/**
 * What podman reports once a build made the image `id`, tagged `tags`: its commit, the id, each
 * tag, then `Done`.
 *
 * @since 0.4.0
 */
export const built = (id: string, tags: ReadonlyArray<string>): Array<ImageProgress> => [
  ...tags.slice(0, 1).map((tag) => status(`COMMIT ${normalizeImageName(tag)}`)),
  status(`--> ${id.slice(0, 11)}`),
  ...tags.map((tag) => status(`Successfully tagged ${normalizeImageName(tag)}`)),
  { _tag: "Done", id }
]
