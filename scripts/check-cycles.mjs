// Fails when the sources import each other in a cycle — value or type imports alike (`make test`
// runs it). A public façade may import internal code; nothing may lead back to where it started.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const roots = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync("packages").map((p) => join("packages", p, "src"))
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [resolve(path)] : []
  })

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms
const graph = new Map()
for (const file of roots.flatMap(files)) {
  const targets = Array.from(
    readFileSync(file, "utf8").matchAll(IMPORT),
    (m) => resolve(dirname(file), m[1].replace(/\.js$/, ".ts"))
  )
  graph.set(file, targets.filter((target) => target !== file))
}

const cycles = []
const state = new Map() // 1: on the stack, 2: done
const stack = []
const visit = (file) => {
  state.set(file, 1)
  stack.push(file)
  for (const next of graph.get(file) ?? []) {
    if (!graph.has(next)) continue
    if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next])
    else if (state.get(next) !== 2) visit(next)
  }
  stack.pop()
  state.set(file, 2)
}
for (const file of graph.keys()) if (!state.has(file)) visit(file)

if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((f) => relative(process.cwd(), f)).join(" → ")}`)
  process.exit(1)
}
console.log(`import cycles: none among ${graph.size} files`)
