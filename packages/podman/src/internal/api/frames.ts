/**
 * The libpod API's multiplexed streams (logs, exec output) as Effect 3 `Stream`s, over the
 * decoders of `effect-podman-shared/Frames`.
 *
 * @internal
 */
import { Stream } from "effect"
import * as Frames from "effect-podman-shared/Frames"

/** @internal */
export type Channel = Frames.Channel

/** The frames of a multiplexed body. @internal */
export const demultiplex = <E, R>(body: Stream.Stream<Uint8Array, E, R>): Stream.Stream<Frames.Frame, E, R> =>
  Stream.suspend(() => Stream.mapConcat(body, Frames.demultiplexer()))

/** Text of frames as lines, each stream decoded on its own. @internal */
export const frameLines = <E, R>(
  frames: Stream.Stream<Frames.Frame, E, R>
): Stream.Stream<{ readonly stream: Channel; readonly line: string }, E, R> =>
  Stream.suspend(() => {
    const lines = Frames.lineDecoder()
    return Stream.concat(Stream.mapConcat(frames, lines.push), Stream.suspend(() => Stream.fromIterable(lines.end())))
  })
