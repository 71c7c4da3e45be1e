/**
 * Input checks made before any process starts (live layer) or any state changes (test layer).
 *
 * @internal
 */
import { Effect } from "effect"
import { InvalidArgument } from "../PodmanError.js"

/** @internal */
export const invalid = (argument: string, value: string, reason: string) =>
  Effect.fail(new InvalidArgument({ argument, value, reason }))

/** Any argument: no NUL bytes (they would truncate it in the kernel's argv). @internal */
export const text = (argument: string, value: string): Effect.Effect<string, InvalidArgument> =>
  value.includes("\0") ? invalid(argument, value, "holds a NUL byte") : Effect.succeed(value)

/** An operand podman must not read as a flag: non-empty, no leading `-`, no NUL. @internal */
export const operand = (argument: string, value: string): Effect.Effect<string, InvalidArgument> =>
  value === ""
    ? invalid(argument, value, "must not be empty")
    : value.startsWith("-")
    ? invalid(argument, value, "starts with '-', so podman would read it as a flag")
    : text(argument, value)

/** A command to run: at least one element, no NUL bytes. @internal */
export const argv = (
  argument: string,
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<string>, InvalidArgument> =>
  values.length === 0
    ? invalid(argument, "", "must not be empty")
    : Effect.as(Effect.forEach(values, (value) => text(argument, value), { discard: true }), values)
