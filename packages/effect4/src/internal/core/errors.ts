/**
 * What every error of the library shares: the mark `isPodmanError` looks for, and the tagged
 * reasons (`{ _tag }`) `Effect.catchReason` reads, built from the shared reason names.
 *
 * @internal
 */
import { Schema } from "effect"

/** The mark of every error this library raises. @internal */
export const TypeId = "~effect-podman-4/PodmanError" as const

/** @internal */
export type TypeId = typeof TypeId

type NoFields = Record<never, never>

/** One tagged struct per name, as a union schema whose members keep their own `_tag`. @internal */
export const reasons = <const Tags extends ReadonlyArray<string>>(
  tags: Tags
): Schema.Union<{ readonly [K in keyof Tags]: Schema.TaggedStruct<Tags[K], NoFields> }> =>
  Schema.Union(tags.map((tag) => Schema.TaggedStruct(tag, {}))) as never

/** Fields whose reason is a name, with the reason tagged: the shared core names reasons. @internal */
export const tagged = <F extends { readonly reason: string }>(
  fields: F
): Omit<F, "reason"> & { readonly reason: { readonly _tag: F["reason"] } } => ({
  ...fields,
  reason: { _tag: fields.reason }
})
