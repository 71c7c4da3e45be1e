// How inspect's JSON becomes what a handle reports, decided once for both editions. No podman.
import { describe, expect, it } from "vitest"
import { Failures, Messages, PodmanJson } from "../src/index.js"

describe("PodmanJson.toMount", () => {
  it("a volume by its name, a host path by its path", () => {
    const storage = "/var/lib/containers/storage/volumes/data/_data"
    expect(PodmanJson.toMount({ Type: "volume", Name: "data", Source: storage, Destination: "/vol", RW: false }))
      .toEqual({ type: "volume", source: "data", destination: "/vol", rw: false })
    expect(PodmanJson.toMount({ Type: "bind", Source: "/srv/app", Destination: "/app", RW: true }))
      .toEqual({ type: "bind", source: "/srv/app", destination: "/app", rw: true })
    // a volume podman did not name (an anonymous one lists its name; older output may not): its path
    expect(PodmanJson.toMount({ Type: "volume", Name: "", Source: storage, Destination: "/vol", RW: true }).source)
      .toBe(storage)
  })
})

describe("Failures.UnreadableOutput", () => {
  it("what and where; the value podman printed never", () => {
    expect(
      new Failures.UnreadableOutput("a container inspect", [
        { path: [0, "State", "Status"], message: "Expected string, actual 5" },
        { path: [{ key: 1 }, { key: "Env" }], message: "Expected array, got \"TOKEN=hunter2\"" },
        { message: "Missing key" }
      ]).message
    ).toBe(
      "podman printed a container inspect this library cannot read: at [0].State.Status: Expected string; at [1].Env: Expected array; at the top: Missing key"
    )
    expect(new Failures.UnreadableOutput("output", []).message).toBe("podman printed output this library cannot read")
    expect(
      Messages.nonZeroExit({
        reason: "Unreadable",
        operation: "container.list",
        argv: ["podman", "ps"],
        stderr: "podman printed …"
      })
    )
      .toBe("container.list failed: podman's answer could not be read (`podman ps`): podman printed …")
  })
})
