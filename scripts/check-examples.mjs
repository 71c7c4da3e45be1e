// Type-checks every example in the docs (```ts blocks of README.md and docs/*.md) and in the doc
// comments of packages/*/src (```ts blocks inside /** … */), so no published example rots. A fence
// must name its language: an untagged block could be TypeScript that nobody checks.
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname
const out = join(root, "examples/.doc-examples") // examples/ depends on every package
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]
  )

const examples = []
// the Effect 4 edition's examples (the doc comments of effect4 and vitest4, docs/effect4.md, and
// any block elsewhere that imports the Effect 4 packages)
// import effect 4: they are checked where it and both packages resolve, in packages/vitest4
const effect4 = []
const untagged = []
const markdown = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)
]
for (const file of markdown) {
  const text = readFileSync(join(root, file), "utf8")
  for (const match of text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (match[1] === "") untagged.push(`${file}:${text.slice(0, match.index).split("\n").length}`)
    if (match[1] === "ts" || match[1] === "typescript") {
      ;(file === "docs/effect4.md" || /from "effect-podman(-vitest)?-4"/.test(match[2]) ? effect4 : examples).push([
        file,
        match[2]
      ])
    }
  }
}
const broken = []
// every relative link in the docs names a file that exists
for (const file of [...markdown, "CHANGELOG.md", "CONTRIBUTING.md"]) {
  const text = readFileSync(join(root, file), "utf8")
  for (const match of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
    if (/^[a-z]+:/.test(match[1])) continue
    if (!existsSync(join(root, dirname(file), match[1]))) broken.push(`${file} (to ${match[1]})`)
  }
}
if (broken.length > 0) {
  console.error(`doc examples: broken links: ${broken.join(", ")}`)
  process.exit(1)
}
if (untagged.length > 0) {
  console.error(`doc examples: fences without a language (ts, sh, text…): ${untagged.join(", ")}`)
  process.exit(1)
}
const sources = ["podman", "shared", "vitest"].flatMap((name) => walk(join(root, `packages/${name}/src`)))
for (const file of sources.filter((f) => f.endsWith(".ts"))) {
  const text = readFileSync(file, "utf8")
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = comment[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
    for (const match of body.matchAll(/```ts\n([\s\S]*?)```/g)) examples.push([relative(root, file), match[1]])
  }
}

for (
  const file of ["effect4", "vitest4"].flatMap((name) => walk(join(root, `packages/${name}/src`))).filter((f) =>
    f.endsWith(".ts")
  )
) {
  const text = readFileSync(file, "utf8")
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = comment[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
    for (const match of body.matchAll(/```ts\n([\s\S]*?)```/g)) effect4.push([relative(root, file), match[1]])
  }
}
const out4 = join(root, "packages/vitest4/.doc-examples")
rmSync(out4, { recursive: true, force: true })
mkdirSync(out4, { recursive: true })
effect4.forEach(([source, code], i) => {
  writeFileSync(join(out4, `example${i}.ts`), `// from ${source}\n${code}\nexport {}\n`)
})

examples.forEach(([source, code], i) => {
  writeFileSync(join(out, `example${i}.ts`), `// from ${source}\n${code}\nexport {}\n`)
})
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      incremental: false,
      noUnusedLocals: false,
      noUnusedParameters: false,
      declaration: false,
      declarationMap: false
    },
    include: ["*.ts"]
  })
)
writeFileSync(
  join(out4, "tsconfig.json"),
  JSON.stringify({
    extends: "../../../tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      incremental: false,
      noUnusedLocals: false,
      noUnusedParameters: false,
      declaration: false,
      declarationMap: false
    },
    include: ["*.ts"]
  })
)
for (const [dir, label] of [[out, "examples/.doc-examples"], [out4, "packages/vitest4/.doc-examples"]]) {
  try {
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { stdio: "inherit" })
  } catch {
    console.error(`doc examples: type errors above (sources: ${label}/example*.ts, first line names the file)`)
    process.exit(1)
  }
}
console.log(
  `doc examples: ${examples.length} type-checked (Effect 3 edition, shared, helpers, docs), ${effect4.length} (Effect 4 edition)`
)
