// The models' registries and builds on their own (`ModelImages`): what a pull and a push meet, the
// steps of a Containerfile, a COPY kept inside its context, and a build's outcome — driven here
// without any Effect, as each edition drives it on its own clock.
import { describe, expect, it } from "vitest"
import { Argv, ModelImages, Shell } from "../src/index.js"

const settings = (options: Argv.BuildOptions = {}) => Argv.buildSettings("/ctx", "Containerfile", options)

/** Runs a build to its outcome; its sleeps are skipped, what it cannot do is thrown. */
const drive = (program: Generator<Shell.Instruction, ModelImages.BuildOutcome, void>): ModelImages.BuildOutcome =>
  Shell.interpret<ModelImages.BuildOutcome, ModelImages.BuildOutcome>(program, {
    exit: (outcome) => outcome,
    write: (_, __, next) => next(),
    sleep: (_, next) => next(),
    // (no step here runs forever: a sentinel outcome)
    forever: { _tag: "Failed", progress: [], refusal: { reason: "Other", stderr: "ran forever", exitCode: -1 } },
    cannot: (what) => {
      throw new Error(`the model cannot ${what}`)
    }
  })

const base: ModelImages.BuildBase = {
  files: [["/etc/motd", "hi\n"]],
  labels: { from: "base" },
  history: ["/bin/sh -c #(nop) ADD file:0 in /"],
  command: ["/bin/sh"],
  executables: undefined,
  healthcheck: undefined
}

const build = (
  containerfile: string,
  options: Argv.BuildOptions = {},
  sources = new Map<string, ModelImages.HostCopy | undefined>()
) => {
  const s = settings(options)
  return () =>
    drive(
      ModelImages.build({
        settings: s,
        steps: ModelImages.steps(containerfile, s),
        base: (ref) => (ref === "base" ? base : undefined),
        sources
      })
    )
}

describe("ModelImages: registries", () => {
  it("a pull meets podman's refusal for an undeclared registry, HTTPS asked of HTTP, and an unknown manifest", () => {
    const registries: ModelImages.Registries<string> = new Map([["registry.test:5000", new Map()]])
    const hint = "declared by the test"
    const undeclared = ModelImages.pullFrom(registries, "elsewhere:5000/a:1", false, hint)
    expect(undeclared._tag === "Refused" && undeclared.refusal.stderr).toMatch(
      /dial tcp elsewhere:5000: connect: connection refused \(the test model reaches only the registries declared by the test\)$/
    )
    const insecure = ModelImages.pullFrom(registries, "registry.test:5000/a:1", true, hint)
    expect(insecure._tag === "Refused" && insecure.refusal.stderr).toMatch(/server gave HTTP response to HTTPS client$/)
    const unknown = ModelImages.pullFrom(registries, "registry.test:5000/a:1", false, hint)
    expect(unknown._tag === "Refused" && unknown.refusal).toMatchObject({ reason: "PullFailed", exitCode: 125 })
    // a short name goes to docker.io, which the model never reaches
    expect(ModelImages.registryOf("alpine")).toBeUndefined()
  })

  it("what was pushed is pulled back, with a new digest per push", () => {
    const registries: ModelImages.Registries<string> = new Map([["registry.test:5000", new Map()]])
    const pushed = ModelImages.pushTo(registries, "image-a", "registry.test:5000/a:1", false, "")
    const again = ModelImages.pushTo(registries, "image-a", "registry.test:5000/a:1", false, "")
    expect(pushed._tag === "Pushed" && again._tag === "Pushed" && pushed.digest !== again.digest).toBe(true)
    expect(ModelImages.pullFrom(registries, "registry.test:5000/a:1", false, "")).toMatchObject({
      _tag: "Found",
      image: "image-a"
    })
    expect(ModelImages.pushTo(registries, "image-a", "registry.test:5000/a:1", true, "")._tag).toBe("Refused")
  })

  it("a transfer reports its phases, a blob per layer (not per metadata step) and the config, then Done", () => {
    const id = "a".repeat(64)
    const progress = ModelImages.transfer(
      ["/bin/sh -c #(nop) CMD [\"x\"]", "/bin/sh -c echo", "/bin/sh -c #(nop) ADD file:0 in /"],
      id,
      "local"
    )
    expect(progress.map((p) => (p._tag === "Blob" ? `${p._tag}:${p.kind}` : p._tag))).toEqual([
      "Status",
      "Blob:layer",
      "Blob:layer",
      "Blob:config",
      "Status",
      "Status",
      "Done"
    ])
    expect(progress.at(-1)).toEqual({ _tag: "Done", id: "local" })
  })
})

describe("ModelImages: builds", () => {
  it("counts podman's steps: comments and blank lines out, the options' labels as its own last step", () => {
    expect(ModelImages.steps("# c\nFROM base\n\nRUN true\n", { ...settings({ labels: { a: "b" } }) })).toEqual([
      "FROM base",
      "RUN true",
      "LABEL \"a\"=\"b\""
    ])
  })

  it("reads a COPY's source inside its context: '..' stops at the context's root", () => {
    expect(ModelImages.copySources(["FROM base", "COPY ../../etc/passwd /p", "COPY a/./b /b", "RUN true"])).toEqual([
      "/etc/passwd",
      "/a/b"
    ])
  })

  it("makes an image: labels, history newest first, files, the command; RUN output as Output lines", () => {
    const sources = new Map([["/note.txt", { isDirectory: false, files: [["note.txt", "n\n"]] as const }]])
    const outcome = build(
      "FROM base\nARG WHO=you\nRUN echo \"hi $WHO\" > /hi; echo done\nCOPY note.txt /n/\nLABEL x=y\nCMD echo hi",
      { buildArgs: { WHO: "me" } },
      sources
    )()
    expect(outcome._tag).toBe("Built")
    if (outcome._tag !== "Built") return
    expect(outcome.progress.filter((p) => p._tag === "Output")).toEqual([{ _tag: "Output", line: "done" }])
    expect(Object.fromEntries(outcome.image.files)).toEqual({
      "/etc/motd": "hi\n",
      "/hi": "hi me\n",
      "/n/note.txt": "n\n"
    })
    expect(outcome.image.labels).toEqual({ from: "base", x: "y" })
    expect(outcome.image.command).toEqual(["/bin/sh", "-c", "echo hi"])
    expect(outcome.image.history.slice(0, 2)).toEqual(["/bin/sh -c #(nop) CMD echo hi", "/bin/sh -c #(nop) LABEL x=y"])
    expect(outcome.image.history.at(-1)).toBe(base.history[0])
  })

  it("a failing step is podman's refusal with its exit code; a missing base or COPY source too", () => {
    expect(build("FROM base\nRUN exit 4")()).toMatchObject({
      _tag: "Failed",
      refusal: { reason: "Other", exitCode: 4 }
    })
    expect(build("FROM nothing")()).toMatchObject({ _tag: "Failed", refusal: { reason: "PullFailed" } })
    expect(build("FROM base\nCOPY gone /gone")()).toMatchObject({
      _tag: "Failed",
      refusal: { stderr: expect.stringMatching(/copier: stat: "\/gone": no such file or directory$/) }
    })
  })

  it("what it cannot build it says: another instruction, a stage, a COPY option, a step before FROM, what RUN cannot run", () => {
    expect(build("FROM base\nWORKDIR /x")).toThrow(/the model cannot build "WORKDIR \/x": it builds FROM/)
    expect(build("FROM base", { target: "t" })).toThrow(/the model cannot build a stage \(target "t"\)/)
    expect(build("FROM base AS b")).toThrow(/the model cannot build "FROM base AS b"/)
    expect(build("FROM base\nCOPY --chown=1 a /a")).toThrow(/the model cannot build "COPY --chown=1 a \/a"/)
    expect(build("RUN true\nFROM base")).toThrow(/the model cannot build "RUN true" before a FROM/)
    expect(build("FROM base\nRUN echo a | cat")).toThrow(
      /the model cannot build "RUN echo a \| cat": it cannot run a script with a pipe/
    )
  })
})
