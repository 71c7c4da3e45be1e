// The Effect 4 edition's tests: vitest 5 and @effect/vitest 4, on Node ≥ 22.19 (`make test` runs
// them with the Node 22 that scripts/setup.sh installs from the registry when the machine's is older).
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    name: "effect-podman-4",
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "../podman/test/summaryReporter.ts"]
  }
})
