import type { Compression } from '../core/compression.js';
import { concatBytes } from '../core/concat-bytes.js';

/**
 * Compresses through the stream's writer and reader only: in Chromium that completes in
 * microtasks, with no task in between (reading it through `new Response(...)` does not).
 */
async function compressInTask(format: CompressionFormat, data: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream(format);
  const writer = stream.writable.getWriter();
  // A failure surfaces through the reader as well.
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const parts: { bytes: Uint8Array }[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(parts);
    parts.push({ bytes: value });
  }
}

/**
 * A compression for page unload, available only once a probe has shown that it finishes
 * within the current task: a page being unloaded runs its microtasks but no further task,
 * so a keepalive request waiting for a compression that needs one would never leave.
 * The probe compresses a few bytes now and looks at the result from the next task. The
 * answer is undefined until then, and for good where the probe fails (no
 * CompressionStream, or one that needs tasks): keepalive requests then go uncompressed.
 */
export function inTaskCompression(
  format: CompressionFormat = 'gzip',
  nextTask: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
): () => Compression | undefined {
  let ready: Compression | undefined;
  if (typeof CompressionStream !== 'function') return () => ready;
  const compression: Compression = {
    name: format,
    compress: (data) => compressInTask(format, data),
  };
  let done = false;
  compression.compress(new Uint8Array(64)).then(
    () => {
      done = true;
    },
    () => {},
  );
  nextTask(() => {
    if (done) ready = compression;
  });
  return () => ready;
}
