/**
 * `@effect/vitest` 4 helpers for the Effect 4 edition of effect-podman.
 *
 * @since 0.4.0
 */

/**
 * The live runtime as a test layer; containers per test or per block.
 *
 * @since 0.4.0
 */
export * as PodmanTest from "./PodmanTest.js"
