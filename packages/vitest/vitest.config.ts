import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    setupFiles: ["../shared/test/crossEdition/effectEquality.ts"],
    name: "effect-podman-vitest",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
