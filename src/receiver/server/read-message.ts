import { Code, ConnectError } from '@connectrpc/connect';
import { type Compression, compressedFlag } from '@connectrpc/connect/protocol';
import type { RequestFormat } from './request-format.js';

/**
 * The request message of a unary call from its whole body: the one envelope of gRPC and
 * gRPC-web, or the bare Connect body, decompressed. Throws a ConnectError with the code
 * gRPC prescribes: RESOURCE_EXHAUSTED past the size limit, INVALID_ARGUMENT for anything
 * malformed, with a message saying what was wrong.
 */
export async function unwrapMessage(
  body: Uint8Array,
  format: RequestFormat,
  compression: Compression | null,
  maxMessageBytes: number,
): Promise<Uint8Array> {
  if (!format.enveloped) {
    return compression === null ? body : compression.decompress(body, maxMessageBytes);
  }
  if (body.byteLength === 0) {
    throw new ConnectError('request body holds no message', Code.InvalidArgument);
  }
  if (body.byteLength < 5) {
    throw new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
  }
  const flags = body[0]!;
  const length = new DataView(body.buffer, body.byteOffset, 5).getUint32(1);
  if (body.byteLength < 5 + length) {
    throw new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
  }
  if (body.byteLength > 5 + length) {
    const rest = body.byteLength - 5 - length;
    throw new ConnectError(
      rest < 5
        ? 'protocol error: incomplete envelope'
        : 'unary call received more than one request message',
      Code.InvalidArgument,
    );
  }
  if ((flags & ~compressedFlag) !== 0) {
    throw new ConnectError(
      `invalid message flags 0x${flags.toString(16).padStart(2, '0')}: only 0x00 and 0x01 are defined for requests`,
      Code.InvalidArgument,
    );
  }
  const data = body.subarray(5);
  if ((flags & compressedFlag) === 0) return data;
  if (compression === null) {
    throw new ConnectError(
      `message has the compressed flag set, but the request has no ${format.encodingHeader} header`,
      Code.InvalidArgument,
    );
  }
  return compression.decompress(data, maxMessageBytes);
}
