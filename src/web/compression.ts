import { INVALID_ARGUMENT } from '../core/code.js';
import type { Compression, GzipCompressionOptions } from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';
import { pipeBytes } from './byte-stream.js';
import { workerCompression } from './worker-compression.js';

/**
 * gzip via the runtime's CompressionStream (and DecompressionStream for responses), or
 * undefined where there is none (Vercel Edge), so callers can fall back to identity
 * instead of failing every export. The signature is `otlp-grpc-web/node`'s (zlib), whose
 * `level` CompressionStream has no equivalent for.
 */
export function gzipCompression(_options: GzipCompressionOptions = {}): Compression | undefined {
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
 * runtime cannot do it, because sending uncompressed beats not sending. zstd falls back to
 * gzip for a server that refuses zstd (see `Compression.fallback`). In a page, requests
 * are compressed in a Worker (`workerCompression`). Throws
 * OtlpError(InvalidArgument) for a name it does not know.
 */
export function pickCompression(name: 'gzip' | 'zstd' | 'none'): Compression | undefined {
  if (name !== 'none' && name !== 'gzip' && name !== 'zstd') {
    throw new OtlpError(
      `unknown compression ${JSON.stringify(name)}, expected gzip, zstd or none`,
      INVALID_ARGUMENT,
    );
  }
  const chosen = streamCompression(name, name === 'zstd' ? streamCompression('gzip') : undefined);
  // In a page, off the main thread (see workerCompression); workers and servers have no UI to block.
  const page = typeof document === 'object' && typeof Worker === 'function';
  return chosen && page ? workerCompression(chosen) : chosen;
}

/**
 * The encodings this runtime reads responses in (gzip nearly everywhere, zstd in Bun),
 * for transports to advertise and decode with.
 */
export function streamDecoders(): Compression[] {
  return ['gzip', 'zstd'].map((name) => streamCompression(name)).filter((c) => c) as Compression[];
}

/**
 * Both directions through the stream's writer and reader (see `pipeBytes`), which in
 * Chromium complete within microtasks, so the same compression serves page unload
 * (`inTaskCompression`).
 */
function streamCompression(name: string, fallback?: Compression): Compression | undefined {
  const format = name as CompressionFormat;
  try {
    // Unsupported formats ("none" too) throw at construction; so does a missing CompressionStream.
    new CompressionStream(format);
  } catch {
    return undefined;
  }
  const through = (data: Uint8Array, Stream: typeof CompressionStream, maxBytes?: number) =>
    pipeBytes(data, new Stream(format), maxBytes, `${name} response message`);
  return {
    name,
    compress: (data) => through(data, CompressionStream),
    // Runtimes ship DecompressionStream with the same formats as CompressionStream.
    decompress: (data, maxBytes) => through(data, DecompressionStream, maxBytes),
    fallback,
  };
}
