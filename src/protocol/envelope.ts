/** Envelope flag: the message is compressed with the call's `grpc-encoding`. */
export const FLAG_COMPRESSED = 0x01;
/** Envelope flag: a grpc-web trailer frame, carrying the status instead of a message. */
export const FLAG_TRAILER = 0x80;

/**
 * Frames `data` with the 5-byte gRPC prefix (flags, big-endian uint32 length), because
 * gRPC and gRPC-web carry every message length-prefixed, even a unary request.
 * {@link interpretResponse} reads the envelopes of a response.
 */
export function encodeEnvelope(flags: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  new DataView(out.buffer).setUint32(1, data.length);
  out[0] = flags;
  out.set(data, 5);
  return out;
}
