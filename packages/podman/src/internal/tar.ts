/**
 * A minimal ustar writer, for uploading files to the libpod archive endpoint.
 *
 * @internal
 */
import type { HostEntry } from "./hostFiles.js"

const BLOCK = 512
const encoder = new TextEncoder()

const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, "0") + "\0"

/** Splits a long path into ustar's prefix (≤ 155) and name (≤ 100) at a `/`. */
const splitPath = (path: string): { readonly prefix: string; readonly name: string } => {
  if (encoder.encode(path).length <= 100) return { prefix: "", name: path }
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { prefix, name }
  }
  throw new Error(`path too long for a tar header: ${path}`)
}

const header = (entry: HostEntry, mtime: number): Uint8Array => {
  const block = new Uint8Array(BLOCK)
  const put = (offset: number, text: string) => block.set(encoder.encode(text), offset)
  const isDirectory = entry.content === undefined
  const { name, prefix } = splitPath(isDirectory ? `${entry.path}/` : entry.path)
  put(0, name)
  put(100, octal(isDirectory ? 0o755 : 0o644, 8))
  put(108, octal(0, 8))
  put(116, octal(0, 8))
  put(124, octal(entry.content?.length ?? 0, 12))
  put(136, octal(mtime, 12))
  put(148, "        ") // the checksum counts its own field as spaces
  put(156, isDirectory ? "5" : "0")
  put(257, "ustar\0")
  put(263, "00")
  put(345, prefix)
  const sum = block.reduce((acc, byte) => acc + byte, 0)
  put(148, octal(sum, 7) + " ")
  return block
}

/** The tar archive of `entries` (directories before their contents). @internal */
export const write = (entries: ReadonlyArray<HostEntry>): Uint8Array => {
  const mtime = Math.floor(Date.now() / 1000)
  const parts = entries.flatMap((entry) => {
    const content = entry.content ?? new Uint8Array(0)
    const padding = new Uint8Array((BLOCK - (content.length % BLOCK)) % BLOCK)
    return [header(entry, mtime), content, padding]
  })
  parts.push(new Uint8Array(2 * BLOCK))
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
