/**
 * effect-podman: an Effect-native podman client.
 *
 * @since 0.1.0
 */

/**
 * The handles and results of the runtime: containers, images, what their operations return.
 *
 * @since 0.2.0
 */
export * as Container from "./Container.js"

/**
 * The `ContainerRuntime` service, its handles and results.
 *
 * @since 0.1.0
 */
export * as ContainerRuntime from "./ContainerRuntime.js"

/**
 * The failures of starting a container beyond podman's own (also in `PodmanError`).
 *
 * @since 0.2.0
 */
export * as ContainerError from "./ContainerError.js"

/**
 * Container specs and the argv they make.
 *
 * @since 0.1.0
 */
export * as ContainerSpec from "./ContainerSpec.js"

/**
 * Container lifecycle events.
 *
 * @since 0.3.0
 */
export * as Events from "./Events.js"

/**
 * Running commands in a container: options and results.
 *
 * @since 0.3.0
 */
export * as Exec from "./Exec.js"

/**
 * Several containers on a private network, started in dependency order under one deadline.
 *
 * @since 0.3.0
 */
export * as Environment from "./Environment.js"

/**
 * GPU passthrough through CDI.
 *
 * @since 0.1.0
 */
export * as Gpu from "./Gpu.js"

/**
 * Human-readable size parsing.
 *
 * @since 0.1.0
 */
export * as HumanSize from "./HumanSize.js"

/**
 * Finding podman's init binary.
 *
 * @since 0.1.0
 */
export * as Init from "./Init.js"

/**
 * Pulling, pushing and building images: options and progress.
 *
 * @since 0.3.0
 */
export * as Images from "./Images.js"

/**
 * Networking argv helpers.
 *
 * @since 0.1.0
 */
export * as Network from "./Network.js"

/**
 * A container's log: options and entries.
 *
 * @since 0.3.0
 */
export * as Logs from "./Logs.js"

/**
 * What podman reports about a container: its config and resource use.
 *
 * @since 0.3.0
 */
export * as Inspect from "./Inspect.js"

/**
 * Container specs rendered as a Kubernetes pod manifest.
 *
 * @since 0.3.0
 */
export * as Kube from "./Kube.js"

/**
 * The live layer over the podman CLI.
 *
 * @since 0.1.0
 */
export * as Podman from "./Podman.js"

/**
 * TCP port reservations held by a Scope.
 *
 * @since 0.1.0
 */
export * as PortReservation from "./PortReservation.js"

/**
 * The typed errors.
 *
 * @since 0.1.0
 */
export * as PodmanError from "./PodmanError.js"

/**
 * Redaction of secrets in argv.
 *
 * @since 0.1.0
 */
export * as Redact from "./Redact.js"

/**
 * Networks, volumes and pods as scoped resources.
 *
 * @since 0.3.0
 */
export * as Resource from "./Resource.js"

/**
 * The in-memory test layer.
 *
 * @since 0.1.0
 */
export * as TestRuntime from "./TestRuntime.js"

/**
 * Wait strategies for `ContainerRuntime.run`.
 *
 * @since 0.1.0
 */
export * as Wait from "./Wait.js"
