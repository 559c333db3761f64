import * as http2 from 'node:http2';
import {
  CANCELED,
  INTERNAL,
  INVALID_ARGUMENT,
  PERMISSION_DENIED,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE,
} from '../core/code.js';
import { type Compression, MAX_RESPONSE_BYTES, responseTooLarge } from '../core/compression.js';
import { isOtlpError } from '../core/otlp-error.js';
import type { TransportResult } from '../core/transport.js';
import {
  type HeaderGetter,
  interpretResponse,
  type ResponseParts,
  readStatus,
} from '../protocol/index.js';
import { describeNetworkError } from './network-error.js';

/** The outcome of one HTTP/2 stream. */
export interface StreamOutcome {
  result: TransportResult;
  /**
   * True when the server refused the stream (REFUSED_STREAM, or beyond a GOAWAY's last
   * stream id) before any response: it never processed the request, so sending it again
   * at once cannot duplicate data. gRPC clients retry such streams transparently.
   */
  refused: boolean;
}

/**
 * Gathers the response headers, body and trailers of `stream` and, once it has closed,
 * reads them with the shared {@link interpretResponse}, which decompresses the message
 * with `decoders`. When no status can come (the stream was reset or the connection
 * broke) the status says what happened. A body past `maxBytes` cancels the stream: the call fails
 * with RESOURCE_EXHAUSTED naming the limit. Never rejects.
 */
export function readResponse(
  stream: http2.ClientHttp2Stream,
  origin: string,
  decoders: readonly Compression[],
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let headers: http2.IncomingHttpHeaders | undefined;
    let trailers: http2.IncomingHttpHeaders | undefined;
    let error: unknown;
    let length = 0;
    let tooLarge: TransportResult | undefined;
    const chunks: Buffer[] = [];
    const session = stream.session;
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('trailers', (received) => {
      trailers = received;
    });
    stream.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else {
        const { code, rawMessage } = responseTooLarge('response body', maxBytes);
        tooLarge = { code, message: rawMessage };
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }
    });
    stream.on('error', (received) => {
      error = received;
    });
    stream.on('close', () => {
      const rstCode = stream.rstCode ?? 0;
      const head = headers && getter(headers);
      if (tooLarge) {
        resolve({ result: tooLarge, refused: false });
        return;
      }
      if (!head || (!trailers && !readStatus(head) && (error || rstCode))) {
        const refused = !head && rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
        let result: TransportResult;
        if (error) result = streamFailure(error, origin);
        else if (session?.destroyed || session?.closed) result = lost(origin);
        else result = resetResult(rstCode);
        resolve({ result, refused });
        return;
      }
      const parts: ResponseParts = {
        httpStatus: Number(headers?.[':status']),
        headers: head,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        web: false,
      };
      if (trailers) parts.trailers = getter(trailers);
      void interpretResponse(parts, decoders, maxBytes).then((result) =>
        resolve({ result, refused: false }),
      );
    });
  });
}

/**
 * The status for an error before or while talking to `origin`: OtlpErrors keep their
 * code (connect timeout, keepalive failure), Node refusing one of our headers is
 * INVALID_ARGUMENT, anything else is the network: UNAVAILABLE, which the pipeline retries.
 */
export function streamFailure(error: unknown, origin: string): TransportResult {
  if (isOtlpError(error)) return { code: error.code, message: error.rawMessage };
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^ERR_HTTP2_INVALID_|^ERR_INVALID_/.test(code)) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: INVALID_ARGUMENT, message: `request not sent: ${message} (${code})` };
  }
  return { code: UNAVAILABLE, message: describeNetworkError(error, origin) };
}

/** Node's header object seen through the protocol's case-insensitive getter. */
function getter(headers: http2.IncomingHttpHeaders): HeaderGetter {
  return {
    get(name) {
      const value: unknown = headers[name.toLowerCase()];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
  };
}

function lost(origin: string): TransportResult {
  return {
    code: UNAVAILABLE,
    message: `connection to ${origin} closed before the call completed`,
  };
}

/**
 * The status for a stream the server reset without a gRPC status, as gRPC's HTTP/2
 * mapping prescribes: REFUSED_STREAM means "not processed, retry" (UNAVAILABLE), CANCEL
 * CANCELLED, ENHANCE_YOUR_CALM RESOURCE_EXHAUSTED, INADEQUATE_SECURITY PERMISSION_DENIED,
 * the rest INTERNAL.
 */
function resetResult(rstCode: number): TransportResult {
  const c = http2.constants;
  const message = `stream reset by the server with HTTP/2 error code ${rstCode}`;
  switch (rstCode) {
    case c.NGHTTP2_REFUSED_STREAM:
      return { code: UNAVAILABLE, message: `${message} (REFUSED_STREAM)` };
    case c.NGHTTP2_CANCEL:
      return { code: CANCELED, message: `${message} (CANCEL)` };
    case c.NGHTTP2_ENHANCE_YOUR_CALM:
      return { code: RESOURCE_EXHAUSTED, message: `${message} (ENHANCE_YOUR_CALM)` };
    case c.NGHTTP2_INADEQUATE_SECURITY:
      return { code: PERMISSION_DENIED, message: `${message} (INADEQUATE_SECURITY)` };
    case c.NGHTTP2_NO_ERROR:
      return { code: INTERNAL, message: 'response ended without grpc-status' };
    default:
      return { code: INTERNAL, message };
  }
}
