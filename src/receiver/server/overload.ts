import { Code, ConnectError } from '@connectrpc/connect';
import { RetryInfoSchema } from '../../../gen/google/rpc/error_details_pb.js';

/** Releases what was taken; calling it twice is harmless. */
export type Release = () => void;

/**
 * A count of something the receiver holds (calls in flight, bytes of request bodies
 * being read) with a ceiling. Past it, calls are refused with UNAVAILABLE carrying
 * google.rpc.RetryInfo, the OTLP way of saying "retry, but not before this long", so
 * well-behaved exporters back off instead of hammering.
 */
export interface Limiter {
  /** Takes `amount`, or returns the error to answer with when it would pass the ceiling. */
  acquire(amount?: number): Release | ConnectError;
  /** What is held now. */
  used(): number;
}

/** Options for {@link createLimiter}. */
export interface LimiterOptions {
  /** The ceiling; 0 means none. */
  max: number;
  /** The delay a refused client is told to wait (RetryInfo.retry_delay), ms. */
  retryDelayMs: number;
  /** Says what was exhausted, for the refusal's message and the log. */
  describe: (max: number) => string;
  /** Called on each refusal (the receiver logs it). */
  onRefused?: (error: ConnectError) => void;
}

/** Creates a {@link Limiter}. */
export function createLimiter(options: LimiterOptions): Limiter {
  let used = 0;
  return {
    acquire(amount = 1) {
      if (options.max > 0 && used + amount > options.max) {
        const error = overloaded(
          `receiver overloaded: ${options.describe(options.max)}, retry after ${options.retryDelayMs} ms`,
          options.retryDelayMs,
        );
        options.onRefused?.(error);
        return error;
      }
      used += amount;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        used -= amount;
      };
    },
    used: () => used,
  };
}

/** UNAVAILABLE with google.rpc.RetryInfo: retryable, after `delayMs`. */
export function overloaded(message: string, delayMs: number): ConnectError {
  return new ConnectError(message, Code.Unavailable, undefined, [
    {
      desc: RetryInfoSchema,
      value: {
        retryDelay: {
          seconds: BigInt(Math.floor(delayMs / 1000)),
          nanos: Math.round((delayMs % 1000) * 1_000_000),
        },
      },
    },
  ]);
}
