// The test projects of the workspace run by vitest 3 on the machine's Node (the Effect 3 edition,
// its helpers, the shared logic), plus the examples (each example runs in CI). vitest.config.ts runs
// them as `test.projects` and adds run-wide reporters.
export default [
  "packages/podman/vitest.config.ts",
  "packages/shared/vitest.config.ts",
  "packages/vitest/vitest.config.ts",
  "examples/vitest.config.ts"
]
