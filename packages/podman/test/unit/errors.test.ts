import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import { classifyGpuError } from "../../src/Gpu.js"
import * as PodmanError from "../../src/PodmanError.js"

describe("errors", () => {
  it("messages say what ran, what happened and what to do", () => {
    const missing = new PodmanError.PodmanMissing({ binary: "podman", argv: ["podman", "ps"] })
    assert.match(missing.message, /not found while running `podman ps`: install podman/)
    const timeout = new PodmanError.Timeout({ argv: ["podman", "wait", "web"], timeoutMillis: 500 })
    assert.strictEqual(timeout.message, "`podman wait web` did not finish within 500 ms; the process was killed")
    const exit = new PodmanError.NonZeroExit({ argv: ["podman", "start", "web"], exitCode: 125, stderr: "Error: boom\n" })
    assert.strictEqual(exit.message, "`podman start web` failed (exit code 125): Error: boom")
    const killed = new PodmanError.NonZeroExit({ argv: ["podman", "ps"], exitCode: 137, stderr: "", signal: "SIGKILL" })
    assert.strictEqual(killed.message, "`podman ps` failed (killed by SIGKILL): <no output>")
    const invalid = new PodmanError.InvalidArgument({ argument: "container name", value: "--all", reason: "flag" })
    assert.strictEqual(invalid.message, "invalid container name \"--all\": flag; nothing was run")
    for (const error of [missing, timeout, exit, invalid]) assert.isTrue(PodmanError.isPodmanError(error))
    assert.isFalse(PodmanError.isPodmanError(new Error("x")))
  })

  it("classifyGpuError matches CDI failures only, from text or bytes", () => {
    const stderr = "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all"
    const fromText = classifyGpuError(stderr)
    const fromBytes = classifyGpuError(new TextEncoder().encode(stderr))
    assert.isTrue(Option.isSome(fromText) && Option.isSome(fromBytes))
    if (Option.isSome(fromText)) {
      assert.strictEqual(fromText.value.hint, PodmanError.CDI_HINT)
      assert.match(fromText.value.message, /^Container launch failed \(GPU misconfiguration\):\nError: setting up CDI/)
    }
    assert.isTrue(Option.isSome(classifyGpuError("amd.com/gpu=0 not found")))
    assert.isTrue(Option.isNone(classifyGpuError("Error: no such container")))
  })
})
