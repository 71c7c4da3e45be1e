// The Effect 3 projects' setup (shared/test/crossEdition/effectEquality.ts): Option and Either
// compared by value, so an assertion between Some and None can fail.
import { assert, it } from "@effect/vitest"
import { Either, Option } from "effect"
it("Effect 3 Option and Either compare by value", () => {
  assert.throws(() => assert.deepStrictEqual(Option.some(64), Option.none()))
  assert.throws(() => assert.deepStrictEqual({ a: [Option.none()] }, { a: [Option.some(1)] }))
  assert.throws(() => assert.deepStrictEqual(new Map([["k", Option.some(1)]]), new Map([["k", Option.none()]])))
  assert.throws(() => assert.deepStrictEqual<Either.Either<number, number>>(Either.right(1), Either.left(1)))
  assert.deepStrictEqual({ a: Option.some([1, Option.none()]) }, { a: Option.some([1, Option.none()]) })
  assert.notDeepEqual(Option.some(1), Option.none())
})
