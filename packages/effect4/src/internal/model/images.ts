/**
 * The Effect 4 model's images: the layer's image fixtures, each with an id and its names — listed,
 * tagged and removed as podman does. The model holds no registry and runs no build: a pull of an
 * image it does not hold, a push and a build die saying so.
 *
 * @internal
 */
import { Effect, Option, Stream } from "effect"
import * as Answers from "effect-podman-shared/PodmanAnswers"
import type { ImageOps } from "../driver.js"
import type { Image, State } from "./core.js"
import { cannot, refused } from "./core.js"

/** An image the model holds: its id, its names (full, as podman names them) and what it is. @internal */
export interface ModelImage {
  readonly id: string
  /** Its manifest digest (podman reports one for every local image, built here or pulled). */
  readonly digest: string
  readonly names: Array<string>
  readonly image: Image
}

/** @internal */
export const fromFixtures = (fixtures: ReadonlyArray<Image>): Array<ModelImage> =>
  fixtures.map((image) => ({ id: Answers.randomId(), digest: `sha256:${Answers.randomId()}`, names: [Answers.normalizeImageName(image.name)], image }))

/** The image a reference names (a name, as podman resolves a short one, or its id). @internal */
export const find = (images: ReadonlyArray<ModelImage>, ref: string): ModelImage | undefined => {
  const candidates = Answers.imageCandidates(ref)
  return images.find((m) => m.id === ref || m.names.some((name) => candidates.includes(name)))
}

/** @internal */
export const make = (state: State, removeContainer: (name: string) => Effect.Effect<void>): ImageOps => ({
  // podman's pull always asks the registry: the model, holding none, cannot answer for it
  pull: (ref) => cannot(`pull ${ref}: it holds no registry (declare the image in TestRuntime.layer({ images }), and create with pull "missing" or "never")`),
  push: (ref) => cannot(`push ${ref}: it holds no registry`),
  progress: (args) =>
    Stream.fromEffect(
      args[0] === "build"
        ? cannot(`build ${args.at(-1) ?? ""}: declare the image it makes in TestRuntime.layer({ images })`)
        : cannot(`${args[0] ?? ""} ${args.at(-1) ?? ""}: it holds no registry`)
    ),
  prune: Effect.sync(() => {
    const dangling = state.images.filter((m) => m.names.length === 0 && ![...state.containers.values()].some((c) => c.image === m.image))
    for (const m of dangling) state.images.splice(state.images.indexOf(m), 1)
    return dangling.map((m) => m.id)
  }),
  idOf: (ref) => Effect.suspend(() => {
    const image = find(state.images, ref)
    return image === undefined ? Effect.fail(refused(["image", "inspect", ref], Answers.noSuchImage(ref))) : Effect.succeed(image.id)
  }),
  tag: (ref, target) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      if (image === undefined) return Effect.fail(refused(["tag", ref, target], Answers.noSuchImage(ref)))
      const name = Answers.normalizeImageName(target)
      // a name moves to the image it is given to
      for (const other of state.images) if (other !== image) other.names.splice(0, other.names.length, ...other.names.filter((n) => n !== name))
      if (!image.names.includes(name)) image.names.push(name)
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
      return image === undefined ? Option.none() : Option.some({ id: image.id, labels: image.image.labels ?? {}, digest: image.digest })
    }),
  labels: (ref) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      return image === undefined ? Effect.fail(refused(["image", "inspect", ref], Answers.noSuchImage(ref))) : Effect.succeed(image.image.labels ?? {})
    }),
  history: (ref) =>
    Effect.suspend(() => {
      const image = find(state.images, ref)
      return image === undefined ? Effect.fail(refused(["image", "history", "--no-trunc", "--format", "json", ref], Answers.noSuchImage(ref))) : Effect.succeed(image.image.history ?? [])
    }),
  list: (label) =>
    Effect.sync(() =>
      state.images
        .filter((m) => label === undefined || Answers.hasLabel(m.image.labels ?? {}, label))
        .flatMap((m) => m.names.length === 0 ? [{ ref: m.id, id: m.id, size: 0 }] : m.names.map((ref) => ({ ref, id: m.id, size: 0 })))
    )
})
