/**
 * Redaction of secrets in podman argument vectors (shared by the Effect 3 and Effect 4 editions).
 *
 * The argv runner applies {@link redactEnvArgs} to every argv it puts in an error, a log line or a
 * span attribute, and {@link redactText} to podman's stderr, so no code path of this library
 * prints an unredacted environment value.
 *
 * @since 0.1.0
 */

/**
 * Keys whose values are secret: any key matching this pattern, plus {@link ALWAYS_REDACT_KEYS}.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.SENSITIVE_KEY_PATTERN.test("GITHUB_TOKEN") // true
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const SENSITIVE_KEY_PATTERN: RegExp = /KEY|TOKEN|SECRET|API|PASSWORD|PRIVATE/i

/**
 * Keys that are redacted although their names do not look secret (they carry credentials in URLs).
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.ALWAYS_REDACT_KEYS.has("CLONE_FROM") // true
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const ALWAYS_REDACT_KEYS: ReadonlySet<string> = new Set(["CODE_REPO", "CLONE_FROM"])

/**
 * The placeholder that replaces a secret value.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.redactEnvArgs(["-e", "API_KEY=x"])[1] === `API_KEY=${Redact.REDACTED}` // true
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const REDACTED = "<redacted>"

/**
 * Whether an environment key names a secret.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.isSensitiveKey("API_TOKEN") // true
 * Redact.isSensitiveKey("HOME") // false
 * ```
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY_PATTERN.test(key) || ALWAYS_REDACT_KEYS.has(key)

const redactAssignment = (assignment: string): string => {
  const eq = assignment.indexOf("=")
  if (eq < 0) return assignment
  const key = assignment.slice(0, eq)
  return isSensitiveKey(key) ? `${key}=${REDACTED}` : assignment
}

/**
 * The assignment an argument carries when it is an environment flag with its value attached:
 * `--env=K=V`, `-e=K=V`, `-eK=V`, and `-e` after podman's one-letter switches `-d`, `-i`, `-t` (`-ieK=V`).
 */
const attachedAssignment = (arg: string): { readonly flag: string; readonly assignment: string } | undefined => {
  if (arg.startsWith("--env=")) return { flag: "--env=", assignment: arg.slice("--env=".length) }
  if (arg.startsWith("--build-arg=")) return { flag: "--build-arg=", assignment: arg.slice("--build-arg=".length) }
  const short = /^(-[dit]*e=?)(.*=.*)$/s.exec(arg)
  return short === null || arg.startsWith("--") ? undefined : { flag: short[1]!, assignment: short[2]! }
}

/**
 * Whether the next argument is an assignment: `-e`, `--env`, `-e` ending a group of the switches
 * `-d`, `-i`, `-t` (`-ite`), or a build's `--build-arg` (a build argument holds secrets as often).
 */
const takesAssignment = (arg: string): boolean => arg === "--env" || arg === "--build-arg" || /^-[dit]*e$/.test(arg)

/**
 * Returns a copy of `argv` in which the value of every sensitive environment assignment is
 * replaced by `<redacted>`. All of podman's spellings are understood: `-e KEY=VALUE`,
 * `--env KEY=VALUE`, `--env=KEY=VALUE`, `-eKEY=VALUE`, `-e=KEY=VALUE`, and `-e` at the end of a
 * group of one-letter switches (`-ite KEY=VALUE`, `-ieKEY=VALUE`) — and a build's
 * `--build-arg KEY=VALUE` / `--build-arg=KEY=VALUE`. Everything else is returned unchanged.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.redactEnvArgs(["run", "-e", "API_TOKEN=s3cr3t", "--env=HOME=/root", "-e=DB_PASSWORD=x", "img"])
 * // ["run", "-e", "API_TOKEN=<redacted>", "--env=HOME=/root", "-e=DB_PASSWORD=<redacted>", "img"]
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactEnvArgs = (argv: ReadonlyArray<string>): Array<string> => {
  const out: Array<string> = []
  let assignmentNext = false
  for (const arg of argv) {
    const attached = assignmentNext ? undefined : attachedAssignment(arg)
    if (assignmentNext) {
      out.push(redactAssignment(arg))
      assignmentNext = false
    } else if (attached !== undefined) {
      out.push(`${attached.flag}${redactAssignment(attached.assignment)}`)
    } else {
      out.push(arg)
      assignmentNext = takesAssignment(arg)
    }
  }
  return out
}

/**
 * The secret values that {@link redactEnvArgs} would hide in `argv`.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.secretValues(["-e", "API_TOKEN=s3cr3t"]) // ["s3cr3t"]
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const secretValues = (argv: ReadonlyArray<string>): Array<string> => {
  const redacted = redactEnvArgs(argv)
  const values: Array<string> = []
  argv.forEach((arg, i) => {
    if (arg !== redacted[i]) {
      const assignment = attachedAssignment(arg)?.assignment ?? arg
      const value = assignment.slice(assignment.indexOf("=") + 1)
      if (value.length > 0) values.push(value)
    }
  })
  return values
}

/**
 * Replaces every secret value of `argv` that occurs in `text` (podman's stderr, say) by `<redacted>`.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-shared"
 *
 * Redact.redactText("bad value s3cr3t", ["-e", "API_TOKEN=s3cr3t"]) // "bad value <redacted>"
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactText = (text: string, argv: ReadonlyArray<string>): string =>
  secretValues(argv)
    .sort((a, b) => b.length - a.length)
    .reduce((acc, value) => acc.split(value).join(REDACTED), text)
