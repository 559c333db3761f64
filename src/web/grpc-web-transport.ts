import { DEADLINE_EXCEEDED, UNAVAILABLE, UNKNOWN } from '../core/code.js';
import { type Compression, MAX_RESPONSE_BYTES } from '../core/compression.js';
import { isOtlpError } from '../core/otlp-error.js';
import type { Transport, TransportRequest, TransportResult } from '../core/transport.js';
import { encodeEnvelope, FLAG_COMPRESSED } from '../protocol/envelope.js';
import { interpretResponse } from '../protocol/interpret-response.js';
import { acceptEncoding, requestHeaders } from '../protocol/request-headers.js';
import { readStream } from './byte-stream.js';
import { streamDecoders } from './compression.js';
import { watchPage } from './page-unload.js';

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
  /**
   * The encodings responses may come in, advertised in `grpc-accept-encoding`. grpc-go
   * servers (the OpenTelemetry Collector, through Envoy) answer in the request's encoding.
   * @default what DecompressionStream reads here: gzip, zstd in Bun
   */
  decoders?: readonly Compression[];
}

/**
 * A gRPC-web transport over fetch, for browsers and edge runtimes (workerd, Deno, Bun,
 * Vercel Edge) where HTTP/2 trailers are out of reach. The body is one buffered
 * envelope, never a stream (Node 20 and Chromium demand `duplex` for streams), and
 * redirects are not followed (`redirect: 'manual'`; workerd rejects 'error'): an opaque
 * redirect (browsers) or a 3xx response (workerd, Node) fails the call, naming the
 * Location when there is one. Responses are read up to 4 MiB (past it: RESOURCE_EXHAUSTED)
 * and decoded in the encoding the server chose. Never throws: network failures become
 * UNAVAILABLE, the local deadline DEADLINE_EXCEEDED.
 */
export function createGrpcWebTransport(options: GrpcWebTransportOptions = {}): Transport {
  const decoders = options.decoders ?? streamDecoders();
  const accept = acceptEncoding(decoders);
  const page = watchPage();
  return {
    name: 'grpc-web',
    async send(request: TransportRequest): Promise<TransportResult> {
      const { timeoutMs } = request;
      // Node's setTimeout, under AbortSignal.timeout there, takes 32-bit delays only.
      const signal = AbortSignal.timeout(Math.min(timeoutMs, 2 ** 31 - 1));
      const body = encodeEnvelope(
        request.encoding === 'identity' ? 0 : FLAG_COMPRESSED,
        request.body,
      ) as Uint8Array<ArrayBuffer>;
      const init: RequestInit = {
        method: 'POST',
        headers: requestHeaders(request, true, accept),
        body,
        redirect: 'manual',
        signal,
      };
      // Browsers refuse keepalive bodies beyond 64 KiB (shared by all in-flight keepalive
      // calls); a bigger one would fail every time, so it goes without keepalive instead.
      if (request.keepalive && body.length <= 65_536) init.keepalive = true;
      if (options.credentials) init.credentials = options.credentials;
      const call = () =>
        (options.fetch ?? fetch)(request.url.replace(/\/+$/, '') + request.path, init);
      try {
        const response = await call().catch(async (error: unknown) => {
          // The browser may have refused the keepalive request: its budget is the page's,
          // shared with other scripts' keepalive requests and beacons. Sent again without
          // keepalive, but not from a page that is going: it rejects its keepalive fetches
          // too (even before every pagehide listener has run), while the requests carry on.
          // So the resend waits for a task, which such a page never runs.
          if (!init.keepalive || signal.aborted) throw error;
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (page.unloading()) throw error;
          init.keepalive = false;
          return call();
        });
        const { status, headers } = response;
        if (response.type === 'opaqueredirect' || (status > 299 && status < 400)) {
          const location = headers?.get('location');
          return {
            code: UNKNOWN,
            message: `redirect refused: gRPC-web does not follow redirects${location ? ` (to ${location})` : ''}`,
          };
        }
        const body = await readStream(response.body, MAX_RESPONSE_BYTES, 'response body');
        return await interpretResponse({ httpStatus: status, headers, body, web: true }, decoders);
      } catch (error) {
        // The response limit (readStream).
        if (isOtlpError(error)) return { code: error.code, message: error.rawMessage };
        if (signal.aborted) {
          return { code: DEADLINE_EXCEEDED, message: `deadline exceeded after ${timeoutMs} ms` };
        }
        // Node's fetch hides "ECONNREFUSED" in `cause`, and an HTTP/2-only server's
        // answer as "does not match the HTTP/1.1 protocol": that one needs native gRPC.
        const detail = (error as { cause?: Error } | undefined)?.cause?.message;
        const hint = /HTTP\/1/.test(`${detail}`) ? '; HTTP/2 only? use otlp-grpc-web/node' : '';
        return {
          code: UNAVAILABLE,
          message: `network error: ${(error as Error)?.message ?? error}${detail ? `: ${detail}` : ''}${hint}`,
        };
      }
    },
    close: async () => page.close(),
  };
}
