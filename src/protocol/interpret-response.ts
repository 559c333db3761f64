import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { TransportResult } from '../core/transport.js';
import { FLAG_COMPRESSED, FLAG_TRAILER, parseEnvelopes } from './envelope.js';
import type { HeaderGetter } from './header-getter.js';
import { codeFromHttpStatus } from './http-status.js';
import { type GrpcStatus, readStatus } from './status.js';
import { parseTrailerBlock } from './trailer.js';
import { decodeUtf8 } from './utf8.js';

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
 * `trailers` (native gRPC) or the grpc-web trailer frame. Never throws.
 */
export function interpretResponse(response: ResponseParts): TransportResult {
  const { httpStatus, headers, body, web } = response;
  let { trailers } = response;
  const done = (status: GrpcStatus, data?: Uint8Array): TransportResult =>
    status.code === Code.Ok
      ? { ...status, httpStatus, body: data ?? new Uint8Array(0) }
      : { ...status, httpStatus };
  const internal = (message: string) => done({ code: Code.Internal, message });
  // Trailers-Only: a status and no body, e.g. an immediate error.
  const early = readStatus(headers) ?? (httpStatus === 200 ? undefined : statusOf(trailers));
  if (early) return done(early);
  const expected = web ? 'application/grpc-web' : 'application/grpc';
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (httpStatus !== 200 || (type !== expected && type !== `${expected}+proto`)) {
    const text = decodeUtf8(body.subarray(0, 200)).replace(/\s+/g, ' ').trim();
    // ": <text>" when the body reads as text: proxies explain themselves.
    const snippet =
      !text || /[\u0000-\u001f\u007f\ufffd]/.test(text)
        ? ''
        : `: ${text.length > 100 ? `${text.slice(0, 100)}...` : text}`;
    return done(
      httpStatus === 200
        ? {
            code: Code.Unknown,
            message: `HTTP 200 with content-type "${type}", expected ${expected}${snippet}`,
          }
        : {
            code: codeFromHttpStatus(httpStatus),
            message: `HTTP ${httpStatus} without grpc-status (from a proxy?)${snippet}`,
          },
    );
  }
  let data: Uint8Array | undefined;
  try {
    for (const envelope of parseEnvelopes(body)) {
      if (web && envelope.flags & FLAG_TRAILER) {
        trailers = parseTrailerBlock(envelope.data);
      } else if (envelope.flags & FLAG_COMPRESSED) {
        return internal('compressed response but we sent grpc-accept-encoding: identity');
      } else if (data) {
        return internal('more than one message in a unary response');
      } else {
        data = envelope.data;
      }
    }
  } catch (error) {
    return internal(OtlpError.from(error).rawMessage);
  }
  const status = statusOf(trailers);
  return status ? done(status, data) : internal('missing grpc-status');
}

function statusOf(trailers: HeaderGetter | undefined): GrpcStatus | undefined {
  return trailers && readStatus(trailers);
}
