import type { Compression } from '../core/compression.js';

/**
 * `compression` for page unload, offered only once a probe has shown that it finishes
 * within the current task: a page being unloaded runs its microtasks but no further task,
 * so a keepalive request waiting for a compression that needs one would never leave.
 * The stream compressions read through the stream's reader, which in Chromium completes
 * in microtasks; the probe compresses a few bytes now and looks from the next task
 * whether that finished. The answer is undefined until then, and for good where the
 * probe fails (no compression, or one that needs tasks): keepalive requests then go
 * uncompressed.
 */
export function inTaskCompression(
  compression: Compression | undefined,
  nextTask: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
): () => Compression | undefined {
  let done = false;
  let ready: Compression | undefined;
  if (compression) {
    compression.compress(new Uint8Array(64)).then(
      () => {
        done = true;
      },
      () => {},
    );
    nextTask(() => {
      if (done) ready = compression;
    });
  }
  return () => ready;
}
