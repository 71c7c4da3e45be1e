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
  // Effect 4 keeps the service's type at the top of its module (its `Context.Service` class has no
  // namespace merged in); Effect 3 keeps it in `namespace ContainerRuntime`. PAIRS compares them.
  "ContainerRuntime.Service: only in 4": "Effect 3's is ContainerRuntime.ContainerRuntime.Service (paired below)",
  "ContainerRuntime.ContainerRuntime.Service: only in 3": "Effect 4's is ContainerRuntime.Service (paired below)",
  // Effect 3's modules of one concern each, which Effect 4 folds into `Container` (the handles and
  // results): the same types, fewer modules.
  "module Events: only in 3": "its types are in Container (ContainerEvent, ContainerEventStatus)",
  "module Exec: only in 3": "its types are in Container (ExecOptions, ExecResult, ExecStdioOptions)",
  "module Logs: only in 3": "its types are in Container (LogEntry, LogsOptions)",
  "module Inspect: only in 3": "its types are in Container (ContainerConfig, ContainerStats, ContainerMount)",
  // The model's options: Effect 4's `make` and `layer` take them; Effect 3's `make` and `layer`
  // were values before they existed (0.1), so the options go to `makeWith` / `layerWith` there.
  "TestRuntime.makeWith: only in 3": "Effect 4's make takes the options",
  "TestRuntime.layerWith: only in 3": "Effect 4's layer takes the options",
  // Effect 4's handles say in their type that they are `Equal` (one container, one image: equal
  // handles, hashed alike); Effect 3's are compared by their name as plain objects.
  ...Object.fromEntries(
    [
      "Container.Container",
      "Container.ManagedContainer",
      "Container.Image",
      "ContainerRuntime.Container",
      "ContainerRuntime.ManagedContainer",
      "ContainerRuntime.Image"
    ]
      .flatMap((type) =>
        ["~effect/Equal", "~effect/Hash"].map((
          member
        ) => [`${type}.${member}: only in 4`, "Effect 4's handles are Equal by type"])
      )
  ),
  // Effect 4's waits are given the managed container itself (its ports, url, exec…) and fail typed
  // (`NotReady`); Effect 3's are given a context of the container and its ports and fail with a string.
  "Wait.WaitContext: only in 3": "Effect 4's await takes the ManagedContainer",
  "Wait.NotReady: only in 4": "Effect 4's waits fail typed",
  // Effect 4 keeps an image handle (`Images.Image`, what `image(ref)`, `pull`, `build` and
  // `tagImage` answer) apart from a listing (`Images.ImageListing`, what `images()` answers);
  // Effect 3's `Image` is both, so its listing fields sit on the handle.
  "Images.Image: only in 4": "the handle, apart from the listing",
  "Images.ImageListing: only in 4": "the listing, apart from the handle",
  ...Object.fromEntries(
    ["Container.Image", "ContainerRuntime.Image"].flatMap((type) =>
      ["repository", "tag", "size", "created"].map((
        member
      ) => [`${type}.${member}: only in 3`, "on Effect 4's Images.ImageListing"])
    )
  ),
  // Effect 4's resource options are one Schema; NetworkOptions, VolumeOptions and PodOptions are
  // views of its input, as Effect 3's are
  "Resource.ResourceOptionsInput: only in 4": "the Schema's input, of which the three kinds' options are views",
  "ContainerSpec.ResourceSpec: only in 3": "the same Schema is Effect 4's Resource.ResourceOptions",
  // Effect 4 names the options of `layerService` (Effect 3 writes them inline)
  "PodmanApi.ServiceOptions: only in 4": "named, where Effect 3 writes the same type inline",
  // Effect 4's spec exports the schema of a container name it checks names with
  "ContainerSpec.Name: only in 4": "a schema of its own"
}

/**
 * Differences not yet closed: the check prints them and passes. Each is a port still to do;
 * remove the line when it is done (the check then fails until it is).
 */
const PENDING = Object.fromEntries([].map((line) => [line, "pending"]))

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
  const config = ts.getParsedCommandLineOfConfigFile(join(root, dir, "tsconfig.src.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {}
  })
  const program = ts.createProgram(files, { ...config.options, noEmit: true, composite: false, incremental: false })
  const checker = program.getTypeChecker()
  const surface = { modules: new Set(modules), names: new Map() }
  const record = (path, symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const entry = { members: undefined }
    if (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const type = checker.getDeclaredTypeOfSymbol(target)
      const props = checker.getPropertiesOfType(checker.getApparentType(type))
      // members of object types only (not a string's methods), without symbols and `prototype`
      if (type.flags & ts.TypeFlags.Object && props.length > 0) {
        entry.members = new Set(
          props.map((p) => p.name).filter((name) => !name.startsWith("__@") && name !== "prototype")
        )
      }
    }
    surface.names.set(path, entry)
    if (target.flags & ts.SymbolFlags.Namespace || target.flags & ts.SymbolFlags.NamespaceModule) {
      for (const inner of checker.getExportsOfModule(target)) {
        if (inner.name !== "prototype") record(`${path}.${inner.name}`, inner)
      }
    }
  }
  for (const [i, file] of files.entries()) {
    const source = program.getSourceFile(file)
    const symbol = source && checker.getSymbolAtLocation(source)
    if (symbol === undefined) throw new Error(`cannot read ${file}`)
    for (const exported of checker.getExportsOfModule(symbol)) {
      if (exported.name !== "prototype") record(`${modules[i]}.${exported.name}`, exported)
    }
  }
  return surface
}

const three = surfaceOf(EDITIONS[3])
const four = surfaceOf(EDITIONS[4])
const found = []
const only = (a, b, edition, label) => {
  for (const x of a) if (!b.has(x)) found.push(`${label(x)}: only in ${edition}`)
}

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
  for (const line of found) {
    console.log(`${line}${INTENDED[line] ? `   [intended: ${INTENDED[line]}]` : PENDING[line] ? "   [pending]" : ""}`)
  }
}
const unexpected = found.filter((line) => INTENDED[line] === undefined && PENDING[line] === undefined)
const stale = Object.keys({ ...INTENDED, ...PENDING }).filter((line) => !found.includes(line))
for (const line of unexpected) {
  console.error(`surface: ${line} (port it, or list it in scripts/check-surface.mjs with why)`)
}
for (const line of stale) {
  console.error(`surface: listed, but no longer a difference: ${line} (remove it from the list)`)
}
const pending = found.filter((line) => PENDING[line] !== undefined).length
const intended = found.filter((line) => INTENDED[line] !== undefined).length
console.log(
  `editions' surfaces: ${intended} intended difference(s), ${pending} pending, ${
    unexpected.length + stale.length
  } problem(s)`
)
if (unexpected.length + stale.length > 0) process.exit(1)
