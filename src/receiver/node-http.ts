import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import { detectFormat, type HeaderReader } from './request-format.js';

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

/** Whether the request is a native gRPC call with a binary message: HTTP/2, POST. */
export function nativeGrpc(req: NodeRequest): boolean {
  if (req.httpVersionMajor !== 2 || req.method !== 'POST') return false;
  const format = detectFormat(requestHeader(req, 'content-type') ?? null);
  return format?.protocol === 'grpc' && format.binary;
}

/**
 * The request body as chunks, read with 'data' events: a 330 KB gRPC request arrives as
 * about 27 chunks, and Readable's async iterator spends a read(), a nextTick and a
 * promise on each. Like `iterator({ destroyOnReturn: false })`: a reader that stops early
 * leaves the request paused, not destroyed (see discardUnreadBody), and a request closed
 * before its end fails with ERR_STREAM_PREMATURE_CLOSE.
 */
export function bodyChunks(req: NodeRequest): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      // Taken chunks are cleared, so the request's bytes are not kept twice.
      const queue: (Uint8Array | undefined)[] = [];
      let ended = false;
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const onData = (chunk: Uint8Array) => {
        queue.push(chunk);
        wake?.();
      };
      const onEnd = () => {
        ended = true;
        wake?.();
      };
      const onError = (e: Error) => {
        failure ??= e;
        wake?.();
      };
      const onClose = () => {
        if (!ended)
          onError(
            Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
          );
      };
      req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
      const stop = () => {
        req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
        req.pause();
      };
      let at = 0;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (at === queue.length && !ended && failure === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          wake = undefined;
          if (at < queue.length) {
            const chunk = queue[at]!;
            queue[at++] = undefined;
            return { value: chunk, done: false };
          }
          stop();
          if (failure !== undefined) throw failure;
          return { value: undefined, done: true };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          stop();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
