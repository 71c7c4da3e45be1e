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
import * as Failures from "../core/failures.js"

const API_OPERATIONS: ReadonlyArray<readonly [method: string, path: RegExp, operation: string]> = [
  ["POST", /^\/containers\/create/, "container.create"],
  ["GET", /^\/containers\/json/, "container.list"],
  ["GET", /^\/containers\/[^/]+\/json/, "container.inspect"],
  ["POST", /^\/containers\/[^/]+\/start/, "container.start"],
  ["POST", /^\/containers\/[^/]+\/stop/, "container.stop"],
  ["POST", /^\/containers\/[^/]+\/wait/, "container.wait"],
  ["POST", /^\/containers\/[^/]+\/kill/, "container.kill"],
  ["GET", /^\/containers\/stats/, "container.stats"],
  ["POST", /^\/containers\/[^/]+\/pause/, "container.pause"],
  ["POST", /^\/containers\/[^/]+\/unpause/, "container.unpause"],
  ["POST", /^\/containers\/[^/]+\/restart/, "container.restart"],
  ["*", /^\/containers\/[^/]+\/archive/, "container.copyIn"],
  ["*", /^\/containers\/[^/]+\/exec|^\/exec\//, "container.exec"],
  ["GET", /^\/containers\/[^/]+\/logs/, "container.logs"],
  ["GET", /^\/containers\/[^/]+\/healthcheck/, "container.healthcheck"],
  ["DELETE", /^\/containers\/[^/]+/, "container.remove"],
  ["GET", /^\/images\/json/, "image.list"],
  ["GET", /^\/images\/[^/]+\/json/, "image.inspect"],
  ["GET", /^\/images\/[^/]+\/history/, "image.history"],
  ["DELETE", /^\/images\/[^/]+/, "image.remove"],
  ["GET", /^\/events/, "events"]
]

/** The operation a request performs (`POST /containers/web/start` → `container.start`). @internal */
export const operationOf = (method: string, path: string): string =>
  API_OPERATIONS.find(([m, pattern]) => (m === "*" || m === method) && pattern.test(path))?.[2] ?? `${method} ${path}`

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
