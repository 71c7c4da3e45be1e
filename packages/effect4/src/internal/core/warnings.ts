/**
 * What podman warned of when it created a container — rootless under cgroup v1, "Resource limits
 * are not supported and ignored on cgroups V1 rootless systems": the container exists without the
 * limits asked, so the caller hears it, at warning level, with podman's words (the CLI's stderr,
 * the API's `Warnings`, the model's answer alike).
 *
 * @internal
 */
import { Effect } from "effect"
import * as Messages from "effect-podman-shared/Messages"

/** Logs each of podman's warnings about the container `name` (`answer`: stderr, or the API's body). @internal */
export const logCreateWarnings = (name: string, answer: unknown): Effect.Effect<void> =>
  Effect.forEach(
    Messages.warnings(answer),
    (warning) =>
      Effect.logWarning(`podman created ${name} with a warning: ${warning}`).pipe(
        Effect.annotateLogs("container", name)
      ),
    { discard: true }
  )
