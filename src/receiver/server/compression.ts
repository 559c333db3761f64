import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Compression } from '@connectrpc/connect/protocol';

type Codec = (bytes: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

/**
 * A compression the receiver reads requests in and, like grpc-go, answers in. connect-node
 * answers INTERNAL for a gzip stream that is cut short (zlib's Z_BUF_ERROR) or not gzip at
 * all in some ways; both are the client's fault, and gRPC prescribes INVALID_ARGUMENT for
 * bad input, so a client does not mistake its own bug for a server failure.
 */
function zlibCompression(name: string, compress: Codec, decompress: Codec): Compression {
  return {
    name,
    async compress(bytes) {
      return toArrayBufferView(await compress(bytes, {}));
    },
    async decompress(bytes, readMaxBytes) {
      if (bytes.byteLength === 0) return new Uint8Array(0);
      try {
        return toArrayBufferView(await decompress(bytes, { maxOutputLength: readMaxBytes }));
      } catch (e) {
        if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ConnectError(
            `message is larger than the limit of ${readMaxBytes} bytes after ${name} decompression`,
            Code.ResourceExhausted,
          );
        }
        const reason = e instanceof Error ? e.message : String(e);
        throw new ConnectError(
          `${name} decompression failed: ${reason}`,
          Code.InvalidArgument,
          undefined,
          undefined,
          e,
        );
      }
    },
  };
}

/** gzip, which every OTLP exporter may send. */
export const receiverGzip = zlibCompression('gzip', promisify(zlib.gzip), promisify(zlib.gunzip));

// zstd joined node:zlib in Node 22.15 / 23.8; on older Nodes it is not offered.
const z = zlib as unknown as { zstdCompress?: unknown; zstdDecompress?: unknown };
const zstd =
  typeof z.zstdCompress === 'function' && typeof z.zstdDecompress === 'function'
    ? zlibCompression(
        'zstd',
        promisify(z.zstdCompress as typeof zlib.gzip) as Codec,
        promisify(z.zstdDecompress as typeof zlib.gunzip) as Codec,
      )
    : undefined;

/**
 * The request compressions accepted, in order of preference: gzip, and zstd where Node's
 * zlib has it. Brotli is not offered: OTLP names gzip (and now zstd) only.
 */
export const RECEIVER_COMPRESSIONS: readonly Compression[] =
  zstd === undefined ? [receiverGzip] : [receiverGzip, zstd];

function toArrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}
