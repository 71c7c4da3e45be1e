// The Effect 4 helpers' tests: vitest 5 on Node ≥ 22.19 (scripts/test-effect4.sh runs them).
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    name: "effect-podman-vitest-4",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "../podman/test/summaryReporter.ts"]
  }
})
