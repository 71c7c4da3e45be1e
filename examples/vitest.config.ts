import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    setupFiles: ["../packages/shared/test/crossEdition/effectEquality.ts"],
    name: "examples",
    include: ["*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
