import { INTERNAL, OK, UNIMPLEMENTED } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { TransportResult } from '../core/transport.js';
import { FLAG_COMPRESSED, FLAG_TRAILER, parseEnvelopes } from './envelope.js';
import type { HeaderGetter } from './header-getter.js';
import { codeFromHttpStatus } from './http-status.js';
import { type GrpcStatus, readStatus } from './status.js';
import { parseTrailerBlock } from './trailer.js';
import { decodeUtf8 } from './web-text.js';

/** What {@link interpretResponse} reads: the result, and the encoding of a compressed body. */
export interface InterpretedResponse extends TransportResult {
  /** The `grpc-encoding` of `body` when the server compressed the message. */
  encoding?: string;
}

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
 * from proxies (mapped by HTTP status), content-type check, envelopes, and the status from
 * `trailers` (native gRPC) or the grpc-web trailer frame. An UNIMPLEMENTED result carries
 * the server's `grpc-accept-encoding` as `acceptEncoding`, so the caller can resend with
 * an encoding the server has. A compressed message is returned as it came, with its
 * `encoding`, for {@link decompressResponse} (decompression is asynchronous and
 * runtime-specific). Never throws.
 */
export function interpretResponse(response: ResponseParts): InterpretedResponse {
  const { httpStatus, headers, body, web } = response;
  let { trailers } = response;
  let data: Uint8Array | undefined;
  const expected = `application/grpc${web ? '-web' : ''}`;
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // Trailers-Only: a status and no body, e.g. an immediate error.
  let status = readStatus(headers) ?? (httpStatus === 200 ? undefined : statusOf(trailers));
  if (!status && (httpStatus !== 200 || (type !== expected && type !== `${expected}+proto`))) {
    // ": <text>" when the body starts as printable text: proxies explain themselves.
    const text = decodeUtf8(body.subarray(0, 100)).replace(/\s+/g, ' ').trim();
    const snippet = /^[ -~]+$/.test(text) ? `: ${text}` : '';
    // HTTP 200 maps to UNKNOWN: a 200 that is not gRPC is no answer to the call.
    status = {
      code: codeFromHttpStatus(httpStatus),
      message: `HTTP ${httpStatus} ${httpStatus === 200 ? `with content-type "${type}", expected ${expected}` : 'without grpc-status (from a proxy?)'}${snippet}`,
    };
  }
  let encoding: string | undefined;
  if (!status) {
    let problem = '';
    try {
      for (const { flags, data: bytes } of parseEnvelopes(body)) {
        if (web && flags & FLAG_TRAILER) trailers = parseTrailerBlock(bytes);
        else if (data) problem ||= 'several messages in a unary response';
        else {
          data = bytes;
          if (flags & FLAG_COMPRESSED) {
            // The gRPC spec: a compressed message needs a grpc-encoding other than identity.
            encoding = headers.get('grpc-encoding') ?? undefined;
            if (!encoding || encoding === 'identity') {
              problem = `compressed response message with grpc-encoding "${encoding ?? ''}"`;
            }
          }
        }
      }
    } catch (error) {
      problem = OtlpError.from(error).rawMessage;
    }
    status = (!problem && statusOf(trailers)) || {
      code: INTERNAL,
      message: problem || 'missing grpc-status',
    };
  }
  const result: InterpretedResponse = { ...status, httpStatus };
  const accept = trailers?.get('grpc-accept-encoding') ?? headers.get('grpc-accept-encoding');
  if (status.code === UNIMPLEMENTED && accept) {
    result.acceptEncoding = accept.split(',').map((name) => name.trim());
  }
  if (status.code === OK) {
    result.body = data ?? new Uint8Array(0);
    if (encoding) result.encoding = encoding;
  }
  return result;
}

function statusOf(trailers: HeaderGetter | undefined): GrpcStatus | undefined {
  return trailers && readStatus(trailers);
}
