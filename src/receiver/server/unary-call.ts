import { Code, ConnectError } from '@connectrpc/connect';
import { type Compression, compressionNegotiate } from '@connectrpc/connect/protocol';
import type { Method } from '../calls/method.js';
import { frame, type Outcome, send } from './answer.js';
import type { AuthCheck } from './auth.js';
import type { CallRecord } from './call-record.js';
import { RECEIVER_COMPRESSIONS } from './compression.js';
import { encodeMessage } from './decode-message.js';
import { headerReader, type NodeRequest, type NodeResponse } from './node-http.js';
import type { Release } from './overload.js';
import type { RequestFormat } from './request-format.js';
import { delivered, discardUnreadBody, drainHttp1Body } from './response-delivery.js';
import { type TakeOptions, takeRequest } from './take-request.js';

/** What every unary call is checked and served with. */
export interface UnaryCallOptions extends TakeOptions {
  auth: AuthCheck;
  /** Answer Export calls compressed in the request's encoding, as grpc-go does. */
  compressResponses: boolean;
}

/**
 * Serves one unary call, the same steps for every method and protocol: compression,
 * deadline and credentials from the headers (refused before the body is read, so an
 * unauthenticated client cannot make the receiver decompress megabytes); the body,
 * bounded; an inflight slot for an Export call; the message unwrapped, decompressed and
 * decoded; the method; the answer in the call's protocol. Resolves with the status the
 * client saw.
 */
export async function serveUnary(
  method: Method,
  format: RequestFormat,
  contentType: string,
  req: NodeRequest,
  res: NodeResponse,
  sent: Promise<void>,
  record: CallRecord,
  o: UnaryCallOptions,
): Promise<number> {
  const header = headerReader(req);
  record.protocol = format.protocol;
  record.encoding = header.get(format.encodingHeader) ?? 'identity';
  const abort = new AbortController();
  const gone = () => abort.abort(new ConnectError('client closed the call', Code.Canceled));
  res.once('close', gone);
  const releases: Release[] = [];
  let timer: NodeJS.Timeout | undefined;
  let compression: Compression | null = null;
  let outcome: Outcome;
  try {
    const negotiated = compressionNegotiate(
      [...RECEIVER_COMPRESSIONS],
      header.get(format.encodingHeader),
      header.get(format.acceptEncodingHeader),
      format.acceptEncodingHeader,
    );
    const deadline = format.parseTimeout(header);
    const early = negotiated.error ?? deadline.error ?? o.auth(header);
    if (early !== undefined) throw early;
    const ms = deadline.timeoutMs;
    if (ms !== undefined) {
      const expired = new ConnectError(`deadline of ${ms} ms exceeded`, Code.DeadlineExceeded);
      timer = setTimeout(() => abort.abort(expired), ms);
    }
    const taken = await takeRequest(
      req,
      method,
      format,
      negotiated.request,
      abort.signal,
      record,
      releases,
      o,
    );
    abort.signal.throwIfAborted();
    const response = await untilAborted(
      method.run(taken.request, {
        signal: abort.signal,
        messageBytes: taken.messageBytes,
        retainedBytes: taken.retainedBytes,
      }),
      abort.signal,
    );
    outcome = { message: encodeMessage(method.desc.output, response, format.binary) };
    if (o.compressResponses && method.signal !== undefined) compression = negotiated.request;
  } catch (e) {
    record.error = toConnectError(e);
    outcome = { error: record.error };
  } finally {
    clearTimeout(timer);
  }
  try {
    // Node closes an HTTP/1.1 connection whose request body was not read; read it first.
    await drainHttp1Body(req);
    const wire = await frame(outcome, {
      format,
      contentType,
      compression,
      accepted: RECEIVER_COMPRESSIONS,
    });
    if (!res.writableEnded && !res.destroyed) send(res, wire);
    await sent;
    if (delivered(req, res, record)) discardUnreadBody(req);
  } finally {
    res.off('close', gone);
    for (const release of releases) release();
  }
  return record.error?.code ?? OK;
}

const OK = 0;

/** Rejects with the signal's reason once it aborts, whatever `work` does. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A failure as the client will see it: a foreign error is INTERNAL (a receiver bug). */
function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError) return e;
  return new ConnectError('internal error', Code.Internal, undefined, undefined, e);
}
