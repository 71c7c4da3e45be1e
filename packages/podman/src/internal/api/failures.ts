/**
 * The REST backend's classifier: an API answer that is not a success, as a `NonZeroExit` saying
 * what happened (from the API's message and its HTTP status), which operation, and how (method,
 * path, status — never an exit code).
 *
 * @internal
 */
import { apiFailure, apiOperation } from "effect-podman-shared/Failures"
import { NonZeroExit } from "../../PodmanError.js"

/** The operation a request performs (`POST /containers/web/start` → `container.start`). @internal */
export const operationOf: (method: string, path: string) => string = apiOperation

/** The `NonZeroExit` of an API answer: `text` is its body. @internal */
export const nonZeroExit = (method: string, path: string, status: number, text: string): NonZeroExit =>
  new NonZeroExit(apiFailure(method, path, status, text))
