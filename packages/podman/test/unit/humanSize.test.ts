import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import fc from "fast-check"
import { parseHumanSize } from "../../src/HumanSize.js"

const units: ReadonlyArray<readonly [string, number]> = [
  ["B", 1],
  ["kB", 1e3],
  ["MB", 1e6],
  ["GB", 1e9],
  ["TB", 1e12],
  ["KiB", 1024],
  ["MiB", 1024 ** 2],
  ["GiB", 1024 ** 3]
]

describe("parseHumanSize", () => {
  it("parses what podman prints", () => {
    assert.deepStrictEqual(parseHumanSize("12.5MB (virtual 1.23GB)"), Option.some(12_500_000))
    assert.deepStrictEqual(parseHumanSize("0B"), Option.some(0))
    assert.deepStrictEqual(parseHumanSize("2KiB"), Option.some(2048))
    assert.deepStrictEqual(parseHumanSize("1.5 kB"), Option.some(1500))
    assert.deepStrictEqual(parseHumanSize("42"), Option.some(42))
  })

  it("garbage is none", () => {
    for (const text of ["", "lots", "MB", "12XB", "-1MB", "1..2MB", "NaN", "12 MB extra"]) {
      assert.isTrue(Option.isNone(parseHumanSize(text)), text)
    }
  })

  it.prop(
    "round-trips every unit",
    [fc.integer({ min: 0, max: 99_999 }), fc.constantFrom(...units)],
    ([n, [unit, factor]]) => {
      const value = n / 100
      assert.deepStrictEqual(parseHumanSize(`${value}${unit}`), Option.some(Math.round(value * factor)))
      assert.deepStrictEqual(parseHumanSize(`${value}${unit} (virtual 9GB)`), Option.some(Math.round(value * factor)))
    }
  )

  it.prop("random text never throws", [fc.string()], ([text]) => {
    const parsed = parseHumanSize(text)
    assert.isTrue(Option.isNone(parsed) || Number.isInteger(parsed.value))
  })
})
