/**
 * podman's progress lines (`pull`, `push`, `build`) as `ImageProgress` (`effect-podman-shared/Progress`).
 *
 * @internal
 */
export { isImageId, parseLine } from "effect-podman-shared/Progress"
