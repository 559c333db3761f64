import {
  ABORTED,
  CANCELED,
  DATA_LOSS,
  DEADLINE_EXCEEDED,
  OUT_OF_RANGE,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE,
} from './code.js';
import { numberOptions } from './number-options.js';

/**
 * How failed exports are retried. The defaults are the numbers OpenTelemetry's exporters
 * use, so switching exporters does not change how hard a struggling backend is hit.
 */
export interface RetryOptions {
  /** Attempts per export, the first one included. @default 6 (1 + 5 retries) */
  maxAttempts?: number;
  /** Backoff before the first retry, in milliseconds. @default 1000 */
  initialBackoffMs?: number;
  /** Upper bound of the backoff before jitter, in milliseconds. @default 5000 */
  maxBackoffMs?: number;
  /** Growth of the backoff per retry. @default 1.5 */
  multiplier?: number;
  /** Random spread of each backoff, as a fraction: 0.2 means +-20%. @default 0.2 */
  jitter?: number;
}

/** {@link RetryOptions} with every field filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** OpenTelemetry's retry numbers. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  initialBackoffMs: 1000,
  maxBackoffMs: 5000,
  multiplier: 1.5,
  jitter: 0.2,
};

/** The policy for the `retry` option: defaults filled in, unusable numbers refused by name. */
export function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  // `false`: a policy that never retries.
  return numberOptions(
    retry || {},
    retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : DEFAULT_RETRY,
    ['initialBackoffMs', 'maxBackoffMs', 'jitter'],
    'retry.',
  );
}

/**
 * Whether the OTLP spec allows retrying a call that failed with `code`: CANCELLED,
 * DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS (as bits of one
 * number, cheap to test), and RESOURCE_EXHAUSTED only when the server sent RetryInfo,
 * because without it the server is saying "this will never fit", not "come back later".
 */
export function isRetryable(code: number, retryDelayMs?: number): boolean {
  return code === RESOURCE_EXHAUSTED
    ? retryDelayMs !== undefined
    : code < 16 && ((RETRYABLE_MASK >> code) & 1) === 1;
}

const RETRYABLE_MASK =
  (1 << CANCELED) |
  (1 << DEADLINE_EXCEEDED) |
  (1 << ABORTED) |
  (1 << OUT_OF_RANGE) |
  (1 << UNAVAILABLE) |
  (1 << DATA_LOSS);

/** Why an export gave up, when it did. */
export type GiveUpReason = 'non_retryable' | 'retries_exhausted' | 'deadline';

/** What to do after a failed attempt: wait this many ms and retry, or give up and why. */
export type RetryDecision = number | [reason: GiveUpReason, detail: string];

/**
 * Decides whether and when to retry after failed attempt number `attempts` (1 after the
 * first), `timeLeftMs` before the export deadline. Backoff is min(initial * multiplier^n,
 * max), spread by +-jitter with `random()`, so that clients that failed together do not
 * retry together. A server's RetryInfo delay is obeyed as sent, even when longer than our
 * own backoff, because the server knows its load; a delay that would end at or past the
 * export deadline gives up now instead of sending a doomed request.
 */
export function decideRetry(
  policy: RetryPolicy,
  code: number,
  retryDelayMs: number | undefined,
  attempts: number,
  timeLeftMs: number,
  random: () => number,
): RetryDecision {
  const { initialBackoffMs, multiplier, maxBackoffMs, jitter } = policy;
  const delayMs = Math.max(
    0,
    retryDelayMs ??
      Math.min(initialBackoffMs * multiplier ** (attempts - 1), maxBackoffMs) *
        (1 + jitter * (2 * random() - 1)),
  );
  return !isRetryable(code, retryDelayMs)
    ? ['non_retryable', 'not retryable']
    : attempts >= policy.maxAttempts
      ? ['retries_exhausted', `after ${attempts} attempt(s)`]
      : delayMs < timeLeftMs
        ? delayMs
        : [
            'deadline',
            `retry in ${Math.round(delayMs)} ms${retryDelayMs === undefined ? '' : ' (RetryInfo)'} is past the deadline`,
          ];
}
