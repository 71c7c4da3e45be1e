/**
 * The libpod API's multiplexed streams (logs, exec output): frames split out of the bytes, and
 * their text as lines — both linear in the size of what arrives, however it is chunked.
 *
 * @internal
 */
import { Stream } from "effect"

/** @internal */
export type Channel = "stdout" | "stderr"

/**
 * The libpod multiplexed stream: frames of [stream, 0, 0, 0, size (u32 BE)] + payload. Chunks
 * are queued, not concatenated, so a frame spread over many chunks costs its size once.
 *
 * @internal
 */
export const demultiplex = <E, R>(
  body: Stream.Stream<Uint8Array, E, R>
): Stream.Stream<{ readonly stream: Channel; readonly bytes: Uint8Array }, E, R> =>
  Stream.suspend(() => {
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
    return Stream.mapConcat(body, (chunk) => {
      queue.push(chunk)
      queued += chunk.length
      const frames: Array<{ readonly stream: Channel; readonly bytes: Uint8Array }> = []
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
    })
  })

/**
 * Text of frames as lines, each stream decoded on its own (a frame may end mid-line or
 * mid-character). A line's pieces are kept until its newline comes, so a long line costs its
 * length once, not once per frame.
 *
 * @internal
 */
export const frameLines = <E, R>(
  frames: Stream.Stream<{ readonly stream: Channel; readonly bytes: Uint8Array }, E, R>
): Stream.Stream<{ readonly stream: Channel; readonly line: string }, E, R> =>
  Stream.suspend(() => {
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
    const pending: Record<Channel, Array<string>> = { stdout: [], stderr: [] }
    const strip = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line)
    return frames.pipe(
      Stream.mapConcat((frame) => {
        const parts = decoders[frame.stream].decode(frame.bytes, { stream: true }).split("\n")
        const rest = parts.pop()!
        if (parts.length === 0) {
          if (rest !== "") pending[frame.stream].push(rest)
          return []
        }
        parts[0] = pending[frame.stream].join("") + parts[0]
        pending[frame.stream] = rest === "" ? [] : [rest]
        return parts.map((line) => ({ stream: frame.stream, line: strip(line) }))
      }),
      Stream.concat(Stream.suspend(() =>
        Stream.fromIterable(
          (["stdout", "stderr"] as const)
            .map((stream) => ({ stream, line: pending[stream].join("") }))
            .filter((rest) => rest.line !== "")
        )
      ))
    )
  })
