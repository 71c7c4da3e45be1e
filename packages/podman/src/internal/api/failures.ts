/**
 * The REST backend's classifier: an API answer that is not a success, as a `NonZeroExit` saying
 * what happened (from the API's message and its HTTP status), which operation, and how (method,
 * path, status — never an exit code).
 *
 * @internal
 */
import { Option, Schema } from "effect"
import { NonZeroExit } from "../../PodmanError.js"
import type { NonZeroExitReason } from "../../PodmanError.js"
import { apiOperation } from "effect-podman-shared/Failures"
import * as Failures from "../core/failures.js"

/** The operation a request performs (`POST /containers/web/start` → `container.start`). @internal */
export const operationOf: (method: string, path: string) => string = apiOperation

const ApiError = Schema.parseJson(Schema.Struct({ message: Schema.String, cause: Schema.optional(Schema.String) }))
const decodeApiError = Schema.decodeUnknownOption(ApiError)

/**
 * What the status says when the message is not specific: 404 names the object the path names (a
 * path inside a container that is not there is no missing container).
 */
const reasonOfStatus = (status: number, path: string): NonZeroExitReason =>
  status === 404
    ? (path.startsWith("/images/") ? "NoSuchImage" : /\/archive\b/.test(path) ? "Other" : "NoSuchContainer")
    : status === 409
    ? "InUse"
    : "Other"

/** The `NonZeroExit` of an API answer: `text` is its body. @internal */
export const nonZeroExit = (method: string, path: string, status: number, text: string): NonZeroExit => {
  const stderr = Option.match(decodeApiError(text), { onNone: () => text, onSome: (e) => `Error: ${e.message}` })
  const fromText = Failures.reasonOf(stderr)
  return new NonZeroExit({
    reason: fromText === "Other" ? reasonOfStatus(status, path) : fromText,
    operation: operationOf(method, path),
    argv: [method, path],
    status,
    stderr
  })
}
