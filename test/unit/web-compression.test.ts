import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import { OtlpError } from '../../src/core/otlp-error.js';
import { gzipCompression, pickCompression, zstdCompression } from '../../src/web/index.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('web compressions', () => {
  it('gzips with CompressionStream so that zlib can read it back', async () => {
    const gzip = gzipCompression();
    expect(gzip?.name).toBe('gzip');
    const data = new TextEncoder().encode('span '.repeat(1000));
    const compressed = await gzip!.compress(data);
    expect(compressed).toBeInstanceOf(Uint8Array);
    expect(compressed.length).toBeLessThan(data.length / 10);
    expect(new Uint8Array(gunzipSync(compressed))).toEqual(data);
    expect(new Uint8Array(gunzipSync(await gzip!.compress(new Uint8Array(0))))).toEqual(
      new Uint8Array(0),
    );
  });

  it('returns undefined where the runtime has no CompressionStream', () => {
    vi.stubGlobal('CompressionStream', undefined);
    expect(gzipCompression()).toBeUndefined();
    expect(pickCompression('gzip')).toBeUndefined();
  });

  it('returns undefined for a format the runtime rejects', () => {
    const Real = globalThis.CompressionStream;
    vi.stubGlobal(
      'CompressionStream',
      class extends Real {
        constructor(format: CompressionFormat) {
          if ((format as string) === 'zstd') throw new TypeError('unsupported format');
          super(format);
        }
      },
    );
    expect(zstdCompression()).toBeUndefined();
    expect(pickCompression('zstd')).toBeUndefined();
    expect(pickCompression('gzip')?.name).toBe('gzip');
  });

  it('picks identity for "none" and rejects unknown names', () => {
    expect(pickCompression('none')).toBeUndefined();
    let error: unknown;
    try {
      pickCompression('brotli' as 'none');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OtlpError);
    expect((error as OtlpError).code).toBe(Code.InvalidArgument);
    expect((error as OtlpError).rawMessage).toMatch(/unknown compression "brotli"/);
  });
});
