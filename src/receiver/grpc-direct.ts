import type * as http2 from 'node:http2';
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { Code } from '../core/code.js';
import type { CallRecord } from './call-record.js';
import type { DecodedRequest } from './decode-request.js';
import { delivered } from './response-delivery.js';
import type { Route } from './routes.js';

/**
 * Answers an admitted native gRPC Export call without connect: the route's direct work
 * (store, then the response message), sent with the headers, envelope and trailers that
 * connect's gRPC handler sends. For a 512-span request connect's per-call machinery
 * (Headers objects, abort signals, async iterables on both sides) cost about as much as
 * validating the spans; every other call (gRPC-web, Connect, JSON, refused, held) still
 * goes through connect, which the gate has already answered the same way as before.
 * Resolves with the status the client saw.
 */
export async function answerDirect(
  direct: NonNullable<Route['direct']>,
  decoded: DecodedRequest,
  req: http2.Http2ServerRequest,
  res: http2.Http2ServerResponse,
  sent: Promise<void>,
  record: CallRecord,
): Promise<Code> {
  let message: Uint8Array | undefined;
  try {
    message = await direct(decoded);
    record.ok = true;
  } catch (e) {
    // As connect's recordOutcome and handler treat a throwing implementation.
    record.error =
      e instanceof ConnectError
        ? e
        : new ConnectError('internal error', ConnectCode.Internal, undefined, undefined, e);
  }
  const headers: Record<string, string> = { 'content-type': 'application/grpc+proto' };
  if (message === undefined) {
    // Trailers-Only: the status in the headers, no body.
    const status = new Headers();
    setTrailerStatus(status, record.error!);
    res.writeHead(200, { ...headers, ...Object.fromEntries(status) });
    res.end();
  } else {
    const body = new Uint8Array(5 + message.length);
    new DataView(body.buffer).setUint32(1, message.length);
    body.set(message, 5);
    res.writeHead(200, headers);
    res.addTrailers({ 'grpc-status': '0' });
    res.end(body);
  }
  await sent;
  if (!delivered(req, res, record)) return Code.Canceled;
  return (record.error?.code as number | undefined) ?? Code.Ok;
}
