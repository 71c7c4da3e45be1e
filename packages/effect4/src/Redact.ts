/**
 * Redaction of secrets in podman argument vectors.
 *
 * The argv runner applies {@link redactEnvArgs} to every argv it puts in an error, a log line or a
 * span attribute, and {@link redactText} to podman's stderr, so no code path of this library
 * prints an unredacted environment value. The logic lives in `effect-podman-shared/Redact` (one
 * copy for every edition); this module is it.
 *
 * @example
 * ```ts
 * import { Redact } from "effect-podman-4"
 *
 * Redact.redactEnvArgs(["run", "-e", "API_TOKEN=s3cr3t", "img"]) // ["run", "-e", "API_TOKEN=<redacted>", "img"]
 * ```
 *
 * @since 0.4.0
 */
export {
  ALWAYS_REDACT_KEYS,
  isSensitiveKey,
  REDACTED,
  redactEnvArgs,
  redactText,
  secretValues,
  SENSITIVE_KEY_PATTERN
} from "effect-podman-shared/Redact"
