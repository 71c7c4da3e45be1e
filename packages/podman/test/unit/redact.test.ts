import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import * as Redact from "../../src/Redact.js"

const sensitiveKey = fc.tuple(
  fc.stringMatching(/^[A-Z_]{0,6}$/),
  fc.constantFrom("KEY", "TOKEN", "SECRET", "API", "PASSWORD", "PRIVATE", "api", "Token"),
  fc.stringMatching(/^[A-Z_]{0,6}$/)
).map(([a, b, c]) => `${a}${b}${c}`)
const plainKey = fc.stringMatching(/^[A-Z][A-Z_]{0,10}$/).filter((key) => !Redact.isSensitiveKey(key))
const secret = fc.stringMatching(/^[a-zA-Z0-9]{8,20}$/).map((value) => `v${value}`)
const envForm = fc.constantFrom<(kv: string) => Array<string>>(
  (kv) => ["-e", kv],
  (kv) => ["--env", kv],
  (kv) => [`--env=${kv}`],
  (kv) => [`-e${kv}`],
  (kv) => [`-e=${kv}`],
  (kv) => ["-ite", kv],
  (kv) => [`-ie${kv}`],
  (kv) => ["--build-arg", kv],
  (kv) => [`--build-arg=${kv}`]
)

describe("redactEnvArgs", () => {
  it("redacts a build's sensitive arguments as an environment's, in messages, spans and logs alike", () => {
    assert.deepStrictEqual(
      Redact.redactEnvArgs([
        "build",
        "--build-arg",
        "API_TOKEN=s3cr3t",
        "--build-arg=NPM_TOKEN=t0k",
        "--build-arg",
        "VERSION=1",
        "/ctx"
      ]),
      [
        "build",
        "--build-arg",
        "API_TOKEN=<redacted>",
        "--build-arg=NPM_TOKEN=<redacted>",
        "--build-arg",
        "VERSION=1",
        "/ctx"
      ]
    )
    assert.deepStrictEqual(
      Redact.secretValues(["build", "--build-arg", "API_TOKEN=s3cr3t", "--build-arg=NPM_TOKEN=t0k"]),
      ["s3cr3t", "t0k"]
    )
  })

  it("redacts every spelling of a sensitive assignment", () => {
    assert.deepStrictEqual(
      Redact.redactEnvArgs([
        "run",
        "-e",
        "API_TOKEN=s3cr3t",
        "--env",
        "DB_PASSWORD=x",
        "--env=PRIVATE_KEY=y",
        "-eGITHUB_TOKEN=z",
        "-e=API_KEY=w",
        "-ite",
        "SECRET=v",
        "-e",
        "CODE_REPO=https://user:pw@host/repo",
        "-e",
        "HOME=/root",
        "img"
      ]),
      [
        "run",
        "-e",
        "API_TOKEN=<redacted>",
        "--env",
        "DB_PASSWORD=<redacted>",
        "--env=PRIVATE_KEY=<redacted>",
        "-eGITHUB_TOKEN=<redacted>",
        "-e=API_KEY=<redacted>",
        "-ite",
        "SECRET=<redacted>",
        "-e",
        "CODE_REPO=<redacted>",
        "-e",
        "HOME=/root",
        "img"
      ]
    )
  })

  it("leaves a value-less -e KEY and non-env arguments alone", () => {
    assert.deepStrictEqual(Redact.redactEnvArgs(["-e", "API_TOKEN", "--entrypoint", "x"]), [
      "-e",
      "API_TOKEN",
      "--entrypoint",
      "x"
    ])
  })

  it.prop("no sensitive value survives, in any form", [
    fc.array(fc.tuple(sensitiveKey, secret, envForm), { minLength: 1, maxLength: 5 }),
    fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 4 })
  ], ([secrets, plain]) => {
    const argv = ["run", ...plain, ...secrets.flatMap(([key, value, form]) => form(`${key}=${value}`)), "image"]
    const redacted = Redact.redactEnvArgs(argv).join(" ")
    for (const [, value] of secrets) assert.notInclude(redacted, value)
    assert.strictEqual(Redact.redactText(`failed: ${argv.join(" ")}`, argv).includes("<redacted>"), true)
    for (const [, value] of secrets) assert.notInclude(Redact.redactText(argv.join(" "), argv), value)
  })

  it.prop("non-sensitive argv is returned unchanged", [
    fc.array(
      fc.oneof(
        fc.stringMatching(/^[a-z/:.-]{0,12}$/),
        fc.tuple(plainKey, fc.string(), envForm).map(([key, value, form]) => form(`${key}=${value}`).join("\u0001"))
      ),
      { maxLength: 10 }
    )
  ], ([parts]) => {
    const argv = parts.flatMap((part) => part.split("\u0001"))
    assert.deepStrictEqual(Redact.redactEnvArgs(argv), argv)
  })
})
