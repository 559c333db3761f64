import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipCompression, zstdCompression } from '../../src/node/index.js';

describe('zlib compressions', () => {
  it('gzips so that gunzip reads the same bytes back, at any level', async () => {
    const data = new TextEncoder().encode('span '.repeat(1000));
    for (const gzip of [gzipCompression(), gzipCompression({ level: 1 })]) {
      expect(gzip.name).toBe('gzip');
      const compressed = await gzip.compress(data);
      expect(compressed).toBeInstanceOf(Uint8Array);
      expect(compressed.length).toBeLessThan(data.length / 10);
      expect(new Uint8Array(zlib.gunzipSync(compressed))).toEqual(data);
    }
    const empty = await gzipCompression().compress(new Uint8Array(0));
    expect(zlib.gunzipSync(empty).length).toBe(0);
  });

  it('offers zstd exactly when this Node has zlib.zstdCompress', async () => {
    const native = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Buffer })
      .zstdDecompressSync;
    const zstd = zstdCompression();
    if (typeof native !== 'function') {
      expect(zstd).toBeUndefined();
      return;
    }
    expect(zstd?.name).toBe('zstd');
    const data = new TextEncoder().encode('log '.repeat(500));
    expect(new Uint8Array(native(await zstd!.compress(data)))).toEqual(data);
  });
});
