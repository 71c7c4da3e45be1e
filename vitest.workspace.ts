// The test projects of the workspace: one per package. vitest.config.ts runs them as
// `test.projects` (vitest 3.2's successor to workspace files) and adds run-wide reporters.
export default ["packages/*/vitest.config.ts"]
