// CONTRACT STUB, replaced by the real implementation (one small file per concern:
// envelope.ts, trailer.ts, status.ts, http-status.ts, timeout.ts, status-details.ts,
// partial-success.ts, request-headers.ts, interpret-response.ts). The exported names and
// signatures below are the contract the web and node transports are written against.
import type { Code } from '../core/code.js';
import type { TransportRequest, TransportResult } from '../core/transport.js';

/** Anything with a case-insensitive `get`: web `Headers`, or an adapter over Node's header object. */
export interface HeaderGetter {
  get(name: string): string | null | undefined;
}

/** One gRPC length-prefixed message: flags byte (0x01 compressed, 0x80 grpc-web trailer) and data. */
export interface Envelope {
  flags: number;
  data: Uint8Array;
}

/** Frames `data` with the 5-byte gRPC prefix (flags, big-endian uint32 length). */
export declare function encodeEnvelope(flags: number, data: Uint8Array): Uint8Array;
/** Splits a complete body into envelopes; throws OtlpError(Internal) naming the problem if truncated. */
export declare function parseEnvelopes(body: Uint8Array): Envelope[];
/** Parses a grpc-web trailer frame's "name: value\r\n" block; names lowercased. */
export declare function parseTrailerBlock(data: Uint8Array): Map<string, string>;
/** grpc-status / grpc-message / grpc-status-details-bin from headers or trailers; undefined when absent. */
export declare function readStatus(
  source: HeaderGetter,
): { code: Code; message: string; retryDelayMs?: number } | undefined;
/** The gRPC code for an HTTP status without grpc-status (gRPC's http-grpc-status-mapping). */
export declare function codeFromHttpStatus(status: number): Code;
/** `grpc-timeout` header value for a deadline in milliseconds (at most 8 digits, unit chosen). */
export declare function encodeTimeout(ms: number): string;
/** RetryInfo.retry_delay in ms from a base64 google.rpc.Status, or undefined. Never throws. */
export declare function retryDelayFromStatusDetails(base64: string): number | undefined;
/** ExportXServiceResponse.partial_success (same shape for all three signals). */
export declare function decodePartialSuccess(body: Uint8Array): {
  rejected: number;
  message: string;
};
/** The request headers for a gRPC (web=false) or gRPC-web (web=true) export call. */
export declare function requestHeaders(
  request: TransportRequest,
  web: boolean,
): Record<string, string>;
/**
 * Turns a finished HTTP response into the transport-neutral result: checks content-type,
 * handles Trailers-Only, parses envelopes, takes status from `trailers` (native gRPC) or
 * the grpc-web trailer frame in `body`, maps plain HTTP errors to codes.
 */
export declare function interpretResponse(response: {
  httpStatus: number;
  headers: HeaderGetter;
  body: Uint8Array;
  trailers?: HeaderGetter;
  web: boolean;
}): TransportResult;
