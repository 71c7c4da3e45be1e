/** Small helpers shared by the contract's files. */
import { Effect } from "effect"
import { tempDir } from "../helpers/tempDir.js"

/** The tag of an effect's failure (the effect must fail). */
export const failureTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

/**
 * What an effect's failure says happened: `Tag:reason` for the errors that carry a reason
 * (`NonZeroExit:NoSuchContainer`, `Timeout:CallerBound`), the tag alone otherwise.
 */
export const failureReason = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => {
    const reason = (error as { readonly reason?: unknown }).reason
    return typeof reason === "string" ? `${error._tag}:${reason}` : error._tag
  })

/** A host folder, removed when the scope closes. */
export const hostDir = tempDir("effect-podman-")
