import { responseTooLarge } from '../core/compression.js';
import { concatBytes } from '../core/concat-bytes.js';

const ignore = () => {};

/**
 * Reads a byte stream to its end through its reader, joining the chunks; no stream
 * (a response without body) reads as no bytes. Past `maxBytes` it cancels the stream,
 * which cancels what feeds it (the fetch, the decompressor), and rejects with
 * OtlpError(ResourceExhausted) naming `what` and the limit, so an oversized response,
 * or what a decompressor makes of a small one, never sits whole in memory. Reader reads
 * need no task of their own where the data is there (Chromium's CompressionStream),
 * which is what lets compression finish within the task at page unload;
 * `new Response(stream).arrayBuffer()` does not.
 */
export async function readStream(
  stream: ReadableStream<Uint8Array> | null | undefined,
  maxBytes = Infinity,
  what = '',
): Promise<Uint8Array> {
  const reader = stream?.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const read = await reader?.read();
    if (!read || read.done) return concatBytes(parts);
    length += read.value.length;
    if (length > maxBytes) {
      reader!.cancel().catch(ignore);
      throw responseTooLarge(what, maxBytes);
    }
    parts.push(read.value);
  }
}

/**
 * Pushes `data` through a transform (CompressionStream, DecompressionStream) with its
 * writer and reads the result with {@link readStream}, up to `maxBytes`.
 */
export function pipeBytes(
  data: Uint8Array,
  stream: ReadableWritablePair<Uint8Array, BufferSource>,
  maxBytes?: number,
  what?: string,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // A failure surfaces through the reader as well.
  writer
    .write(data as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(ignore);
  return readStream(stream.readable, maxBytes, what);
}
