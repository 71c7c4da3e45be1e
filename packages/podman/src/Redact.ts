/**
 * Redaction of secrets in podman argument vectors.
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
 * import { Redact } from "effect-podman"
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
 * import { Redact } from "effect-podman"
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
 * import { Redact } from "effect-podman"
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
 * import { Redact } from "effect-podman"
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
 * Returns a copy of `argv` in which the value of every sensitive environment assignment is
 * replaced by `<redacted>`. All of podman's spellings are understood: `-e KEY=VALUE`,
 * `--env KEY=VALUE`, `--env=KEY=VALUE` and `-eKEY=VALUE`. Everything else is returned unchanged.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman"
 *
 * Redact.redactEnvArgs(["run", "-e", "API_TOKEN=s3cr3t", "--env=HOME=/root", "img"])
 * // ["run", "-e", "API_TOKEN=<redacted>", "--env=HOME=/root", "img"]
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactEnvArgs = (argv: ReadonlyArray<string>): Array<string> => {
  const out: Array<string> = []
  let assignmentNext = false
  for (const arg of argv) {
    if (assignmentNext) {
      out.push(redactAssignment(arg))
      assignmentNext = false
    } else if (arg === "-e" || arg === "--env") {
      out.push(arg)
      assignmentNext = true
    } else if (arg.startsWith("--env=")) {
      out.push(`--env=${redactAssignment(arg.slice("--env=".length))}`)
    } else if (arg.startsWith("-e") && !arg.startsWith("--") && arg.includes("=")) {
      out.push(`-e${redactAssignment(arg.slice(2))}`)
    } else {
      out.push(arg)
    }
  }
  return out
}

/**
 * The secret values that {@link redactEnvArgs} would hide in `argv`.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman"
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
      const assignment = arg.startsWith("--env=") ? arg.slice(6) : arg.startsWith("-e") ? arg.slice(2) : arg
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
 * import { Redact } from "effect-podman"
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
