// Fails when the two editions' public surfaces differ — the modules each package exports, the
// names each module exports, and the members of every type both name (the service, the handles,
// every option bag) — beyond the differences listed below, each with why. `make test` runs it
// (through `pnpm run check`). A listed difference that is gone is an error too: the list stays true.
//
//   node scripts/check-surface.mjs          check
//   node scripts/check-surface.mjs --list   print every difference found, listed or not
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import ts from "typescript"

const root = resolve(import.meta.dirname, "..")
const EDITIONS = { 3: "packages/podman", 4: "packages/effect4" }

/**
 * Differences by design. A key names one difference as the check prints it:
 *   `module X: only in N`, `X.name: only in N`, `X.Type.member: only in N`.
 */
const INTENDED = {
  // Effect 4 keeps the service's types at the top of its module (Effect 4's `Context.Service`
  // class has no namespace merging idiom); Effect 3 keeps them in `namespace ContainerRuntime`.
  "ContainerRuntime.Service: only in 4": "Effect 3 names it ContainerRuntime.ContainerRuntime.Service (compared below)",
  // Effect 3's modules of one concern each, which Effect 4 folds into `Container` (the handles and
  // results) and `ContainerRuntime`: the same types, fewer modules.
  "module Events: only in 3": "its types are in Container (ContainerEvent) and shared/Events",
  "module Exec: only in 3": "its types are in Container (ExecOptions, ExecResult, ExecStdioOptions)",
  "module Logs: only in 3": "its types are in Container (LogEntry, LogsOptions)",
  "module Inspect: only in 3": "its types are in Container (ContainerConfig, ContainerStats, ContainerMount)"
}

/**
 * Differences not yet closed: the check prints them and passes. Each is a port still to do;
 * remove the line when it is done (the check then fails until it is).
 */
const PENDING = {}

/** Type pairs compared member by member, beyond the types both editions name alike. */
const PAIRS = [
  ["ContainerRuntime.ContainerRuntime.Service", "ContainerRuntime.Service"],
  ["PodmanApi.PodmanApiOptions", "PodmanApi.ApiOptions"]
]

const modulesOf = (dir) => {
  const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"))
  return Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json").map((k) => k.slice(2))
}

/** name → { kind, members?: Set } for every module of an edition, types inside namespaces too. */
const surfaceOf = (dir) => {
  const modules = modulesOf(dir)
  const files = modules.map((m) => join(root, dir, "src", `${m}.ts`))
  const config = ts.getParsedCommandLineOfConfigFile(join(root, dir, "tsconfig.src.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  const program = ts.createProgram(files, { ...config.options, noEmit: true, composite: false, incremental: false })
  const checker = program.getTypeChecker()
  const surface = { modules: new Set(modules), names: new Map() }
  const record = (path, symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const entry = { members: undefined }
    if (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const type = checker.getDeclaredTypeOfSymbol(target)
      const props = checker.getPropertiesOfType(checker.getApparentType(type))
      if (props.length > 0 && !(type.flags & ts.TypeFlags.Union)) entry.members = new Set(props.map((p) => p.name))
    }
    surface.names.set(path, entry)
    if (target.flags & ts.SymbolFlags.Namespace || target.flags & ts.SymbolFlags.NamespaceModule) {
      for (const inner of checker.getExportsOfModule(target)) record(`${path}.${inner.name}`, inner)
    }
  }
  for (const [i, file] of files.entries()) {
    const source = program.getSourceFile(file)
    const symbol = source && checker.getSymbolAtLocation(source)
    if (symbol === undefined) throw new Error(`cannot read ${file}`)
    for (const exported of checker.getExportsOfModule(symbol)) record(`${modules[i]}.${exported.name}`, exported)
  }
  return surface
}

const three = surfaceOf(EDITIONS[3])
const four = surfaceOf(EDITIONS[4])
const found = []
const only = (a, b, edition, label) => { for (const x of a) if (!b.has(x)) found.push(`${label(x)}: only in ${edition}`) }

only(three.modules, four.modules, 3, (m) => `module ${m}`)
only(four.modules, three.modules, 4, (m) => `module ${m}`)
const shared = (name) => three.modules.has(name.split(".")[0]) && four.modules.has(name.split(".")[0])
only([...three.names.keys()].filter(shared), four.names, 3, (n) => n)
only([...four.names.keys()].filter(shared), three.names, 4, (n) => n)
const compare = (n3, n4) => {
  const a = three.names.get(n3)?.members
  const b = four.names.get(n4)?.members
  if (a === undefined || b === undefined) return
  only(a, b, 3, (m) => `${n4}.${m}`)
  only(b, a, 4, (m) => `${n4}.${m}`)
}
for (const name of three.names.keys()) if (four.names.has(name)) compare(name, name)
for (const [n3, n4] of PAIRS) compare(n3, n4)

if (process.argv.includes("--list")) {
  for (const line of found) console.log(`${line}${INTENDED[line] ? `   [intended: ${INTENDED[line]}]` : PENDING[line] ? "   [pending]" : ""}`)
}
const unexpected = found.filter((line) => INTENDED[line] === undefined && PENDING[line] === undefined)
const stale = Object.keys({ ...INTENDED, ...PENDING }).filter((line) => !found.includes(line))
for (const line of unexpected) console.error(`surface: ${line} (port it, or list it in scripts/check-surface.mjs with why)`)
for (const line of stale) console.error(`surface: listed, but no longer a difference: ${line} (remove it from the list)`)
const pending = found.filter((line) => PENDING[line] !== undefined).length
console.log(`editions' surfaces: ${found.length - pending} intended difference(s), ${pending} pending, ${unexpected.length + stale.length} problem(s)`)
if (unexpected.length + stale.length > 0) process.exit(1)
