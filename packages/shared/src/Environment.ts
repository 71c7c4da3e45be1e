/**
 * The order an environment's services start in: levels of services whose dependencies are all in
 * the levels before (each level started together), or why there is none. No Effect.
 *
 * @since 0.4.0
 */

/**
 * The start order of services by their `dependsOn`, level by level; a string saying why when a
 * service depends on one that is not defined, or their dependencies form a cycle.
 *
 * @example
 * ```ts
 * import { Environment } from "effect-podman-shared"
 *
 * Environment.levels({ web: { dependsOn: ["db"] }, db: {} }) // [["db"], ["web"]]
 * Environment.levels({ a: { dependsOn: ["b"] }, b: { dependsOn: ["a"] } }) // "its dependencies form a cycle among a, b"
 * ```
 *
 * @since 0.4.0
 */
export const levels = (
  services: Readonly<Record<string, { readonly dependsOn?: ReadonlyArray<string> | undefined }>>
): Array<Array<string>> | string => {
  const keys = Object.keys(services)
  const unknown = keys.flatMap((key) =>
    (services[key]!.dependsOn ?? []).filter((dep) => !(dep in services)).map((dep) => `${key} → ${dep}`)
  )
  if (unknown.length > 0) return `depends on a service it does not define: ${unknown.join(", ")}`
  const done = new Set<string>()
  const order: Array<Array<string>> = []
  while (done.size < keys.length) {
    const level = keys.filter((key) => !done.has(key) && (services[key]!.dependsOn ?? []).every((dep) => done.has(dep)))
    if (level.length === 0) {
      return `its dependencies form a cycle among ${keys.filter((key) => !done.has(key)).join(", ")}`
    }
    level.forEach((key) => done.add(key))
    order.push(level)
  }
  return order
}
