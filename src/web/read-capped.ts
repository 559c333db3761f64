import { responseTooLarge } from '../core/compression.js';

/**
 * Reads a byte stream to its end, erroring it (which cancels what feeds it) and rejecting
 * with OtlpError(ResourceExhausted) as soon as more than `maxBytes` arrived, so an oversized
 * response body, or what a decompressor makes of a small one, never sits whole in memory.
 * `what` names the bytes in that error ("response body", "gzip response message").
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  let length = 0;
  const counted = stream?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        length += chunk.length;
        if (length > maxBytes) throw responseTooLarge(what, maxBytes);
        controller.enqueue(chunk);
      },
    }),
  );
  return new Uint8Array(await new Response(counted).arrayBuffer());
}
