import { Code } from '../core/code.js';
import type { Transport, TransportRequest, TransportResult } from '../core/transport.js';
import { encodeEnvelope, FLAG_COMPRESSED } from '../protocol/envelope.js';
import { interpretResponse } from '../protocol/interpret-response.js';
import { requestHeaders } from '../protocol/request-headers.js';

/** Options of {@link createGrpcWebTransport}. */
export interface GrpcWebTransportOptions {
  /**
   * The fetch to call, e.g. one that adds auth or routes through a service binding.
   * @default globalThis.fetch, looked up at each call so late polyfills and test stubs apply
   */
  fetch?: typeof fetch;
  /**
   * Whether browsers send cookies and HTTP auth to the endpoint ("include" for a
   * cookie-authenticated collector on another origin).
   * @default undefined (the fetch default, "same-origin")
   */
  credentials?: RequestCredentials;
}

/**
 * A gRPC-web transport over fetch, for browsers and edge runtimes (workerd, Deno, Bun,
 * Vercel Edge) where HTTP/2 trailers are out of reach. The body is one buffered
 * envelope, never a stream (Node 20 and Chromium demand `duplex` for streams), and
 * redirects are not followed (`redirect: 'manual'`; workerd rejects 'error'). Never
 * throws: network failures become UNAVAILABLE, the local deadline DEADLINE_EXCEEDED.
 */
export function createGrpcWebTransport(options: GrpcWebTransportOptions = {}): Transport {
  return {
    name: 'grpc-web',
    send: (request) => send(options, request),
    close: async () => {},
  };
}

async function send(
  options: GrpcWebTransportOptions,
  request: TransportRequest,
): Promise<TransportResult> {
  const { timeoutMs } = request;
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(
    () => {
      expired = true;
      controller.abort();
    },
    Math.min(timeoutMs, 2 ** 31 - 1),
  );
  try {
    const body = encodeEnvelope(
      request.encoding === 'identity' ? 0 : FLAG_COMPRESSED,
      request.body,
    );
    const response = await (options.fetch ?? globalThis.fetch)(
      request.url.replace(/\/+$/, '') + request.path,
      {
        method: 'POST',
        headers: requestHeaders(request, true),
        body: body as Uint8Array<ArrayBuffer>,
        redirect: 'manual',
        signal: controller.signal,
        // Browsers refuse keepalive bodies beyond 64 KiB (shared by all in-flight keepalive
        // calls); a bigger one would fail every time, so it goes without keepalive instead.
        ...(request.keepalive && body.length <= 65_536 ? { keepalive: true } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      },
    );
    if (response.type === 'opaqueredirect') {
      return {
        code: Code.Unknown,
        message: 'redirect refused: gRPC-web does not follow redirects',
      };
    }
    return interpretResponse({
      httpStatus: response.status,
      headers: response.headers,
      body: new Uint8Array(await response.arrayBuffer()),
      web: true,
    });
  } catch (error) {
    if (expired) {
      return { code: Code.DeadlineExceeded, message: `deadline exceeded after ${timeoutMs} ms` };
    }
    return { code: Code.Unavailable, message: `network error: ${describeNetworkError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The error's message plus its cause's (Node's fetch hides "ECONNREFUSED" in `cause`). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}
