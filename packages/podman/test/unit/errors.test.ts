import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import { classifyGpuError } from "../../src/Gpu.js"
import * as ApiFailures from "../../src/internal/api/failures.js"
import * as Failures from "../../src/internal/core/failures.js"
import * as PodmanError from "../../src/PodmanError.js"

describe("errors", () => {
  it("messages say what ran, what happened and what to do", () => {
    const missing = new PodmanError.PodmanMissing({ binary: "podman", argv: ["podman", "ps"] })
    assert.match(missing.message, /not found while running `podman ps`: install podman/)
    const timeout = new PodmanError.Timeout({ argv: ["podman", "stop", "web"], timeoutMillis: 500 })
    assert.match(timeout.message, /^podman did not answer within 500 ms \(`podman stop web`\); the process was killed/)
    const mine = new PodmanError.Timeout({ argv: ["podman", "wait", "web"], timeoutMillis: 500, reason: "CallerBound" })
    assert.strictEqual(mine.message, "the 500 ms bound you set passed (`podman wait web`); the process was killed")
    const exit = new PodmanError.NonZeroExit({
      reason: "NoSuchContainer",
      operation: "container.start",
      argv: ["podman", "start", "web"],
      exitCode: 125,
      stderr: "Error: boom\n"
    })
    assert.strictEqual(
      exit.message,
      "container.start failed: no such container (`podman start web`, exit code 125): Error: boom"
    )
    const api = new PodmanError.NonZeroExit({
      operation: "image.history",
      argv: ["GET", "/images/x/history"],
      status: 500,
      stderr: "Error: x"
    })
    assert.strictEqual(api.message, "image.history failed (`GET /images/x/history`, HTTP 500): Error: x")
    const killed = new PodmanError.NonZeroExit({ argv: ["podman", "ps"], exitCode: 137, stderr: "", signal: "SIGKILL" })
    assert.strictEqual(killed.message, "podman failed (`podman ps`, killed by SIGKILL): <no output>")
    const labelled = new PodmanError.NonZeroExit({
      argv: ["podman", "create", "--label", "effect-podman.session=abc", "--label", "team=a", "img"],
      exitCode: 125,
      stderr: "x"
    })
    assert.include(labelled.message, "`podman create --label team=a img`")
    const invalid = new PodmanError.InvalidArgument({ argument: "container name", value: "--all", reason: "flag" })
    assert.strictEqual(invalid.message, "invalid container name \"--all\": flag; nothing was run")
    for (const error of [missing, timeout, exit, invalid]) assert.isTrue(PodmanError.isPodmanError(error))
    assert.isFalse(PodmanError.isPodmanError(new Error("x")))
  })

  it("one classifier per backend: podman's words (and the API's status) say what happened", () => {
    // messages of podman 4.3.1, as printed here
    const seen: ReadonlyArray<readonly [string, PodmanError.NonZeroExitReason]> = [
      ["Error: no container with name or ID \"x\" found: no such container", "NoSuchContainer"],
      ["Error: container \"x\" does not exist", "NoSuchContainer"],
      ["Error: inspecting object: x: image not known", "NoSuchImage"],
      [
        "Error: creating container storage: the container name \"x\" is already in use by c7. You have to remove that container to be able to reuse that name: that name is already in use",
        "NameInUse"
      ],
      ["Error: image used by c7: image is in use by a container: consider listing external containers", "InUse"],
      ["Error: can only create exec sessions on running containers: container state improper", "NotRunning"],
      [
        "Error: initializing source docker://localhost/x:latest: pinging container registry localhost: connection refused",
        "PullFailed"
      ],
      [
        "Error: short-name \"x\" did not resolve to an alias and no unqualified-search registries are defined",
        "PullFailed"
      ],
      ["Error: something else entirely", "Other"]
    ]
    for (const [text, reason] of seen) assert.strictEqual(Failures.reasonOf(text), reason, text)
    assert.strictEqual(Failures.cliOperation(["image", "rm", "x"]), "image.remove")
    assert.strictEqual(Failures.cliOperation(["start", "web"]), "container.start")
    const notFound = ApiFailures.nonZeroExit("GET", "/images/x/json", 404, "{\"message\":\"failed to find image x\"}")
    assert.deepStrictEqual([notFound.reason, notFound.operation, notFound.status, notFound.exitCode], [
      "NoSuchImage",
      "image.inspect",
      404,
      undefined
    ])
    assert.strictEqual(ApiFailures.nonZeroExit("POST", "/containers/web/start", 404, "").reason, "NoSuchContainer")
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
