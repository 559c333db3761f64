import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Compression } from '@connectrpc/connect/protocol';
import type { Method } from '../calls/method.js';
import type { CallRecord } from './call-record.js';
import { estimateDecodedBytes } from './decode-budget.js';
import { decodeMessage } from './decode-message.js';
import type { LimitLog } from './limit-log.js';
import type { NodeRequest } from './node-http.js';
import type { Limiter, Release } from './overload.js';
import { readBody } from './read-body.js';
import { unwrapMessage } from './read-message.js';
import type { RequestFormat } from './request-format.js';
import { retainedSize } from './retained-size.js';
import type { WorkLane } from './work-lane.js';

/** What bounds taking a request in. */
export interface TakeOptions {
  /** Export calls being served: a slot is taken once the body is read. */
  inflight: Limiter;
  /** Memory of the calls in progress (bodies, decompressed and decoded messages). */
  buffered: Limiter;
  lane: WorkLane;
  limitLog: LimitLog;
  maxMessageBytes: number;
  /** Largest estimated memory one decoded request may take. */
  maxDecodedBytes: number;
  bodyIdleMs: number;
}

/** A request message taken in, with its sizes. */
export interface Taken {
  request: MessageShape<DescMessage>;
  /** Serialized size after decompression. */
  messageBytes: number;
  /** Memory the decoded request holds (its buffer and objects), estimated. */
  retainedBytes: number;
}

/**
 * Reads the body (bounded, as it arrives), takes an inflight slot for an Export call (only
 * now, so stalled bodies cannot hold slots), unwraps and decompresses the message, then
 * decodes it: a large one waits its turn in the work lane, and one that would take more
 * than `maxDecodedBytes` decoded is refused before decoding. The memory held at each step
 * is taken from `buffered`, so past its ceiling calls are shed (UNAVAILABLE, RetryInfo)
 * instead of growing the heap; one decoded request larger than `maxDecodedBytes` is
 * RESOURCE_EXHAUSTED. Everything taken is added to `releases`, freed once answered.
 */
export async function takeRequest(
  req: NodeRequest,
  method: Method,
  format: RequestFormat,
  compression: Compression | null,
  signal: AbortSignal,
  record: CallRecord,
  releases: Release[],
  o: TakeOptions,
): Promise<Taken> {
  const take = (bytes: number) => {
    const taken = o.buffered.acquire(bytes);
    if (taken instanceof ConnectError) throw taken;
    releases.push(taken);
  };
  const body = await readBody(req, {
    maxBytes: format.enveloped ? o.maxMessageBytes + 5 : o.maxMessageBytes,
    enveloped: format.enveloped,
    maxMessageBytes: o.maxMessageBytes,
    idleMs: o.bodyIdleMs,
    buffered: o.buffered,
    signal,
    onIdle: (detail) => o.limitLog('body idle timeout', `${record.path}: ${detail}`),
  });
  releases.push(body.release);
  record.wireBytes = body.bytes.byteLength;
  if (method.signal !== undefined) {
    const slot = o.inflight.acquire();
    if (slot instanceof ConnectError) throw slot;
    releases.push(slot);
  }
  const payload = await unwrapMessage(body.bytes, format, compression, o.maxMessageBytes);
  record.messageBytes = payload.byteLength;
  // An uncompressed message is a view of the body, already counted.
  if (compression !== null) take(payload.byteLength);
  const tooLarge = (bytes: number) =>
    new ConnectError(
      `request of ${payload.byteLength} bytes would take about ${bytes} bytes of memory decoded, more than the limit of ${o.maxDecodedBytes}`,
      Code.ResourceExhausted,
    );
  const estimate = estimateDecodedBytes(method.desc.input, payload, format.binary);
  if (estimate > o.maxDecodedBytes) throw tooLarge(estimate);
  const request = await o.lane.run(payload.byteLength, () =>
    decodeMessage(method.desc.input, payload, format.binary),
  );
  // Measured on what was decoded: what the store will account for this request.
  const objects = retainedSize(request);
  if (objects > o.maxDecodedBytes) throw tooLarge(objects);
  take(objects);
  return { request, messageBytes: payload.byteLength, retainedBytes: payload.byteLength + objects };
}
