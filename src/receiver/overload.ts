import { Code, ConnectError } from '@connectrpc/connect';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';

/** Options for {@link createInflightLimiter}. */
export interface InflightLimiterOptions {
  /**
   * Export calls served at once; further calls are refused. 0 means no limit.
   * @default 0
   */
  maxInflight?: number;
  /**
   * The delay a refused client is told to wait (google.rpc.RetryInfo.retry_delay).
   * @default 1000
   */
  retryDelayMs?: number;
}

/** Releases a slot taken by {@link InflightLimiter.acquire}; calling it twice is harmless. */
export type Release = () => void;

/**
 * Counts Export calls being served and sheds load past the limit. Refusals are
 * UNAVAILABLE carrying google.rpc.RetryInfo, the OTLP way of saying "retry, but not
 * before this long", so well-behaved exporters back off instead of hammering.
 */
export interface InflightLimiter {
  /** Takes a slot, or returns the error to answer with when none is free. */
  acquire(): Release | ConnectError;
  /** Export calls currently holding a slot. */
  inflight(): number;
}

/** Creates an {@link InflightLimiter}. */
export function createInflightLimiter(options: InflightLimiterOptions = {}): InflightLimiter {
  const max = options.maxInflight ?? 0;
  const delayMs = options.retryDelayMs ?? 1000;
  let inflight = 0;
  return {
    acquire() {
      if (max > 0 && inflight >= max) return overloaded(max, delayMs);
      inflight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inflight--;
      };
    },
    inflight: () => inflight,
  };
}

function overloaded(max: number, delayMs: number): ConnectError {
  return new ConnectError(
    `receiver overloaded: ${max} export calls in flight, retry after ${delayMs} ms`,
    Code.Unavailable,
    undefined,
    [
      {
        desc: RetryInfoSchema,
        value: {
          retryDelay: {
            seconds: BigInt(Math.floor(delayMs / 1000)),
            nanos: Math.round((delayMs % 1000) * 1_000_000),
          },
        },
      },
    ],
  );
}
