import { Code } from './code.js';
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

/** A policy that never retries, for `retry: false`. */
export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1 };

/** The policy for the `retry` option: defaults filled in, unusable numbers refused by name. */
export function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  return retry === false
    ? NO_RETRY
    : numberOptions(
        retry ?? {},
        DEFAULT_RETRY,
        ['initialBackoffMs', 'maxBackoffMs', 'jitter'],
        'retry.',
      );
}

// The codes the OTLP spec calls retryable, as bits: immutable and cheap to test.
const RETRYABLE_MASK =
  (1 << Code.Canceled) |
  (1 << Code.DeadlineExceeded) |
  (1 << Code.Aborted) |
  (1 << Code.OutOfRange) |
  (1 << Code.Unavailable) |
  (1 << Code.DataLoss);

/**
 * Whether the OTLP spec allows retrying a call that failed with `code`.
 * RESOURCE_EXHAUSTED is retryable only when the server sent RetryInfo, because without
 * it the server is saying "this will never fit", not "come back later".
 */
export function isRetryable(code: number, retryDelayMs?: number): boolean {
  if (code === Code.ResourceExhausted) return retryDelayMs !== undefined;
  return code > 0 && code < 31 && ((RETRYABLE_MASK >>> code) & 1) === 1;
}

/**
 * The backoff before retry number `retryIndex` (0 for the first retry):
 * min(initial * multiplier^n, max), spread by +-jitter with `random` in [0, 1), so that
 * clients that failed together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, retryIndex: number, random: number): number {
  const base = Math.min(
    policy.initialBackoffMs * policy.multiplier ** retryIndex,
    policy.maxBackoffMs,
  );
  return Math.max(0, base * (1 + policy.jitter * (2 * random - 1)));
}

/** Why an export gave up, when it did. */
export type GiveUpReason = 'non_retryable' | 'retries_exhausted' | 'deadline';

/** What to do after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: GiveUpReason; detail: string };

/** The failed attempt, as {@link decideRetry} needs it. */
export interface FailedAttempt {
  code: number;
  retryDelayMs?: number | undefined;
  /** Attempts made so far, this one included (1 after the first). */
  attempts: number;
  /** Milliseconds left before the export deadline. */
  timeLeftMs: number;
}

/**
 * Decides whether and when to retry. A server's RetryInfo delay is obeyed as sent, even
 * when longer than our own backoff, because the server knows its load; a delay that would
 * end at or past the export deadline gives up now instead of sending a doomed request.
 */
export function decideRetry(
  policy: RetryPolicy,
  failed: FailedAttempt,
  random: () => number,
): RetryDecision {
  const { code, retryDelayMs, attempts, timeLeftMs } = failed;
  if (!isRetryable(code, retryDelayMs)) {
    return { retry: false, reason: 'non_retryable', detail: 'not retryable' };
  }
  if (attempts >= policy.maxAttempts) {
    const detail = `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    return { retry: false, reason: 'retries_exhausted', detail };
  }
  const fromServer = retryDelayMs !== undefined;
  const delayMs = fromServer
    ? Math.max(0, retryDelayMs)
    : backoffDelay(policy, attempts - 1, random());
  if (delayMs < timeLeftMs) return { retry: true, delayMs };
  const what = fromServer ? 'server-requested retry delay' : 'retry backoff';
  return {
    retry: false,
    reason: 'deadline',
    detail: `${what} of ${Math.round(delayMs)} ms does not fit in the ${Math.max(0, Math.round(timeLeftMs))} ms left before the export deadline`,
  };
}
