/**
 * effect-podman for Effect 4: podman operations as Effects with exact errors, child
 * processes reaped on every exit path (SIGTERM, then SIGKILL), containers as scoped resources, logs
 * as Streams. The logic that does not depend on Effect is `effect-podman-shared`, the same code the
 * Effect 3 edition (`effect-podman`) runs.
 *
 * @since 0.4.0
 */

/**
 * The handles on containers and what their operations answer.
 *
 * @since 0.4.0
 */
export * as Container from "./Container.js"

/**
 * Errors of containers rather than of podman: `SpecError`, `WaitFailed`, `GpuConfigError`,
 * `BuildFailed`.
 *
 * @since 0.4.0
 */
export * as ContainerError from "./ContainerError.js"

/**
 * The service, its handles and options.
 *
 * @since 0.4.0
 */
export * as ContainerRuntime from "./ContainerRuntime.js"

/**
 * What `create` and `run` take, as a Schema.
 *
 * @since 0.4.0
 */
export * as ContainerSpec from "./ContainerSpec.js"

/**
 * Environments: services on a network of their own, started in dependency order.
 *
 * @since 0.4.0
 */
export * as Environment from "./Environment.js"

/**
 * GPU passthrough: whether this host can serve a vendor's GPUs.
 *
 * @since 0.4.0
 */
export * as Gpu from "./Gpu.js"

/**
 * Images: pull, push and build options, and listings.
 *
 * @since 0.4.0
 */
export * as Images from "./Images.js"

/**
 * Kubernetes pod manifests from container specs.
 *
 * @since 0.4.0
 */
export * as Kube from "./Kube.js"

/**
 * The CLI layer.
 *
 * @since 0.4.0
 */
export * as Podman from "./Podman.js"

/**
 * Port reservations: a free host port held for a scope.
 *
 * @since 0.4.0
 */
export * as PortReservation from "./PortReservation.js"

/**
 * The REST layer: the libpod API, on a service of its own or yours.
 *
 * @since 0.4.0
 */
export * as PodmanApi from "./PodmanApi.js"

/**
 * The errors of podman operations.
 *
 * @since 0.4.0
 */
export * as PodmanError from "./PodmanError.js"

/**
 * Networks, volumes and pods: their options and what `network`, `volume` and `pod` make.
 *
 * @since 0.4.0
 */
export * as Resource from "./Resource.js"

/**
 * The in-memory layer: a model of podman for unit tests.
 *
 * @since 0.4.0
 */
export * as TestRuntime from "./TestRuntime.js"

/**
 * Wait strategies for `run`.
 *
 * @since 0.4.0
 */
export * as Wait from "./Wait.js"

/**
 * Parsing the human-readable sizes podman prints.
 *
 * @since 0.4.0
 */
export * as HumanSize from "./HumanSize.js"

/**
 * Finding the init binary (catatonit) `podman run --init` uses.
 *
 * @since 0.4.0
 */
export * as Init from "./Init.js"

/**
 * Reaching the host from a container without a filtering gateway, root and rootless.
 *
 * @since 0.4.0
 */
export * as Network from "./Network.js"

/**
 * Redaction of secrets in podman argument vectors and output.
 *
 * @since 0.4.0
 */
export * as Redact from "./Redact.js"
