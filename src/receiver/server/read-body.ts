import { Code, ConnectError } from '@connectrpc/connect';
import type { NodeRequest } from './node-http.js';
import type { Limiter, Release } from './overload.js';

/** What bounds the reading of one request body. */
export interface BodyLimits {
  /** Largest body accepted, bytes. */
  maxBytes: number;
  /** gRPC and gRPC-web: the body is one envelope, its announced size checked at once. */
  enveloped: boolean;
  /** Largest message an envelope may announce. */
  maxMessageBytes: number;
  /** A body that sends nothing for this long is refused, ms. */
  idleMs: number;
  /** Bytes of request bodies the whole receiver holds while reading them. */
  buffered: Limiter;
  /** Aborted when the call's deadline passes or the client goes away. */
  signal: AbortSignal;
  /** Told when the idle timeout cut a body off (the receiver logs it). */
  onIdle?: (detail: string) => void;
}

/** A body read whole, and the release of the buffer budget it holds. */
export interface Body {
  bytes: Uint8Array;
  release: Release;
}

/**
 * Reads a request body into memory as its bytes arrive (never at the size a header
 * announces, which costs an attacker nothing), bounded by size, by the receiver-wide
 * buffer budget and by an idle timeout, so a stalled or oversized body neither pins
 * memory nor waits forever. Stops reading (the request stays paused) when it refuses.
 */
export function readBody(req: NodeRequest, limits: BodyLimits): Promise<Body> {
  return new Promise<Body>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const releases: Release[] = [];
    const release = () => {
      for (const r of releases.splice(0)) r();
    };
    let total = 0;
    const idle = setTimeout(() => {
      const detail = `request body idle: no bytes for ${limits.idleMs} ms after ${total} byte(s)`;
      limits.onIdle?.(detail);
      fail(new ConnectError(detail, Code.DeadlineExceeded));
    }, limits.idleMs);
    const stop = () => {
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', fail).off('close', onClose);
      limits.signal.removeEventListener('abort', onAbort);
    };
    const fail = (e: unknown) => {
      stop();
      req.pause();
      release();
      reject(e);
    };
    const onData = (chunk: Uint8Array) => {
      idle.refresh();
      total += chunk.byteLength;
      const problem = check(chunks, total, chunk, limits);
      if (problem !== undefined) return fail(problem);
      const taken = limits.buffered.acquire(chunk.byteLength);
      if (taken instanceof ConnectError) return fail(taken);
      releases.push(taken);
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), release });
    };
    const onClose = () =>
      fail(new ConnectError('client closed the request before its body ended', Code.Canceled));
    const onAbort = () => fail(limits.signal.reason);
    if (limits.signal.aborted) return onAbort();
    limits.signal.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData).once('end', onEnd).once('error', fail).once('close', onClose);
    req.resume();
  });
}

/** Why the body read so far cannot be one acceptable request, or undefined. */
function check(
  chunks: readonly Uint8Array[],
  total: number,
  chunk: Uint8Array,
  limits: BodyLimits,
): ConnectError | undefined {
  if (limits.enveloped && total >= 5 && total - chunk.byteLength < 5) {
    const head = Buffer.concat([...chunks, chunk], total).subarray(0, 5);
    const announced = head.readUInt32BE(1);
    if (announced > limits.maxMessageBytes) {
      return new ConnectError(
        `message size ${announced} is larger than the limit of ${limits.maxMessageBytes} bytes`,
        Code.ResourceExhausted,
      );
    }
  }
  if (total > limits.maxBytes) {
    return limits.enveloped
      ? new ConnectError('unary call received more than one request message', Code.InvalidArgument)
      : new ConnectError(
          `message is larger than the limit of ${limits.maxMessageBytes} bytes`,
          Code.ResourceExhausted,
        );
  }
  return undefined;
}
