import { Code } from '../core/code.js';
import type { Compression } from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * gzip via the runtime's CompressionStream, or undefined where there is none (Vercel
 * Edge), so callers can fall back to identity instead of failing every export.
 */
export function gzipCompression(): Compression | undefined {
  return streamCompression('gzip');
}

/**
 * zstd via CompressionStream, or undefined where the runtime lacks it (all but Bun today).
 * zstd compresses OTLP better and faster than gzip, but only some collectors accept it.
 */
export function zstdCompression(): Compression | undefined {
  return streamCompression('zstd');
}

/**
 * The compression for a configured name, falling back to undefined (identity) when the
 * runtime cannot do it, because sending uncompressed beats not sending. Throws
 * OtlpError(InvalidArgument) for a name it does not know.
 */
export function pickCompression(name: 'gzip' | 'zstd' | 'none'): Compression | undefined {
  if (name === 'gzip' || name === 'zstd') return streamCompression(name);
  if (name !== 'none') {
    throw new OtlpError(
      `unknown compression ${JSON.stringify(name)}; expected "gzip", "zstd" or "none"`,
      Code.InvalidArgument,
    );
  }
}

function streamCompression(name: string): Compression | undefined {
  const Stream = globalThis.CompressionStream;
  const format = name as CompressionFormat;
  try {
    // Unsupported formats throw at construction; so does a missing CompressionStream.
    new Stream(format);
  } catch {
    return undefined;
  }
  return {
    name,
    compress: async (data) =>
      new Uint8Array(
        await new Response(
          new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new Stream(format)),
        ).arrayBuffer(),
      ),
  };
}
