// How inspect's JSON becomes what a handle reports, decided once for both editions. No podman.
import { describe, expect, it } from "vitest"
import { PodmanJson } from "../src/index.js"

describe("PodmanJson.toMount", () => {
  it("a volume by its name, a host path by its path", () => {
    const storage = "/var/lib/containers/storage/volumes/data/_data"
    expect(PodmanJson.toMount({ Type: "volume", Name: "data", Source: storage, Destination: "/vol", RW: false }))
      .toEqual({ type: "volume", source: "data", destination: "/vol", rw: false })
    expect(PodmanJson.toMount({ Type: "bind", Source: "/srv/app", Destination: "/app", RW: true }))
      .toEqual({ type: "bind", source: "/srv/app", destination: "/app", rw: true })
    // a volume podman did not name (an anonymous one lists its name; older output may not): its path
    expect(PodmanJson.toMount({ Type: "volume", Name: "", Source: storage, Destination: "/vol", RW: true }).source).toBe(storage)
  })
})
