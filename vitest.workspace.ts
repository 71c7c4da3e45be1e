// The test projects of the workspace: one per package, plus the examples (each example runs in
// CI). vitest.config.ts runs them as `test.projects` and adds run-wide reporters.
export default ["packages/*/vitest.config.ts", "examples/vitest.config.ts"]
