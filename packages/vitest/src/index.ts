/**
 * effect-podman-vitest: @effect/vitest helpers for effect-podman.
 *
 * @since 0.1.0
 */

/**
 * The live runtime as a test layer; containers per test or per file.
 *
 * @since 0.1.0
 */
export * as PodmanTest from "./PodmanTest.js"
