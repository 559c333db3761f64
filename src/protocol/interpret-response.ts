import { INTERNAL, OK, RESOURCE_EXHAUSTED, UNIMPLEMENTED } from '../core/code.js';
import { type Compression, MAX_RESPONSE_BYTES } from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';
import type { TransportResult } from '../core/transport.js';
import { FLAG_COMPRESSED, FLAG_TRAILER } from './envelope.js';
import type { HeaderGetter } from './header-getter.js';
import { codeFromHttpStatus } from './http-status.js';
import { readStatus } from './status.js';
import { parseTrailerBlock } from './trailer.js';
import { decodeUtf8 } from './web-text.js';

/** A finished HTTP response, as {@link interpretResponse} needs it. */
export interface ResponseParts {
  /** The HTTP status code; gRPC servers answer 200, proxies may not. */
  httpStatus: number;
  /** Response headers; they hold the status in a Trailers-Only response. */
  headers: HeaderGetter;
  /** The whole response body. */
  body: Uint8Array;
  /** HTTP trailers (native gRPC only). */
  trailers?: HeaderGetter;
  /** True for gRPC-web: the status comes in a trailer frame at the end of `body`. */
  web: boolean;
}

/**
 * Turns a finished HTTP response into the transport-neutral result, so both transports
 * share one reading of the protocol: Trailers-Only (status in headers), plain HTTP errors
 * from proxies (mapped by HTTP status), content-type check, envelopes (flags byte,
 * big-endian uint32 length, data), and the status from `trailers` (native gRPC) or the
 * grpc-web trailer frame. An UNIMPLEMENTED result carries the server's
 * `grpc-accept-encoding` as `acceptEncoding`, so the caller can resend with an encoding
 * the server has. A compressed OK message is decompressed with the decoder of its
 * `grpc-encoding`, at most `maxBytes` of output: past the limit the call fails,
 * RESOURCE_EXHAUSTED naming it (never retried); when no decoder has the encoding, or the
 * bytes do not decompress, the export is still OK, only its partial_success is unknown,
 * and `responseUnread` says why. Never rejects.
 */
export async function interpretResponse(
  { httpStatus, headers, body, trailers, web }: ResponseParts,
  decoders: readonly Compression[],
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<TransportResult> {
  const expected = `application/grpc${web ? '-web' : ''}`;
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let message: Uint8Array | undefined;
  let encoding: string | undefined;
  let problem = '';
  // Trailers-Only: a status and no body, e.g. an immediate error.
  let status = readStatus(headers) ?? (httpStatus === 200 ? undefined : readStatus(trailers));
  if (!status && (httpStatus !== 200 || (type !== expected && type !== `${expected}+proto`))) {
    // ": <text>" when the body starts as printable text: proxies explain themselves.
    const text = decodeUtf8(body.subarray(0, 100)).replace(/\s+/g, ' ').trim();
    // HTTP 200 maps to UNKNOWN: a 200 that is not gRPC is no answer to the call.
    status = {
      code: codeFromHttpStatus(httpStatus),
      message: `HTTP ${httpStatus} ${httpStatus === 200 ? `with content-type "${type}", expected ${expected}` : 'without grpc-status (from a proxy?)'}${/^[ -~]+$/.test(text) ? `: ${text}` : ''}`,
    };
  }
  if (!status) {
    const view = new DataView(body.buffer, body.byteOffset);
    // A body cut short lost the message or the status on the way: nothing in it counts.
    for (let pos = 0; pos < body.length && !problem; ) {
      const left = body.length - pos;
      const need = left < 5 ? 5 : 5 + view.getUint32(pos + 1);
      const flags = body[pos]!;
      const data = body.subarray(pos + 5, pos + need);
      pos += need;
      if (need > left) problem = `truncated envelope: ${need} bytes needed, ${left} left`;
      else if (web && flags & FLAG_TRAILER) trailers = parseTrailerBlock(data);
      else if (message) problem = 'several messages in a unary response';
      else {
        message = data;
        // The gRPC spec: a compressed message needs a grpc-encoding other than identity.
        if (flags & FLAG_COMPRESSED) {
          encoding = headers.get('grpc-encoding') ?? '';
          if (encoding === '' || encoding === 'identity') {
            problem = `compressed response message with grpc-encoding "${encoding}"`;
          }
        }
      }
    }
    status = (!problem && readStatus(trailers)) || {
      code: INTERNAL,
      message: problem || 'missing grpc-status',
    };
  }
  const result: TransportResult = { ...status, httpStatus };
  const accept = trailers?.get('grpc-accept-encoding') ?? headers.get('grpc-accept-encoding');
  if (status.code === UNIMPLEMENTED && accept) {
    result.acceptEncoding = accept.split(',').map((name) => name.trim());
  }
  if (status.code === OK) {
    result.body = message ?? new Uint8Array(0);
    if (encoding) {
      try {
        const decoder = decoders.find((d) => d.name === encoding && d.decompress);
        if (!decoder) throw new OtlpError('not decodable here');
        result.body = await decoder.decompress!(result.body, maxBytes);
      } catch (error) {
        const { code, rawMessage } = OtlpError.from(error);
        delete result.body;
        if (code === RESOURCE_EXHAUSTED) return { code, message: rawMessage, httpStatus };
        result.responseUnread = `${encoding} response message unread: ${rawMessage}`;
      }
    }
  }
  return result;
}
