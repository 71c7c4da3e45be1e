/**
 * The logic the effect-podman editions share, without Effect: each edition (`effect-podman` for
 * Effect 3) wraps it in its own services, errors, schemas and streams.
 *
 * @since 0.4.0
 */

/**
 * Tar archives in and out of containers: packed from memory, extracted without trusting them.
 *
 * @since 0.4.0
 */
export * as Archive from "./Archive.js"

/**
 * podman's argv for a checked spec.
 *
 * @since 0.4.0
 */
export * as Argv from "./Argv.js"

/**
 * The start order of an environment's services.
 *
 * @since 0.4.0
 */
export * as Environment from "./Environment.js"

/**
 * What a podman client applies from its own containers.conf (`default_ulimits`).
 *
 * @since 0.4.0
 */
export * as ContainersConf from "./ContainersConf.js"

/**
 * Which podman, where its service is, and the default bounds.
 *
 * @since 0.4.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * Where podman's init binary is.
 *
 * @since 0.4.0
 */
export * as Init from "./Init.js"

/**
 * Reaching the host from a container, root and rootless.
 *
 * @since 0.4.0
 */
export * as Network from "./Network.js"

/**
 * Container lifecycle events, decoded, and resumed across podman's log rotations.
 *
 * @since 0.4.0
 */
export * as Events from "./Events.js"

/**
 * What podman's words say happened, and which operation a command or request is.
 *
 * @since 0.4.0
 */
export * as Failures from "./Failures.js"

/**
 * The libpod API's multiplexed streams, decoded.
 *
 * @since 0.4.0
 */
export * as Frames from "./Frames.js"

/**
 * GPU passthrough through CDI, as data.
 *
 * @since 0.4.0
 */
export * as Gpu from "./Gpu.js"

/**
 * Human-readable sizes as podman prints them.
 *
 * @since 0.4.0
 */
export * as HumanSize from "./HumanSize.js"

/**
 * Kubernetes pod manifests from container specs.
 *
 * @since 0.4.0
 */
export * as Kube from "./Kube.js"

/**
 * What the kernel would refuse with `E2BIG`.
 *
 * @since 0.4.0
 */
export * as Limits from "./Limits.js"

/**
 * A container's `k8s-file` log, read and followed as a file.
 *
 * @since 0.4.0
 */
export * as LogFile from "./LogFile.js"

/**
 * What each error says, the same in every edition.
 *
 * @since 0.4.0
 */
export * as Messages from "./Messages.js"

/**
 * What podman's JSON says, as data.
 *
 * @since 0.4.0
 */
export * as PodmanJson from "./PodmanJson.js"

/**
 * The host side of published ports.
 *
 * @since 0.4.0
 */
export * as Ports from "./Ports.js"

/**
 * What podman reports while it pulls, pushes or builds an image.
 *
 * @since 0.4.0
 */
export * as Progress from "./Progress.js"

/**
 * Redaction of secrets in argument vectors and text.
 *
 * @since 0.4.0
 */
export * as Redact from "./Redact.js"

/**
 * Session labels and the liveness check of `sweep`.
 *
 * @since 0.4.0
 */
export * as Session from "./Session.js"

/**
 * The files of the models' containers: their own, with volumes mounted.
 *
 * @since 0.4.0
 */
export * as ModelFiles from "./ModelFiles.js"

/**
 * What a test puts in either edition's model directly: a container fixture.
 *
 * @since 0.4.0
 */
export * as ModelFixtures from "./ModelFixtures.js"

/**
 * The models' registries and builds.
 *
 * @since 0.4.0
 */
export * as ModelImages from "./ModelImages.js"

/**
 * What the models' containers reach over the network.
 *
 * @since 0.4.0
 */
export * as ModelNetwork from "./ModelNetwork.js"

/**
 * podman 4.3's answers, as the in-memory models give them.
 *
 * @since 0.4.0
 */
export * as PodmanAnswers from "./PodmanAnswers.js"

/**
 * The busybox applets and `sh -c` scripts the in-memory models run, as generators of instructions.
 *
 * @since 0.4.0
 */
export * as Shell from "./Shell.js"

/**
 * A container spec as plain data.
 *
 * @since 0.4.0
 */
export * as Spec from "./Spec.js"

/**
 * The rules of `run` both editions follow, decided once.
 *
 * @since 0.5.0
 */
export * as Lifecycle from "./Lifecycle.js"

/**
 * The state machine of both editions' in-memory models: what a start, an end and a removal do.
 *
 * @since 0.5.0
 */
export * as ModelLifecycle from "./ModelLifecycle.js"

/**
 * The rules of the wait strategies both editions follow, decided once: their words, bounds and retries.
 *
 * @since 0.5.0
 */
export * as Readiness from "./Readiness.js"

/**
 * What a podman child killed mid-way leaves on the host (temporary files, a build's working
 * container and step processes), and how to find exactly its own.
 *
 * @since 0.5.0
 */
export * as Scratch from "./Scratch.js"

/**
 * A spec as libpod's SpecGenerator.
 *
 * @since 0.4.0
 */
export * as SpecGenerator from "./SpecGenerator.js"
