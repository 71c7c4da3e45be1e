/**
 * The libpod API's multiplexed streams (logs, exec output), as two stateful decoders each
 * edition feeds from its `Stream`: frames out of bytes, and lines out of frames — both linear in
 * the size of what arrives, however it is chunked.
 *
 * @since 0.4.0
 */

/**
 * Which stream a frame or line came on.
 *
 * @example
 * ```ts
 * import type { Frames } from "effect-podman-shared"
 *
 * const channel: Frames.Channel = "stderr"
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export type Channel = "stdout" | "stderr"

/**
 * A frame: its stream and its bytes.
 *
 * @example
 * ```ts
 * import type { Frames } from "effect-podman-shared"
 *
 * const frame: Frames.Frame = { stream: "stdout", bytes: new TextEncoder().encode("hi\n") }
 * ```
 *
 * @since 0.4.0
 * @category models
 */
export interface Frame {
  readonly stream: Channel
  readonly bytes: Uint8Array
}

/**
 * A decoder of frames — [stream, 0, 0, 0, size (u32 BE)] + payload — out of chunks: `push` gives
 * the frames a chunk completes. Chunks are queued, not concatenated, so a frame spread over many
 * chunks costs its size once.
 *
 * @example
 * ```ts
 * import { Frames } from "effect-podman-shared"
 *
 * const decode = Frames.demultiplexer()
 * decode(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 3, 104, 105, 10])) // [{ stream: "stdout", bytes: "hi\n" }]
 * ```
 *
 * @since 0.4.0
 * @category decoders
 */
export const demultiplexer = (): (chunk: Uint8Array) => Array<Frame> => {
  const queue: Array<Uint8Array> = []
  let queued = 0
  const take = (n: number): Uint8Array => {
    queued -= n
    const head = queue[0]!
    if (head.length >= n) {
      if (head.length === n) queue.shift()
      else queue[0] = head.subarray(n)
      return head.subarray(0, n)
    }
    const out = new Uint8Array(n)
    for (let offset = 0; offset < n;) {
      const first = queue[0]!
      const k = Math.min(first.length, n - offset)
      out.set(first.subarray(0, k), offset)
      offset += k
      if (k === first.length) queue.shift()
      else queue[0] = first.subarray(k)
    }
    return out
  }
  let header: Uint8Array | undefined
  return (chunk) => {
    queue.push(chunk)
    queued += chunk.length
    const frames: Array<Frame> = []
    for (;;) {
      if (header === undefined) {
        if (queued < 8) break
        header = take(8)
      }
      const size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4)
      if (queued < size) break
      frames.push({ stream: header[0] === 2 ? "stderr" : "stdout", bytes: size === 0 ? new Uint8Array(0) : take(size) })
      header = undefined
    }
    return frames
  }
}

/**
 * A decoder of lines out of frames, each stream decoded on its own (a frame may end mid-line or
 * mid-character): `push` gives the lines a frame completes, `end` what is left without a newline.
 * A line's pieces are kept until its newline comes, so a long line costs its length once.
 *
 * @example
 * ```ts
 * import { Frames } from "effect-podman-shared"
 *
 * const lines = Frames.lineDecoder()
 * lines.push({ stream: "stdout", bytes: new TextEncoder().encode("a\nb") }) // [{ stream: "stdout", line: "a" }]
 * lines.end() // [{ stream: "stdout", line: "b" }]
 * ```
 *
 * @since 0.4.0
 * @category decoders
 */
export const lineDecoder = () => {
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
  const pending: Record<Channel, Array<string>> = { stdout: [], stderr: [] }
  const strip = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line)
  return {
    push: (frame: Frame): Array<{ readonly stream: Channel; readonly line: string }> => {
      const parts = decoders[frame.stream].decode(frame.bytes, { stream: true }).split("\n")
      const rest = parts.pop()!
      if (parts.length === 0) {
        if (rest !== "") pending[frame.stream].push(rest)
        return []
      }
      parts[0] = pending[frame.stream].join("") + parts[0]
      pending[frame.stream] = rest === "" ? [] : [rest]
      return parts.map((line) => ({ stream: frame.stream, line: strip(line) }))
    },
    end: (): Array<{ readonly stream: Channel; readonly line: string }> =>
      (["stdout", "stderr"] as const)
        .map((stream) => ({ stream, line: pending[stream].join("") }))
        .filter((rest) => rest.line !== "")
  }
}
