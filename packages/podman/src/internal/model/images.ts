/**
 * Images in the model: registries a test declares (pull and push go there, with podman's phases
 * and blobs), builds from a Containerfile of the instructions the model can run, tags, forced
 * removal and pruning.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import { basename, join } from "node:path"
import type { ImageProgress } from "../../Images.js"
import type { PodmanError } from "../../PodmanError.js"
import type { ImageDriver } from "../core/driver.js"
import * as HostTree from "../core/hostTree.js"
import * as Model from "./model.js"
import type { ModelImage } from "./model.js"
import * as Shell from "./shell.js"
import * as State from "./state.js"

/** The registry host of a reference, when it names one (`host.domain/…`, `host:port/…`, `localhost/…`). */
const registryOf = (ref: string): string | undefined => {
  const first = ref.split("/")[0] ?? ""
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined
}

const unreachable = (argv: ReadonlyArray<string>, ref: string, host: string, verb: "initializing source" | "trying to reuse blob") =>
  Model.failure(
    argv,
    "PullFailed",
    `Error: ${verb} docker://${ref}: pinging container registry ${host}: Get "http://${host}/v2/": dial tcp ${host}: connect: connection refused` +
      " (the test model reaches only the registries declared with TestRuntimeControl.addRegistry; add local images with addImage)"
  )

/** The blobs of an image as podman reports them: its layers (its non-metadata steps), then its config. */
const blobs = (image: ModelImage): Array<ImageProgress> => [
  ...image.history
    .filter((step) => !step.includes("#(nop)") || /(ADD|COPY) /.test(step))
    .map((_, i) => ({ _tag: "Blob" as const, kind: "layer" as const, digest: `sha256:${image.id.slice(i, 64)}${image.id.slice(0, i)}` })),
  { _tag: "Blob" as const, kind: "config" as const, digest: `sha256:${image.id}` }
]

const status = (text: string): ImageProgress => ({ _tag: "Status", text })

/** @internal */
export const make = (state: State.State): ImageDriver => {
  const find = (ref: string) => State.findImage(state, ref)
  const nameImage = (image: ModelImage, ref: string) => {
    const name = Model.normalizeImageName(ref)
    for (const other of state.images) other.names = other.names.filter((n) => n !== name)
    image.names.push(name)
  }

  /** `podman pull`: from a registry the test declared, over HTTP (`tlsVerify: false`). */
  const pull: ImageDriver["pull"] = (ref, tlsVerify) => {
    const argv = ["pull", `--tls-verify=${tlsVerify}`, ref]
    return Stream.unwrap(State.guarded(state, "image.pull", [ref], Effect.suspend(() => {
      const host = registryOf(ref)
      const registry = host === undefined ? undefined : state.registries.get(host)
      const trying = status(`Trying to pull ${Model.normalizeImageName(ref)}...`)
      if (host === undefined || registry === undefined || tlsVerify) {
        const error = host === undefined || registry === undefined
          ? unreachable(argv, Model.normalizeImageName(ref), host ?? "docker.io", "initializing source")
          : Model.failure(argv, "PullFailed", `Error: initializing source docker://${ref}: pinging container registry ${host}: Get "https://${host}/v2/": http: server gave HTTP response to HTTPS client`)
        return Effect.succeed(Stream.concat(Stream.make(trying), Stream.fail(error)))
      }
      const stored = registry.get(Model.normalizeImageName(ref))
      if (stored === undefined) {
        return Effect.succeed(Stream.concat(
          Stream.make(trying),
          Stream.fail(Model.failure(argv, "PullFailed", `Error: initializing source docker://${ref}: reading manifest in ${ref}: manifest unknown: manifest unknown`))
        ))
      }
      const local = find(stored.image.id).pipe(Option.getOrElse(() => {
        const copy: ModelImage = { ...stored.image, names: [], created: new Date() }
        state.images.unshift(copy)
        return copy
      }))
      nameImage(local, ref)
      local.digest = stored.digest
      return Effect.succeed(Stream.make(
        trying,
        status("Getting image source signatures"),
        ...blobs(stored.image),
        status("Writing manifest to image destination"),
        status("Storing signatures"),
        { _tag: "Done" as const, id: local.id }
      ))
    })))
  }

  const push: ImageDriver["push"] = (ref, destination, tlsVerify) => {
    const argv = ["push", `--tls-verify=${tlsVerify}`, ref, destination]
    return Stream.unwrap(State.guarded(state, "image.push", [ref, destination], Effect.suspend(() => {
      const image = find(ref)
      if (Option.isNone(image)) return Effect.fail(Model.noSuchImage(argv, ref))
      const host = registryOf(destination)
      const registry = host === undefined ? undefined : state.registries.get(host)
      if (host === undefined || registry === undefined || tlsVerify) {
        return Effect.fail(unreachable(argv, Model.normalizeImageName(destination), host ?? "docker.io", "trying to reuse blob"))
      }
      const digest = `sha256:${Model.randomId()}`
      registry.set(Model.normalizeImageName(destination), { image: image.value, digest })
      image.value.digest = digest
      return Effect.succeed(Stream.make(
        status("Getting image source signatures"),
        ...blobs(image.value),
        status("Writing manifest to image destination"),
        status("Storing signatures"),
        { _tag: "Done" as const, id: image.value.id }
      ))
    })))
  }

  return {
    pull,
    push,
    build: (settings) => build(state, settings, nameImage),
    tag: (ref, target) =>
      State.guarded(state, "image.tag", [ref], Effect.flatMap(
        State.onImage(state, ["tag", ref, target], ref, (image) => nameImage(image, target)),
        () => Effect.void
      )),
    prune: State.guarded(state, "image.prune", [], Effect.sync(() => {
      const dangling = state.images.filter((image) =>
        image.names.length === 0 && ![...state.containers.values()].some((c) => c.image === image)
      )
      for (const image of dangling) state.images.splice(state.images.indexOf(image), 1)
      return dangling.map((image) => image.id)
    })),
    digest: (ref) =>
      State.guarded(state, "image.inspect", [ref], Effect.sync(() => Option.flatMap(find(ref), (image) => Option.fromNullable(image.digest)))),
    listLabeled: (label) =>
      State.guarded(state, "image.list", [], Effect.sync(() => {
        return state.images
          .filter((image) => Model.hasLabel(image.labels, label))
          .flatMap((image) => (image.names.length === 0 ? [image.id] : image.names).map((ref) => summary(image, ref)))
      }))
  }
}

const summary = (image: ModelImage, ref: string) => {
  const colon = ref.lastIndexOf(":")
  const named = ref !== image.id
  return {
    ref,
    id: image.id,
    repository: named ? Option.some(ref.slice(0, colon)) : Option.none(),
    tag: named ? Option.some(ref.slice(colon + 1)) : Option.none(),
    size: Option.some(image.size),
    created: Option.some(image.created)
  }
}

/** The instructions a model build runs. */
const INSTRUCTION = /^(FROM|LABEL|RUN|ARG|COPY|CMD|HEALTHCHECK)\s+(.*)$/i

/** `LABEL a=b "c d"="e f"`: its pairs. */
const labelPairs = (text: string): Array<readonly [string, string]> =>
  Array.from(text.matchAll(/("[^"]*"|[^\s=]+)=("[^"]*"|\S*)/g), (m) => [m[1]!.replace(/^"|"$/g, ""), m[2]!.replace(/^"|"$/g, "")] as const)

/**
 * `podman build` in the model: `FROM` a local image, `LABEL`, `ARG`, `RUN` (in the model's shell,
 * with the build args in its environment), `COPY` from the context, `CMD ["…"]`. Any other
 * instruction is a defect naming it.
 */
const build = (
  state: State.State,
  settings: Parameters<ImageDriver["build"]>[0],
  nameImage: (image: ModelImage, ref: string) => void
): Stream.Stream<ImageProgress, PodmanError> =>
  Stream.unwrap(State.guarded(state, "image.build", [settings.context], Effect.gen(function*() {
    const path = join(settings.context, settings.containerfile)
    const argv = ["build", "--file", path, settings.context]
    const text = yield* HostTree.readRegularText(path)
    if (Option.isNone(text)) {
      return yield* Model.failure(argv, "Other", `Error: the specified Containerfile or Dockerfile does not exist, ${path}: no such file or directory`)
    }
    const lines = text.value.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"))
    // podman adds the options' labels as a last step of its own
    const extra = Object.entries(settings.labels)
    if (extra.length > 0) lines.push(`LABEL ${extra.map(([key, value]) => `"${key}"="${value}"`).join(" ")}`)
    const progress: Array<ImageProgress> = []
    let base: ModelImage | undefined
    const files = new Map<string, string>()
    const labels: Record<string, string> = {}
    const args: Record<string, string> = {}
    const history: Array<string> = []
    let command: ReadonlyArray<string> | undefined
    let healthcheck: ReadonlyArray<string> | undefined
    for (const [i, line] of lines.entries()) {
      const match = INSTRUCTION.exec(line)
      if (match === null) return yield* Effect.dieMessage(`the model cannot build "${line}": it builds FROM, LABEL, ARG, RUN, COPY, CMD and HEALTHCHECK`)
      const [, keyword = "", rest = ""] = match
      progress.push({ _tag: "Step", index: i + 1, total: lines.length, instruction: line })
      switch (keyword.toUpperCase()) {
        case "FROM": {
          const found = State.findImage(state, rest.trim())
          if (Option.isNone(found)) {
            return yield* Model.failure(argv, "PullFailed", `Error: creating build container: initializing source docker://${rest.trim()}: the test model has no such image`)
          }
          base = found.value
          for (const [p, content] of base.files) files.set(p, content)
          break
        }
        case "LABEL":
          for (const [key, value] of labelPairs(rest)) labels[key] = value
          // (the options' labels come last, as their own step)
          history.unshift(`/bin/sh -c #(nop) LABEL ${rest}`)
          break
        case "ARG": {
          const [name = "", value = ""] = rest.split(/=(.*)/s)
          args[name] = settings.buildArgs[name] ?? value
          history.unshift(`/bin/sh -c #(nop) ARG ${rest}`)
          break
        }
        case "HEALTHCHECK": {
          // `HEALTHCHECK [--option=…] CMD …` or `NONE`; OCI images cannot hold one (podman drops it)
          const check = /^(?:--\S+\s+)*(NONE|CMD\s+(.*))$/i.exec(rest)
          if (check === null) return yield* Effect.dieMessage(`the model cannot build "${line}"`)
          const cmd = check[2]?.trim()
          healthcheck = settings.format !== "docker" || cmd === undefined
            ? undefined
            : cmd.startsWith("[") ? JSON.parse(cmd) as ReadonlyArray<string> : ["/bin/sh", "-c", cmd]
          history.unshift(`/bin/sh -c #(nop) HEALTHCHECK ${rest}`)
          break
        }
        case "CMD":
          command = JSON.parse(rest) as ReadonlyArray<string>
          history.unshift(`/bin/sh -c #(nop) CMD ${rest}`)
          break
        case "COPY": {
          const [source = "", destination = ""] = rest.split(/\s+/)
          const tree = yield* Effect.orDie(HostTree.read(join(settings.context, source)))
          if (Option.isNone(tree)) return yield* Model.failure(argv, "Other", `Error: building at STEP "${line}": checking on sources under "${settings.context}": copier: stat: "/${source}": no such file or directory`)
          const entries = yield* Effect.forEach(tree.value.entries.filter((e) => e.type === "file"), (e) =>
            Effect.map(Effect.orDie(HostTree.readFile(e)), (bytes) => [e.path, new TextDecoder().decode(bytes)] as const))
          for (const [p, content] of Model.copyPaths(entries, tree.value.isDirectory, basename(source), destination, files)) files.set(p, content)
          history.unshift(`/bin/sh -c #(nop) COPY file:${Model.randomId().slice(0, 12)} in ${destination} `)
          break
        }
        default: { // RUN
          if (base === undefined) return yield* Effect.dieMessage("the model cannot build: RUN before FROM")
          const out: Array<ImageProgress> = []
          const io: Shell.Io = {
            files,
            env: new Map([["PATH", Model.DEFAULT_PATH], ["HOME", "/"], ...Object.entries(args)]),
            workdir: "/",
            user: "",
            executables: base.executables,
            stdin: "",
            writable: () => true,
            write: (_, chunk) => Effect.sync(() => void out.push(...chunk.split("\n").filter((l) => l !== "").map((l) => ({ _tag: "Output" as const, line: l })))),
            http: () => ({ _tag: "BadAddress" })
          }
          const code = yield* Shell.run(["/bin/sh", "-c", rest], io)
          progress.push(...out)
          if (code !== 0) {
            return Stream.concat(
              Stream.fromIterable(progress),
              Stream.fail(Model.failure(argv, "Other", `Error: building at STEP "${line}": while running runtime: exit status ${code}`, code))
            )
          }
          history.unshift(`/bin/sh -c ${rest}`)
        }
      }
    }
    if (base === undefined) return yield* Effect.dieMessage("the model cannot build a Containerfile without FROM")
    const image: ModelImage = {
      id: Model.randomId(),
      names: [],
      labels: { ...base.labels, ...labels, ...settings.labels },
      history: [...history, ...base.history],
      size: base.size + [...files.values()].reduce((n, content) => n + content.length, 0),
      created: new Date(),
      files,
      command: command ?? base.command,
      executables: base.executables,
      digest: undefined,
      healthcheck: healthcheck ?? base.healthcheck
    }
    state.images.unshift(image)
    for (const tag of settings.tags) nameImage(image, tag)
    return Stream.fromIterable([
      ...progress,
      ...settings.tags.slice(0, 1).map((tag) => status(`COMMIT ${Model.normalizeImageName(tag)}`)),
      status(`--> ${image.id.slice(0, 11)}`),
      ...settings.tags.map((tag) => status(`Successfully tagged ${Model.normalizeImageName(tag)}`)),
      { _tag: "Done" as const, id: image.id }
    ])
  })))
