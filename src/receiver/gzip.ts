import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Compression } from '@connectrpc/connect/protocol';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * The receiver's gzip, in place of connect-node's. connect-node answers INTERNAL for a
 * gzip stream that is cut short (zlib's Z_BUF_ERROR) or not gzip at all in some ways;
 * both are the client's fault, and gRPC prescribes INVALID_ARGUMENT for bad input, so
 * a client does not mistake its own bug for a server failure. Brotli is not offered:
 * OTLP asks for identity and gzip only.
 */
export const receiverGzip: Compression = {
  name: 'gzip',
  async compress(bytes) {
    return toArrayBufferView(await gzip(bytes));
  },
  async decompress(bytes, readMaxBytes) {
    if (bytes.byteLength === 0) return new Uint8Array(0);
    try {
      return toArrayBufferView(await gunzip(bytes, { maxOutputLength: readMaxBytes }));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ConnectError(
          `message is larger than the limit of ${readMaxBytes} bytes after gzip decompression`,
          Code.ResourceExhausted,
        );
      }
      const reason = e instanceof Error ? e.message : String(e);
      throw new ConnectError(
        `gzip decompression failed: ${reason}`,
        Code.InvalidArgument,
        undefined,
        undefined,
        e,
      );
    }
  },
};

function toArrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}
