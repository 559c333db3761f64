import * as http2 from 'node:http2';
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import type { CallRecord } from './call-record.js';
import type { NodeRequest, NodeResponse } from './node-http.js';

/** How long a refused call may keep sending a body nobody reads before it is cut off. */
const DISCARD_MS = 5000;

/**
 * After `whenSent`: true when the response went out whole. Otherwise the client reset the
 * stream or closed the connection (its deadline, its cancel), and whatever the handler
 * decided, the client saw a cancellation of its own: the record says so.
 */
export function delivered(
  req: NodeRequest,
  res: NodeResponse,
  record: CallRecord,
  failure?: unknown,
): boolean {
  const resetCode = 'stream' in req ? req.stream.rstCode : undefined;
  if (res.writableFinished && (resetCode === undefined || resetCode === 0)) return true;
  const reason = record.error?.rawMessage ?? (failure instanceof Error ? failure.message : 'none');
  record.error = new ConnectError(
    `client closed the call before the response was sent (handler outcome: ${reason})`,
    ConnectCode.Canceled,
  );
  return false;
}

/**
 * Resolves once the response is sent or the connection is gone. Taken as soon as the
 * request arrives, so a client that resets the stream early is noticed. Node's HTTP/2
 * compatibility response emits "finish" only once the whole stream has closed, which a
 * client still sending a refused body delays; the stream's own "finish" marks it sent.
 */
export function whenSent(res: NodeResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    ('stream' in res ? res.stream : res).once('finish', resolve);
    res.once('close', resolve);
  });
}

/**
 * Reads and drops what is left of an HTTP/1.1 request body before answering (for at most
 * DISCARD_MS). Node closes an HTTP/1.1 connection whose request body was not read, and a
 * client still uploading then sees ECONNRESET instead of the refusal.
 */
export async function drainHttp1Body(req: NodeRequest): Promise<void> {
  if (req.httpVersionMajor !== 1 || req.complete) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, DISCARD_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

/**
 * A refused call's body is left unread (that is the point of refusing early), so the
 * client may still be sending. HTTP/2: the rest is read and dropped so the stream ends
 * normally and the client reads the status; a client still sending after DISCARD_MS is
 * reset (NO_ERROR). Node's HTTP/1.1 server drains unread bodies by itself.
 */
export function discardUnreadBody(req: NodeRequest): void {
  if (req.complete || !('stream' in req)) return;
  const stream = req.stream;
  const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_NO_ERROR), DISCARD_MS);
  timer.unref();
  stream.once('close', () => clearTimeout(timer));
  req.resume();
}
