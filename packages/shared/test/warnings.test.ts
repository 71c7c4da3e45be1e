// What podman warned of on a call that succeeded: its plain lines, not its logger's or a missing
// syslog's; the API's Warnings list.
import { describe, expect, it } from "vitest"
import { Messages } from "../src/index.js"

describe("Messages.warnings", () => {
  it("keeps podman's plain lines, drops its logger's and a host's missing syslog", () => {
    const stderr = [
      "time=\"2026-12-04T07:35:08Z\" level=warning msg=\"\\\"/\\\" is not a shared mount\"",
      "Resource limits are not supported and ignored on cgroups V1 rootless systems",
      "failed to connect to syslog: Initialization",
      ""
    ].join("\n")
    expect(Messages.warnings(stderr)).toEqual([
      "Resource limits are not supported and ignored on cgroups V1 rootless systems"
    ])
    expect(Messages.warnings("")).toEqual([])
  })

  it("reads the API's Warnings, and nothing from an answer without them", () => {
    expect(Messages.warnings({ Id: "abc", Warnings: ["careful", 3, " "] })).toEqual(["careful"])
    expect(Messages.warnings({ Id: "abc" })).toEqual([])
    expect(Messages.warnings(undefined)).toEqual([])
  })
})
