import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { Compression } from '../core/compression.js';

/** Options of {@link gzipCompression}. */
export interface GzipCompressionOptions {
  /**
   * zlib level, 1 (fastest) to 9 (smallest). OTLP protobuf is repetitive, so low levels
   * already shrink it several times over.
   * @default 6 (zlib's default)
   */
  level?: number;
}

/**
 * gzip through node:zlib, which runs on libuv's thread pool and so keeps compression off
 * the event loop. Every OTLP/gRPC collector accepts `grpc-encoding: gzip`, which makes it
 * the compression to use on Node.
 */
export function gzipCompression(options: GzipCompressionOptions = {}): Compression {
  const gzip = promisify(zlib.gzip);
  const zlibOptions: zlib.ZlibOptions = {};
  if (options.level !== undefined) zlibOptions.level = options.level;
  return {
    name: 'gzip',
    compress: (data) => gzip(data, zlibOptions),
  };
}

type ZstdCompress = (
  data: Uint8Array,
  callback: (error: Error | null, result: Uint8Array) => void,
) => void;

/**
 * zstd through node:zlib where this Node has it (22.15 and later), else undefined so the
 * caller can fall back to gzip or identity. zstd compresses OTLP faster than gzip, but
 * only some collectors accept `grpc-encoding: zstd`.
 */
export function zstdCompression(): Compression | undefined {
  // Looked up at run time: the types know zstd, Node 20 does not.
  const native = (zlib as unknown as { zstdCompress?: ZstdCompress }).zstdCompress;
  if (typeof native !== 'function') return undefined;
  const zstd = promisify(native);
  return {
    name: 'zstd',
    compress: (data) => zstd(data),
  };
}
