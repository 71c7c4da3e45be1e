/**
 * `podman container inspect NAME` (its JSON text) with what differs between any two creates of the
 * same spec taken out — ids, the name, times, free host ports, the library's session labels — so
 * both editions' nativeCreate tests compare a CLI-made and a REST-made container field for field.
 */
export const normalisedInspect = (json: string, name: string): Record<string, unknown> => {
  const [raw] = JSON.parse(json) as Array<{ Id: string }>
  const text = JSON.stringify(raw).replaceAll(raw!.Id, "ID").replaceAll(raw!.Id.slice(0, 12), "ID").replaceAll(
    name,
    "NAME"
  )
  const info = JSON.parse(text, (key, value) => (key === "HostPort" ? "*" : value))
  for (const key of ["Created", "State", "GraphDriver", "NetworkSettings", "Image", "Pod"]) delete info[key]
  delete info.Config.CreateCommand
  info.Config.Env.sort()
  info.Config.Labels = Object.fromEntries(
    Object.entries(info.Config.Labels as Record<string, string>).filter(([key]) => !key.startsWith("effect-podman."))
  )
  return info
}
