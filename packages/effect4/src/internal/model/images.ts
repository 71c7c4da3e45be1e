/**
 * The Effect 4 model's images: the layer's image fixtures, each with an id and its names — listed,
 * tagged and removed as podman does —, the registries a test declares (a pull and a push answered
 * with podman's phases and refusals) and builds of the instructions the model runs
 * (`effect-podman-shared/ModelImages`, which the Effect 3 edition's model runs too).
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as ModelImages from "effect-podman-shared/ModelImages"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type * as Progress from "effect-podman-shared/Progress"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import type { PodmanError } from "../../PodmanError.js"
import type { ImageOps, ImageRequest } from "../core/driver.js"
import { imageRequestArgs } from "../core/driver.js"
import type { Image, ModelImage, State } from "./core.js"
import { cannot, driveBuild, refused } from "./core.js"
import { readHostTree, utf8 } from "./files.js"

/** @internal */
export const fromFixtures = (fixtures: ReadonlyArray<Image>): Array<ModelImage> =>
  fixtures.map((image) => ({
    id: Answers.randomId(),
    digest: `sha256:${Answers.randomId()}`,
    created: new Date(),
    names: [Answers.normalizeImageName(image.name)],
    image
  }))

/** The image a reference names (a name, as podman resolves a short one, or its id). @internal */
export const find = (images: ReadonlyArray<ModelImage>, ref: string): ModelImage | undefined => {
  const candidates = Answers.imageCandidates(ref)
  return images.find((m) => m.id === ref || m.names.some((name) => candidates.includes(name)))
}

const REGISTRY_HINT = "declared in TestRuntime.layer({ registries }); declare local images in its images"

/** Gives `image` the name `ref`, which moves to it from any other image. */
const nameImage = (state: State, image: ModelImage, ref: string) => {
  const name = Answers.normalizeImageName(ref)
  for (const other of state.images) {
    if (other !== image) {
      other.names.splice(
        0,
        other.names.length,
        ...other.names.filter((n) => n !== name)
      )
    }
  }
  if (!image.names.includes(name)) image.names.push(name)
}

/**
 * A pull of `ref` from the test's registries: the local image it is now (and the one stored
 * there), or podman's refusal.
 *
 * @internal
 */
export const pullInto = (state: State, ref: string, tlsVerify: boolean) => {
  const found = ModelImages.pullFrom(state.registries, ref, tlsVerify, REGISTRY_HINT)
  if (found._tag === "Refused") return found
  let local = state.images.find((m) => m.id === found.image.id)
  if (local === undefined) {
    local = {
      id: found.image.id,
      digest: found.digest,
      created: found.image.created,
      names: [],
      image: found.image.image
    }
    state.images.unshift(local)
  }
  nameImage(state, local, ref)
  local.digest = found.digest
  return { _tag: "Pulled" as const, local, stored: found.image }
}

/** The model's image as a build's base. */
const buildBase = (image: Image): ModelImages.BuildBase => ({
  files: Object.entries(image.files ?? {}),
  labels: image.labels ?? {},
  history: image.history ?? [],
  command: image.command,
  executables: image.executables === undefined ? undefined : new Set(image.executables),
  folders: image.folders,
  healthcheck: image.healthcheck
})

/** The text files a `COPY` reads from the context; what the model cannot hold dies saying so. */
const readSource = (path: string) =>
  Effect.flatMap(Effect.promise(() => readHostTree(path)), (tree): Effect.Effect<ModelImages.HostCopy | undefined> => {
    if (tree === undefined) return Effect.succeed(undefined)
    if (typeof tree === "string") return cannot(`build a COPY of ${tree} (it holds text files only)`)
    const files: Array<readonly [string, string]> = []
    for (const [relative, bytes] of tree.files) {
      const text = utf8(bytes)
      if (text === undefined) {
        return cannot(
          `build a COPY of ${join(path, relative)}: it holds text files only, and these bytes are not UTF-8`
        )
      }
      files.push([relative, text])
    }
    return Effect.succeed({ isDirectory: tree.isDirectory, files })
  })

/** `podman build`: its Containerfile and what its `COPY` steps read are read first, then its steps run on Effect time. */
const build = (
  state: State,
  request: Extract<ImageRequest, { _tag: "Build" }>
): Stream.Stream<Progress.ImageProgress, PodmanError> =>
  Stream.unwrap(Effect.gen(function*() {
    const { settings } = request
    const argv = imageRequestArgs(request)
    const path = join(settings.context, settings.containerfile)
    const text = yield* Effect.promise(() => readFile(path, "utf8").then((t) => t, () => undefined))
    if (text === undefined) return Stream.fail(refused(argv, ModelImages.noContainerfile(path)))
    const steps = ModelImages.steps(text, settings)
    const sources = new Map<string, ModelImages.HostCopy | undefined>()
    for (const source of ModelImages.copySources(steps)) {
      sources.set(source, yield* readSource(join(settings.context, source)))
    }
    let base: Image | undefined
    const outcome = yield* driveBuild(() =>
      ModelImages.build({
        settings,
        steps,
        base: (ref) => {
          base = find(state.images, ref)?.image
          return base === undefined ? undefined : buildBase(base)
        },
        sources
      })
    )
    if (outcome._tag === "Failed") {
      return Stream.concat(Stream.fromIterable(outcome.progress), Stream.fail(refused(argv, outcome.refusal)))
    }
    const made = outcome.image
    const id = Answers.randomId()
    const image: ModelImage = {
      id,
      digest: `sha256:${Answers.randomId()}`,
      created: new Date(),
      names: [],
      image: {
        name: settings.tags[0] ?? id,
        command: made.command,
        executables: made.executables === undefined ? undefined : [...made.executables],
        folders: made.folders,
        files: Object.fromEntries(made.files),
        labels: made.labels,
        env: base?.env,
        workdir: base?.workdir,
        history: made.history,
        healthcheck: made.healthcheck
      }
    }
    state.images.unshift(image)
    for (const tag of settings.tags) {
      nameImage(state, image, tag)
    }
    return Stream.fromIterable([...outcome.progress, ...ModelImages.built(id, settings.tags)])
  }))

/** What podman reports while it pulls, pushes or builds, or its refusal. */
const progress = (state: State, request: ImageRequest): Stream.Stream<Progress.ImageProgress, PodmanError> =>
  Stream.suspend(() => {
    const argv = imageRequestArgs(request)
    switch (request._tag) {
      case "Pull": {
        const pulled = pullInto(state, request.ref, request.tlsVerify)
        const trying = ModelImages.trying(request.ref)
        return pulled._tag === "Refused"
          ? Stream.concat(Stream.make(trying), Stream.fail(refused(argv, pulled.refusal)))
          : Stream.fromIterable([
            trying,
            ...ModelImages.transfer(pulled.stored.image.history ?? [], pulled.stored.id, pulled.local.id)
          ])
      }
      case "Push": {
        const image = find(state.images, request.ref)
        if (image === undefined) return Stream.fail(refused(argv, Answers.noSuchImage(request.ref)))
        const pushed = ModelImages.pushTo(
          state.registries,
          image,
          request.destination,
          request.tlsVerify,
          REGISTRY_HINT
        )
        if (pushed._tag === "Refused") return Stream.fail(refused(argv, pushed.refusal))
        image.digest = pushed.digest
        return Stream.fromIterable(ModelImages.transfer(image.image.history ?? [], image.id, image.id))
      }
      case "Build":
        return build(state, request)
    }
  })

/** @internal */
export const make = (state: State, removeContainer: (name: string) => Effect.Effect<void>): ImageOps => ({
  progress: (request) => progress(state, request),
  pull: (ref, tlsVerify) => Stream.runDrain(progress(state, { _tag: "Pull", ref, tlsVerify })),
  push: (ref, destination, tlsVerify) =>
    Stream.runDrain(progress(state, { _tag: "Push", ref, destination, tlsVerify })),
  prune: Effect.sync(() => {
    const dangling = state.images.filter((m) =>
      m.names.length === 0 && ![...state.containers.values()].some((c) => c.image === m.image)
    )
    for (const m of dangling) state.images.splice(state.images.indexOf(m), 1)
    return dangling.map((m) => m.id)
  }),
  tag: (ref, target) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      if (image === undefined) return Effect.fail(refused(["tag", ref, target], Answers.noSuchImage(ref)))
      nameImage(state, image, target)
      return Effect.void
    }),
  remove: (ref, force) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      if (image === undefined) return Effect.succeed(false)
      const name = image.names.find((n) => Answers.imageCandidates(ref).includes(n))
      // one of several names: untagged only
      if (name !== undefined && image.names.length > 1) {
        image.names.splice(image.names.indexOf(name), 1)
        return Effect.succeed(true)
      }
      // by id, with several names: podman wants it forced
      if (name === undefined && image.names.length > 1 && !force) {
        return Effect.fail(refused(["image", "rm", ref], Answers.removeByIdRefusal(image)))
      }
      const users = [...state.containers.values()].filter((c) => c.image === image.image)
      if (users.length > 0 && !force) return Effect.succeed(false)
      return Effect.as(
        Effect.andThen(
          Effect.forEach(users, (c) => removeContainer(c.name), { discard: true }),
          Effect.sync(() => void state.images.splice(state.images.indexOf(image), 1))
        ),
        true
      )
    }),
  inspect: (ref) =>
    Effect.sync(() => {
      const image = find(state.images, ref)
      return image === undefined
        ? Option.none()
        : Option.some({ id: image.id, labels: image.image.labels ?? {}, digest: image.digest })
    }),
  labels: (ref) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      return image === undefined
        ? Effect.fail(refused(["image", "inspect", ref], Answers.noSuchImage(ref)))
        : Effect.succeed(image.image.labels ?? {})
    }),
  history: (ref) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      return image === undefined
        ? Effect.fail(refused(["image", "history", "--no-trunc", "--format", "json", ref], Answers.noSuchImage(ref)))
        : Effect.succeed(image.image.history ?? [])
    }),
  list: (label) =>
    Effect.sync(() =>
      state.images
        .filter((m) => label === undefined || Answers.hasLabel(m.image.labels ?? {}, label))
        .flatMap((m) =>
          (m.names.length === 0 ? [m.id] : m.names).map((ref) => ({
            ref,
            id: m.id,
            size: m.image.size ?? 0,
            created: m.created.getTime() / 1000
          }))
        )
    )
})
