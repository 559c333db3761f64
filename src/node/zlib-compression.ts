import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import {
  type Compression,
  type GzipCompressionOptions,
  responseTooLarge,
} from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';

export type { GzipCompressionOptions } from '../core/compression.js';

type ZlibCall = (
  data: Uint8Array,
  options: zlib.ZlibOptions,
  callback: (error: Error | null, result: Uint8Array) => void,
) => void;

/**
 * gzip through node:zlib, which runs on libuv's thread pool and so keeps compression off
 * the event loop. Every OTLP/gRPC collector accepts `grpc-encoding: gzip`, which makes it
 * the compression to use on Node. The parameters of the browser entry's; never undefined
 * here, since zlib always has gzip.
 */
export function gzipCompression(options: GzipCompressionOptions = {}): Compression {
  const zlibOptions: zlib.ZlibOptions = {};
  if (options.level !== undefined) zlibOptions.level = options.level;
  return zlibCompression('gzip', zlib.gzip, zlib.gunzip, zlibOptions);
}

/**
 * zstd through node:zlib where this Node has it (22.15 and later), else undefined so the
 * caller can fall back to gzip or identity. zstd compresses OTLP faster than gzip, but
 * only some collectors accept `grpc-encoding: zstd`.
 */
export function zstdCompression(): Compression | undefined {
  // Looked up at run time: the types know zstd, Node 20 does not.
  const { zstdCompress, zstdDecompress } = zlib as unknown as Record<string, ZlibCall | undefined>;
  if (typeof zstdCompress !== 'function' || typeof zstdDecompress !== 'function') return undefined;
  return zlibCompression('zstd', zstdCompress, zstdDecompress, {});
}

/**
 * The encodings this Node reads, for the gRPC transport to advertise in
 * `grpc-accept-encoding` and decode responses with: gzip, and zstd where zlib has it.
 */
export function zlibDecoders(): Compression[] {
  const zstd = zstdCompression();
  return zstd ? [gzipCompression(), zstd] : [gzipCompression()];
}

function zlibCompression(
  name: string,
  compress: ZlibCall,
  decompress: ZlibCall,
  options: zlib.ZlibOptions,
): Compression {
  const pack = promisify(compress);
  const unpack = promisify(decompress);
  return {
    name,
    compress: (data) => pack(data, options),
    async decompress(data, maxBytes) {
      try {
        // zlib stops at maxOutputLength instead of inflating a bomb to the end.
        return await unpack(data, { maxOutputLength: maxBytes });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw responseTooLarge(`${name} response message`, maxBytes);
        }
        throw OtlpError.from(error);
      }
    },
  };
}
