import type { Compression } from './compression.js';

/** A request body as it goes on the wire, with its `grpc-encoding`. */
export interface PackedBody {
  body: Uint8Array;
  /** "identity" when not compressed. */
  encoding: string;
}

/**
 * The compress step: one request's bytes with `compression`, or as they are (identity)
 * without one. The caller decides when not to compress (keepalive requests at page
 * unload, bodies under compressionMinBytes).
 */
export async function compressBody(
  bytes: Uint8Array,
  compression: Compression | undefined,
): Promise<PackedBody> {
  return compression
    ? { body: await compression.compress(bytes), encoding: compression.name }
    : { body: bytes, encoding: 'identity' };
}
