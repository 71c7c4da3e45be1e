/**
 * podman's answer this library cannot read (output not JSON, or not the shape expected) as a
 * `NonZeroExit` `Unreadable`: what and where, decided in the shared core (`Failures.UnreadableOutput`),
 * never a value podman printed; no exit code or status (podman did not fail).
 *
 * @internal
 */
import { SchemaIssue } from "effect"
import * as Failures from "effect-podman-shared/Failures"
import { NonZeroExit } from "../../PodmanError.js"

const format = SchemaIssue.makeFormatterStandardSchemaV1()

const issuesOf = (error: unknown) =>
  typeof error === "object" && error !== null && "issue" in error && SchemaIssue.isIssue(error.issue)
    ? format(error.issue).issues
    : [{ path: [], message: "not JSON" }]

/** @internal */
export const unreadable = (
  what: string,
  operation: string,
  argv: ReadonlyArray<string>,
  error: unknown
): NonZeroExit => {
  const cause = new Failures.UnreadableOutput(what, issuesOf(error))
  return new NonZeroExit({ reason: { _tag: "Unreadable" }, operation, argv, stderr: cause.message, cause })
}
