/**
 * Prints, after the run, how many contract tests passed against each layer, and one closing
 * line in the plain `N passed, N failed` form that CI reads.
 */
import type { Reporter, TestModule } from "vitest/node"

type Counts = { passed: number; failed: number; skipped: number }

const empty = (): Counts => ({ passed: 0, failed: 0, skipped: 0 })

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const total = empty()
    const contract = new Map<string, Counts>()
    for (const module of testModules) {
      const layer = /contract\/(\w+)\.test\.ts$/.exec(module.moduleId)?.[1]
      for (const test of module.children.allTests()) {
        const state = test.result().state
        const key = state === "passed" ? "passed" : state === "failed" ? "failed" : "skipped"
        total[key]++
        if (layer !== undefined) {
          const counts = contract.get(layer) ?? empty()
          counts[key]++
          contract.set(layer, counts)
        }
      }
    }
    for (const [layer, counts] of contract) {
      console.log(`contract suite against the ${layer} layer: ${counts.passed} passed, ${counts.failed} failed`)
    }
    const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : ""
    console.log(`\nvitest: ${total.passed} passed, ${total.failed} failed${skipped}`)
  }
}
