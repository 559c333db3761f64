import { RESOURCE_EXHAUSTED } from './code.js';
import { OtlpError } from './otlp-error.js';

/**
 * Options of `gzipCompression`, the same at `otlp-grpc-web` and `otlp-grpc-web/node`, so
 * code moves between the entries unchanged.
 */
export interface GzipCompressionOptions {
  /**
   * Compression level, 1 (fastest) to 9 (smallest), where the compressor has levels (zlib
   * in Node). CompressionStream has none: the browser entry compresses at its fixed level.
   * OTLP protobuf is repetitive, so low levels already shrink it several times over.
   * @default 6 (zlib's default)
   */
  level?: number;
}

/**
 * A message compression, by its gRPC name. Compression is an interface, not a switch,
 * because what is available depends on the runtime: CompressionStream on fetch
 * runtimes, zlib on Node, zstd only in some. Implementations live at the edges.
 */
export interface Compression {
  /** The `grpc-encoding` name: "gzip", "zstd"... ("identity" is never compressed). */
  readonly name: string;
  /** Compresses one whole message. */
  compress(data: Uint8Array): Promise<Uint8Array>;
  /**
   * Decompresses one whole message, rejecting with OtlpError(ResourceExhausted) naming
   * the limit once the output would pass `maxBytes`, so a small bomb cannot fill memory.
   * Servers built on grpc-go (the OpenTelemetry Collector) answer in the request's
   * encoding whatever the client advertises, so a client must read what it sends.
   * Absent: responses in this encoding cannot be read, and transports do not advertise it.
   * @default undefined
   */
  decompress?(data: Uint8Array, maxBytes: number): Promise<Uint8Array>;
  /**
   * What to use instead when a server refuses this encoding (zstd -> gzip), if it
   * accepts that one; without an accepted fallback requests go uncompressed.
   * @default undefined
   */
  readonly fallback?: Compression | undefined;
}

/** The response limit: OTLP clients MUST cap what they read of a response; 4 MiB, compressed or not. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The error for a response past `maxBytes`: RESOURCE_EXHAUSTED without RetryInfo, which
 * the retry policy never retries (the same answer would come again), naming the limit.
 */
export function responseTooLarge(what: string, maxBytes: number): OtlpError {
  return new OtlpError(
    `${what} exceeds the response limit of ${maxBytes} bytes`,
    RESOURCE_EXHAUSTED,
  );
}
