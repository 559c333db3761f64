import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gzipCompression } from '../../src/web/compression.js';
import { inTaskCompression } from '../../src/web/in-task-compression.js';
import { flushMicrotasks } from './core-fakes.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A CompressionStream stand-in whose output passes through `gate` before it is written. */
function stubStream(gate: () => Promise<void>) {
  vi.stubGlobal(
    'CompressionStream',
    class extends TransformStream<Uint8Array, Uint8Array> {
      constructor() {
        super({
          async transform(chunk, controller) {
            await gate();
            controller.enqueue(chunk);
          },
        });
      }
    },
  );
}

describe('inTaskCompression', () => {
  it('is offered once the probe finished before the next task, and then gzips', async () => {
    const real = globalThis.CompressionStream;
    stubStream(async () => {});
    let next: (() => void) | undefined;
    const get = inTaskCompression(gzipCompression(), (fn) => {
      next = fn;
    });
    expect(get()).toBeUndefined();
    await flushMicrotasks();
    next!();
    const gzip = get()!;
    expect(gzip.name).toBe('gzip');
    vi.stubGlobal('CompressionStream', real);
    const data = new TextEncoder().encode('span '.repeat(300));
    expect(new Uint8Array(gunzipSync(await gzip.compress(data)))).toEqual(data);
  });

  it('is never offered where the compression needs a task of its own', async () => {
    let release: (() => void) | undefined;
    stubStream(() => new Promise((resolve) => (release = resolve)));
    let next: (() => void) | undefined;
    const get = inTaskCompression(gzipCompression(), (fn) => {
      next = fn;
    });
    await flushMicrotasks();
    next!();
    release?.();
    await flushMicrotasks();
    expect(get()).toBeUndefined();
  });

  it('is never offered without CompressionStream', () => {
    vi.stubGlobal('CompressionStream', undefined);
    const nextTask = vi.fn();
    expect(inTaskCompression(gzipCompression(), nextTask)()).toBeUndefined();
    expect(nextTask).not.toHaveBeenCalled();
  });
});
