/**
 * A CLI build that leaves nothing when it does not finish. podman exits on a signal without
 * cleaning up (and a podman service goes on with a build whose client went away), so a build
 * interrupted in a `RUN` step would leave buildah's working container, the step's process (still
 * running) and its bundle. Each build runs with a scratch `TMPDIR` (the
 * bundles go with it) and a marker build argument buildah records in its working container, so
 * exactly this build's is removed — never a concurrent build's (`effect-podman-shared/Scratch`).
 *
 * @internal
 */
import { Effect, Stream } from "effect"
import type { LogEntry } from "effect-podman-shared/LogFile"
import * as Scratch from "effect-podman-shared/Scratch"
import type { InvalidArgument, NonZeroExit, PodmanMissing } from "../../PodmanError.js"
import { scratch } from "./runner.js"
import type { Runner } from "./runner.js"

/** What a build that did not finish left: its steps' processes and its working containers. */
const leftovers = (runner: Runner, folder: string | undefined, id: string) =>
  Effect.gen(function*() {
    const candidates = Scratch.candidatesOf((yield* runner.run(Scratch.LIST_EXTERNAL)).stdout)
    const store = candidates.length === 0 ? "" : (yield* runner.run(["info", "--format", Scratch.STORE_FORMAT])).stdout
    const ours = yield* Effect.promise(() => Scratch.workingContainers(store, candidates, id))
    // the steps first: a podman service goes on with a build whose client went away
    const killed = yield* Effect.promise(() => Scratch.endSteps(folder, ours))
    if (ours.length > 0) yield* runner.run(["rm", "--force", ...ours])
    yield* Effect.logDebug(
      `removed what an interrupted build left: working containers ${ours.join(", ")}; step processes ${
        killed.join(", ")
      }`
    )
  }).pipe(Effect.catchCause((cause) => Effect.logWarning("could not remove what an interrupted build left", cause)))

/**
 * `podman build`'s output entries (`args` from `Argv.imageArgs.build`), marked and with a scratch
 * folder; when the stream ends before podman printed the image id (interrupted, failed, cut
 * short), what the build left is removed.
 *
 * @internal
 */
export const buildEntries = (
  runner: Runner,
  args: ReadonlyArray<string>
): Stream.Stream<LogEntry, PodmanMissing | InvalidArgument | NonZeroExit> =>
  Stream.unwrap(Effect.gen(function*() {
    const { env, folder } = yield* scratch
    const id = crypto.randomUUID()
    let finished = false
    yield* Effect.addFinalizer(() => finished ? Effect.void : leftovers(runner, folder, id))
    const [command, ...rest] = args
    return runner.entries([command!, ...Scratch.markerArgs(id), ...rest], env).pipe(
      Stream.onExit((exit) => Effect.sync(() => void (finished = exit._tag === "Success")))
    )
  }))
