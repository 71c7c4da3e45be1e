/**
 * Images in the model: registries a test declares (pull and push go there, with podman's phases
 * and blobs), builds from a Containerfile of the instructions the model can run, tags, forced
 * removal and pruning.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as ModelImages from "effect-podman-shared/ModelImages"
import { join } from "node:path"
import type { ImageProgress } from "../../Images.js"
import type { PodmanError } from "../../PodmanError.js"
import type { ImageDriver } from "../core/driver.js"
import * as HostTree from "../core/hostTree.js"
import * as Model from "./model.js"
import type { ModelImage } from "./model.js"
import * as Shell from "./shell.js"
import * as State from "./state.js"

const REGISTRY_HINT = "declared with TestRuntimeControl.addRegistry; add local images with addImage"

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
    return Stream.unwrap(State.guarded(
      state,
      "image.pull",
      [ref],
      Effect.sync(() => {
        const found = ModelImages.pullFrom(state.registries, ref, tlsVerify, REGISTRY_HINT)
        if (found._tag === "Refused") {
          return Stream.concat(Stream.make(ModelImages.trying(ref)), Stream.fail(Model.refused(argv, found.refusal)))
        }
        const local = find(found.image.id).pipe(Option.getOrElse(() => {
          const copy: ModelImage = { ...found.image, names: [], created: new Date() }
          state.images.unshift(copy)
          return copy
        }))
        nameImage(local, ref)
        local.digest = found.digest
        return Stream.fromIterable([
          ModelImages.trying(ref),
          ...ModelImages.transfer(found.image.history, found.image.id, local.id)
        ])
      })
    ))
  }

  const push: ImageDriver["push"] = (ref, destination, tlsVerify) => {
    const argv = ["push", `--tls-verify=${tlsVerify}`, ref, destination]
    return Stream.unwrap(State.guarded(
      state,
      "image.push",
      [ref, destination],
      Effect.suspend(() => {
        const image = find(ref)
        if (Option.isNone(image)) return Effect.fail(Model.noSuchImage(argv, ref))
        const pushed = ModelImages.pushTo(state.registries, image.value, destination, tlsVerify, REGISTRY_HINT)
        if (pushed._tag === "Refused") return Effect.fail(Model.refused(argv, pushed.refusal))
        image.value.digest = pushed.digest
        return Effect.succeed(
          Stream.fromIterable(ModelImages.transfer(image.value.history, image.value.id, image.value.id))
        )
      })
    ))
  }

  return {
    pull,
    push,
    build: (settings) => build(state, settings, nameImage),
    tag: (ref, target) =>
      State.guarded(
        state,
        "image.tag",
        [ref],
        Effect.flatMap(
          State.onImage(state, ["tag", ref, target], ref, (image) => nameImage(image, target)),
          () => Effect.void
        )
      ),
    prune: State.guarded(
      state,
      "image.prune",
      [],
      Effect.sync(() => {
        const dangling = state.images.filter((image) =>
          image.names.length === 0 && ![...state.containers.values()].some((c) => c.image === image)
        )
        for (const image of dangling) state.images.splice(state.images.indexOf(image), 1)
        return dangling.map((image) => image.id)
      })
    ),
    digest: (ref) =>
      State.guarded(
        state,
        "image.inspect",
        [ref],
        Effect.sync(() => Option.flatMap(find(ref), (image) => Option.fromNullable(image.digest)))
      ),
    listLabeled: (label) =>
      State.guarded(
        state,
        "image.list",
        [],
        Effect.sync(() => {
          return state.images
            .filter((image) => Model.hasLabel(image.labels, label))
            .flatMap((image) => (image.names.length === 0 ? [image.id] : image.names).map((ref) => summary(image, ref)))
        })
      )
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

/**
 * `podman build` in the model (`effect-podman-shared/ModelImages`): the Containerfile and what its
 * `COPY` steps read are read from the host first, then its steps run on Effect time.
 */
const build = (
  state: State.State,
  settings: Parameters<ImageDriver["build"]>[0],
  nameImage: (image: ModelImage, ref: string) => void
): Stream.Stream<ImageProgress, PodmanError> =>
  Stream.unwrap(State.guarded(
    state,
    "image.build",
    [settings.context],
    Effect.gen(function*() {
      const path = join(settings.context, settings.containerfile)
      const argv = ["build", "--file", path, settings.context]
      const text = yield* HostTree.readRegularText(path)
      if (Option.isNone(text)) return yield* Model.refused(argv, ModelImages.noContainerfile(path))
      const steps = ModelImages.steps(text.value, settings)
      const sources = new Map<string, ModelImages.HostCopy | undefined>()
      for (const source of ModelImages.copySources(steps)) {
        const tree = yield* Effect.orDie(HostTree.read(join(settings.context, source)))
        if (Option.isNone(tree)) continue
        const files = yield* Effect.forEach(
          tree.value.entries.filter((e) => e.type === "file"),
          (e) =>
            Effect.map(
              Effect.orDie(HostTree.readFile(e)),
              (bytes) => [e.path, new TextDecoder().decode(bytes)] as const
            )
        )
        sources.set(source, { isDirectory: tree.value.isDirectory, files })
      }
      let baseSize = 0
      let baseSettings: Pick<ModelImage, "env" | "workdir"> = { env: {}, workdir: undefined }
      const outcome = yield* Shell.build(() =>
        ModelImages.build({
          settings,
          steps,
          base: (ref) =>
            Option.getOrUndefined(Option.map(State.findImage(state, ref), (base) => {
              baseSize = base.size
              baseSettings = { env: base.env, workdir: base.workdir }
              return base
            })),
          sources
        })
      )
      if (outcome._tag === "Failed") {
        return Stream.concat(Stream.fromIterable(outcome.progress), Stream.fail(Model.refused(argv, outcome.refusal)))
      }
      const made = outcome.image
      const image: ModelImage = {
        id: Model.randomId(),
        names: [],
        labels: made.labels,
        history: made.history,
        size: baseSize + [...made.files.values()].reduce((n, content) => n + content.length, 0),
        created: new Date(),
        files: made.files,
        command: made.command ?? [],
        executables: made.executables,
        folders: made.folders,
        digest: undefined,
        healthcheck: made.healthcheck,
        // what the base image set: the model's builds have no ENV or WORKDIR of their own
        ...baseSettings
      }
      state.images.unshift(image)
      for (const tag of settings.tags) nameImage(image, tag)
      return Stream.fromIterable([...outcome.progress, ...ModelImages.built(image.id, settings.tags)])
    })
  ))
