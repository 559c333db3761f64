import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type { HeaderReader } from './request-format.js';

/** A request from either Node server the receiver runs: HTTP/1.1 or HTTP/2. */
export type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;

/** A response to either Node server the receiver runs: HTTP/1.1 or HTTP/2. */
export type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

/** The request path without its query string, the key the routes are looked up by. */
export function requestPath(req: NodeRequest): string {
  return (req.url ?? '').split('?', 1)[0] ?? '';
}

/** The value of a request header, or undefined; repeated headers are joined with commas. */
export function requestHeader(req: NodeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Sends a complete response with no body. Exists because TypeScript cannot call
 * `writeHead` on the union of the HTTP/1.1 and HTTP/2 response types.
 */
export function respondEmpty(
  res: NodeResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  (res as http.ServerResponse).writeHead(status, headers);
  res.end();
}

/** Node's request headers read like a Headers object (names case-insensitive). */
export function headerReader(req: NodeRequest): HeaderReader {
  return { get: (name) => requestHeader(req, name.toLowerCase()) ?? null };
}
