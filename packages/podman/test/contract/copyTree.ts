/**
 * The contract of `copyIn` with an odd host tree, for the layers that run real podman (the model
 * holds regular files only and says so: see testRuntime.test.ts). Each layer's copy is compared,
 * entry by entry, with the host tree: names, types, modes, link targets and bytes — so the CLI
 * (`podman cp`) and the REST layer (an archive built by this library) must arrive at the same tree.
 */
import { assert, describe } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, uniqueName } from "./fixtures.js"
import { hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

const LONG_NAME = "n".repeat(200)
const DEEP = Array.from({ length: 5 }, (_, i) => String.fromCharCode(97 + i).repeat(60)).join("/")

/** The odd tree: long and deep names, modes, links to a file, a dir and out of the tree, a FIFO, a socket. */
const makeTree = (root: string) =>
  Effect.gen(function*() {
    mkdirSync(join(root, "sub"), { recursive: true })
    mkdirSync(join(root, "empty"))
    mkdirSync(join(root, DEEP, ".."), { recursive: true })
    writeFileSync(join(root, "sub", "private"), "only the owner\n")
    chmodSync(join(root, "sub", "private"), 0o600)
    writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho ran\n")
    chmodSync(join(root, "run.sh"), 0o755)
    writeFileSync(join(root, LONG_NAME), "a long name\n")
    writeFileSync(join(root, DEEP), "deep\n")
    writeFileSync(join(root, "ünï cödé with spaces.txt"), "unicode\n")
    writeFileSync(join(root, "binary.bin"), Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256))
    symlinkSync("sub/private", join(root, "to-file"))
    symlinkSync("sub", join(root, "to-dir"))
    symlinkSync("/etc/shadow", join(root, "escape"))
    execFileSync("mkfifo", [join(root, "fifo")])
    // a listening unix socket: podman cp skips sockets ("copier: skipping socket")
    yield* Effect.acquireRelease(
      Effect.async<ReturnType<typeof createServer>>((resume) => {
        const server = createServer()
        server.listen(join(root, "socket"), () => resume(Effect.succeed(server)))
      }),
      (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
    )
  })

/** `path|type|mode|link target or md5` for every entry under `root` on the host (sockets left out). */
const describeHost = (root: string): Array<string> => {
  const lines: Array<string> = []
  const walk = (relative: string) => {
    const path = relative === "" ? root : join(root, relative)
    const stat = lstatSync(path)
    if (stat.isSocket()) return
    const type = stat.isSymbolicLink()
      ? "symbolic link"
      : stat.isDirectory()
      ? "directory"
      : stat.isFIFO()
      ? "fifo"
      : "regular file"
    const detail = stat.isSymbolicLink()
      ? readlinkSync(path)
      : stat.isFile()
      ? createHash("md5").update(readFileSync(path)).digest("hex")
      : ""
    lines.push(`${relative}|${type}|${(stat.mode & 0o7777).toString(8)}|${type === "symbolic link" ? "777" : ""}${detail}`)
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) {
        walk(relative === "" ? name : `${relative}/${name}`)
      }
    }
  }
  walk("")
  return lines.filter((line) => !line.startsWith("|")).sort()
}

/** The same description of `dest` inside a container, from busybox's find, stat and md5sum. */
const SCRIPT = `cd "$1" && /bin/busybox find . -mindepth 1 | while read -r p; do
  t=$(/bin/busybox stat -c %F "$p"); m=$(/bin/busybox stat -c %a "$p")
  case "$t" in
    "symbolic link") d="777$(/bin/busybox readlink "$p")"; m=$(/bin/busybox stat -c %a "$p") ;;
    "regular file") d=$(/bin/busybox md5sum "$p" | /bin/busybox cut -d" " -f1) ;;
    *) d="" ;;
  esac
  echo "\${p#./}|$t|$m|$d"
done`

export const copyTreeContract = (it: ContractIt) => {
  describe("copyIn of an odd tree", () => {
    it.scoped("arrives as it is on the host: long names, modes, links as links, an empty dir, a FIFO; no socket", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const root = join(yield* hostDir, "tree")
        mkdirSync(root)
        yield* makeTree(root)
        const name = uniqueName("cptree")
        yield* (yield* Fixtures).running(name)
        // a FIFO that was read would block this call forever: the bound turns that into a failure
        yield* runtime.container(name).copyIn(root, "/dst").pipe(Effect.timeout("20 seconds"))
        const listed = yield* runtime.exec(name, ["/bin/busybox", "sh", "-c", SCRIPT, "sh", "/dst"])
        assert.strictEqual(listed.exitCode, 0, listed.stderr)
        const inside = listed.stdout.split("\n").filter((line) => line !== "").sort()
        const expected = describeHost(root)
        assert.deepStrictEqual(inside, expected)
        assert.include(inside, "escape|symbolic link|777|777/etc/shadow")
        assert.include(inside, "sub/private|regular file|600|" + createHash("md5").update("only the owner\n").digest("hex"))
        const ran = yield* runtime.exec(name, ["/dst/run.sh"])
        assert.strictEqual(ran.stdout, "ran\n")
      }))
  })
}
