/**
 * What `create` / `run` take, as an Effect 4 `Schema` (this preview: image, naming, command,
 * environment — secrets as `Redacted` —, labels, working directory, user, init). It decodes to
 * `effect-podman-shared`'s `CreateSpec`, which the shared argv builder turns into `podman create`.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

const Name = Schema.String.check(Schema.isPattern(NAME, {
  message: "a container name starts with a letter or digit, then letters, digits, '_', '.' or '-'"
}))

const Text = Schema.String.check(Schema.makeFilter((text: string) => !text.includes("\0") || "must not hold a NUL byte"))

const EnvName = Schema.String.check(Schema.isPattern(ENV_NAME, {
  message: "an environment variable name is letters, digits and '_' (it cannot hold '=')"
}))

/**
 * A container to create or run.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { ContainerSpec } from "effect-podman-4"
 *
 * const spec: ContainerSpec.ContainerSpecInput = {
 *   image: "localhost/api:latest",
 *   namePrefix: "api",
 *   command: ["serve"],
 *   env: { LOG_LEVEL: "debug" },
 *   secretEnv: { API_TOKEN: Redacted.make("s3cr3t") }
 * }
 * ```
 *
 * @since 0.4.0
 * @category schemas
 */
export const ContainerSpec = Schema.Struct({
  image: Schema.NonEmptyString.check(Schema.makeFilter((image: string) =>
    (image.trim() === image && !image.startsWith("-")) || "an image reference has no surrounding spaces and no leading '-'"
  )),
  name: Schema.optional(Name),
  namePrefix: Schema.optional(Name),
  command: Schema.optional(Schema.Array(Text)),
  entrypoint: Schema.optional(Schema.Array(Text)),
  env: Schema.optional(Schema.Record(EnvName, Text)),
  secretEnv: Schema.optional(Schema.Record(EnvName, Schema.Redacted(Schema.String))),
  labels: Schema.optional(Schema.Record(Schema.String, Text)),
  workdir: Schema.optional(Schema.NonEmptyString),
  user: Schema.optional(Schema.NonEmptyString),
  init: Schema.optional(Schema.Boolean)
})

/**
 * A decoded spec.
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerSpec = typeof ContainerSpec.Type

/**
 * What callers write.
 *
 * @since 0.4.0
 * @category models
 */
export type ContainerSpecInput = typeof ContainerSpec.Encoded
