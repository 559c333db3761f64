import { INTERNAL } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/** One gRPC length-prefixed message: flags byte (0x01 compressed, 0x80 grpc-web trailer) and data. */
export interface Envelope {
  flags: number;
  data: Uint8Array;
}

/** Envelope flag: the message is compressed with the call's `grpc-encoding`. */
export const FLAG_COMPRESSED = 0x01;
/** Envelope flag: a grpc-web trailer frame, carrying the status instead of a message. */
export const FLAG_TRAILER = 0x80;

/**
 * Frames `data` with the 5-byte gRPC prefix (flags, big-endian uint32 length), because
 * gRPC and gRPC-web carry every message length-prefixed, even a unary request.
 */
export function encodeEnvelope(flags: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  new DataView(out.buffer).setUint32(1, data.length);
  out[0] = flags;
  out.set(data, 5);
  return out;
}

/**
 * Splits a complete response body into envelopes. Throws OtlpError(Internal) naming the
 * problem when the body is cut short, since a truncated body means the message or the
 * status was lost on the way and nothing in it can be trusted.
 */
export function parseEnvelopes(body: Uint8Array): Envelope[] {
  const envelopes: Envelope[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  for (let pos = 0; pos < body.length; ) {
    const left = body.length - pos;
    const need = left < 5 ? 5 : 5 + view.getUint32(pos + 1);
    if (need > left) {
      throw new OtlpError(`truncated envelope: ${need} bytes needed, ${left} left`, INTERNAL);
    }
    envelopes.push({ flags: body[pos]!, data: body.subarray(pos + 5, pos + need) });
    pos += need;
  }
  return envelopes;
}
