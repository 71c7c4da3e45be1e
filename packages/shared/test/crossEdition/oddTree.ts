/**
 * An odd host tree for `copyIn` on real podman, with no Effect (both editions' tests use it): long
 * and deep names, modes, links to a file, a dir and out of the tree, an empty dir, a FIFO and a
 * listening socket (which `podman cp` skips) — and the description of a tree, entry by entry, on
 * the host and inside a container, so a copy can be compared with its source.
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync
} from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"

const LONG_NAME = "n".repeat(200)
const DEEP = Array.from({ length: 5 }, (_, i) => String.fromCharCode(97 + i).repeat(60)).join("/")

/** Makes the odd tree at `root`; resolves to what closes its socket's server. */
export const makeOddTree = async (root: string): Promise<() => Promise<void>> => {
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
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(join(root, "socket"), resolve))
  return () => new Promise<void>((resolve) => void server.close(() => resolve()))
}

/** `path|type|mode|link target or md5` for every entry under `root` on the host (sockets left out). */
export const describeHost = (root: string): Array<string> => {
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
    const detail = stat.isSymbolicLink() ? readlinkSync(path) : stat.isFile() ? md5(readFileSync(path)) : ""
    lines.push(
      `${relative}|${type}|${(stat.mode & 0o7777).toString(8)}|${type === "symbolic link" ? "777" : ""}${detail}`
    )
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) {
        walk(relative === "" ? name : `${relative}/${name}`)
      }
    }
  }
  walk("")
  return lines.filter((line) => !line.startsWith("|")).sort()
}

/** The md5 of some bytes (as busybox's md5sum prints it). */
export const md5 = (bytes: Uint8Array | string): string => createHash("md5").update(bytes).digest("hex")

/** The same description of a folder (`$1`) inside a container, from busybox's find, stat and md5sum. */
export const DESCRIBE_SCRIPT = `cd "$1" && /bin/busybox find . -mindepth 1 | while read -r p; do
  t=$(/bin/busybox stat -c %F "$p"); m=$(/bin/busybox stat -c %a "$p")
  case "$t" in
    "symbolic link") d="777$(/bin/busybox readlink "$p")"; m=$(/bin/busybox stat -c %a "$p") ;;
    "regular file") d=$(/bin/busybox md5sum "$p" | /bin/busybox cut -d" " -f1) ;;
    *) d="" ;;
  esac
  echo "\${p#./}|$t|$m|$d"
done`
