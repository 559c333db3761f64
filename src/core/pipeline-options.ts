import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { Code } from './code.js';
import type { Compression } from './compression.js';
import { OtlpError } from './otlp-error.js';
import { DEFAULT_RETRY, NO_RETRY, type RetryOptions, type RetryPolicy } from './retry-policy.js';
import type { Runtime } from './runtime.js';
import type { DropReason, MeterLike } from './self-metrics.js';
import type { Signal, SignalCodec } from './signal-codec.js';
import type { Transport } from './transport.js';
import { USER_AGENT } from './version.js';

/** Request metadata: fixed, or computed per attempt (for tokens that expire). */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** Options of {@link createPipeline}. */
export interface PipelineOptions<T> {
  codec: SignalCodec<T>;
  transport: Transport;
  /** Base URLs; exports rotate round-robin, a retry fails over to the next. */
  endpoints: readonly string[];
  runtime: Runtime;
  /** Request compression. @default undefined (identity) */
  compression?: Compression | undefined;
  /** Bodies smaller than this are sent uncompressed: gzip only costs there. @default 1024 */
  compressionMinBytes?: number;
  /** @default {} */
  headers?: HeadersOption;
  /** @default USER_AGENT */
  userAgent?: string;
  /** Deadline of one export, retries included, in ms. @default 10000 */
  timeoutMs?: number;
  /** @default 2048 */
  maxQueueItems?: number;
  /** @default 8 MiB */
  maxQueueBytes?: number;
  /** @default 512 */
  maxBatchItems?: number;
  /** OTLP's recommended request limit; batches are cut to stay under it. @default 4 MiB */
  maxRequestBytes?: number;
  /** Delay from the first queued value to its export. @default 1000 */
  scheduledDelayMs?: number;
  /** @default 2 */
  maxConcurrentExports?: number;
  /**
   * Browsers give keepalive requests (the ones that survive page unload) 64 KiB in flight,
   * all together. Keepalive exports are cut to fit this budget, measured after compression;
   * what does not fit stays queued for the next flush and is counted as deferred.
   * @default 65536
   */
  keepaliveBudgetBytes?: number;
  /** `false` disables retry. @default OpenTelemetry's numbers, see RetryOptions */
  retry?: RetryOptions | false;
  /** @default undefined (no circuit breaker) */
  circuitBreaker?: CircuitBreakerOptions;
  /** Records self-metrics through an OpenTelemetry Meter too. @default undefined */
  meter?: MeterLike;
  /** Called for every drop, with the reason. @default undefined */
  onError?: (error: OtlpError, info: { signal: Signal; items: number; reason: DropReason }) => void;
  /** Called when the backend refused some items through partial_success. @default undefined */
  onPartialSuccess?: (info: { signal: Signal; rejected: number; message: string }) => void;
}

/** {@link PipelineOptions} after defaults and validation. */
export type ResolvedPipelineOptions<T> = Required<
  Omit<
    PipelineOptions<T>,
    'compression' | 'circuitBreaker' | 'meter' | 'onError' | 'onPartialSuccess' | 'retry'
  >
> &
  Pick<
    PipelineOptions<T>,
    'compression' | 'circuitBreaker' | 'meter' | 'onError' | 'onPartialSuccess'
  > & {
    retry: RetryPolicy;
  };

const MiB = 1024 * 1024;

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new OtlpError(
      `option "${name}" must be a number >= ${min}, got ${String(value)}`,
      Code.InvalidArgument,
    );
  }
  return value;
}

/** Fills in defaults and refuses values that cannot work, naming the option. */
export function resolvePipelineOptions<T>(options: PipelineOptions<T>): ResolvedPipelineOptions<T> {
  if (options.endpoints.length === 0) {
    throw new OtlpError('option "endpoints" needs at least one URL', Code.InvalidArgument);
  }
  const retry = options.retry === false ? NO_RETRY : { ...DEFAULT_RETRY, ...options.retry };
  positive('retry.maxAttempts', retry.maxAttempts, 1);
  positive('retry.multiplier', retry.multiplier, 1, 1);
  return {
    ...options,
    compressionMinBytes: positive('compressionMinBytes', options.compressionMinBytes, 1024, 0),
    headers: options.headers ?? {},
    userAgent: options.userAgent ?? USER_AGENT,
    timeoutMs: positive('timeoutMs', options.timeoutMs, 10_000),
    maxQueueItems: positive('maxQueueItems', options.maxQueueItems, 2048),
    maxQueueBytes: positive('maxQueueBytes', options.maxQueueBytes, 8 * MiB),
    maxBatchItems: positive('maxBatchItems', options.maxBatchItems, 512),
    maxRequestBytes: positive('maxRequestBytes', options.maxRequestBytes, 4 * MiB),
    scheduledDelayMs: positive('scheduledDelayMs', options.scheduledDelayMs, 1000, 0),
    maxConcurrentExports: positive('maxConcurrentExports', options.maxConcurrentExports, 2),
    keepaliveBudgetBytes: positive('keepaliveBudgetBytes', options.keepaliveBudgetBytes, 65_536),
    retry,
  };
}
