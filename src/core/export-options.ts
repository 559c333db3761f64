import type { CircuitBreaker } from './circuit-breaker.js';
import type { Compression } from './compression.js';
import type { OtlpError } from './otlp-error.js';
import type { RetryOptions } from './retry-policy.js';
import type { ExportRuntime } from './runtime.js';
import type { DropReason } from './self-metrics.js';
import type { ServiceCodec, Signal } from './signal-codec.js';
import type { SpillFactory } from './spill.js';
import type { Transport } from './transport.js';

/** Request metadata: fixed, or computed per attempt (for tokens that expire). */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** Options of {@link createExportCore}: how one signal's requests are built and sent. */
export interface ExportOptions {
  /** The signal's OTLP service: path and response reader. */
  codec: ServiceCodec;
  transport: Transport;
  /** Base URLs; exports rotate round-robin, a retry fails over to the next. */
  endpoints: readonly string[];
  runtime: ExportRuntime;
  /**
   * Request compression. When a server refuses its encoding (UNIMPLEMENTED, listing the
   * ones it accepts in grpc-accept-encoding), the request is resent at once with the
   * first `fallback` it accepts, or uncompressed, and later requests keep to that.
   * @default undefined (identity)
   */
  compression?: Compression | undefined;
  /** Bodies smaller than this are sent uncompressed: gzip only costs there. @default 1024 */
  compressionMinBytes?: number;
  /** @default {} */
  headers?: HeadersOption;
  /**
   * Names the application in front of this package's own user agent
   * (`my-app/1.2 OTel-OTLP-Exporter-JavaScript/<version> otlp-grpc-web`), as
   * OpenTelemetry's exporters do.
   * @default undefined (USER_AGENT alone)
   */
  userAgent?: string;
  /** Deadline of one export, retries included, in ms. @default 10000 */
  timeoutMs?: number | undefined;
  /** OTLP's recommended request limit; batches are cut to stay under it. @default 4 MiB */
  maxRequestBytes?: number;
  /**
   * Browsers give keepalive requests (the ones that survive page unload) 64 KiB in flight,
   * all together. Keepalive exports are cut to fit this budget; what does not fit stays
   * queued for the next flush and is counted as deferred.
   * @default 65536
   */
  keepaliveBudgetBytes?: number;
  /**
   * The compression keepalive requests may use, when there is one whose work finishes
   * within the current task (a page being unloaded runs no further task, so a request
   * waiting for one would never leave); asked at each keepalive request. Used only while
   * it has the name of `compression`.
   * @default undefined (keepalive requests go uncompressed)
   */
  keepaliveCompression?: (() => Compression | undefined) | undefined;
  /**
   * Pages: send every request that fits the keepalive budget with keepalive, not only
   * those of a flush at unload, so that requests in flight when the user navigates away
   * still arrive. Requests that do not fit go without keepalive.
   * @default false
   */
  keepaliveWhenFits?: boolean;
  /**
   * Whether the page is being unloaded for good. Then a keepalive request that does not
   * fit the budget is dropped and counted (`unload`) at once, since no later flush will
   * come; otherwise it is held for the next flush.
   * @default undefined (never: held)
   */
  unloading?: () => boolean;
  /** `false` disables retry. @default OpenTelemetry's numbers, see RetryOptions */
  retry?: RetryOptions | false;
  /**
   * Stops sending to a backend that keeps failing: `createCircuitBreaker({...})`. An object
   * rather than options, so apps without one bundle none of it.
   * @default undefined (no circuit breaker)
   */
  circuitBreaker?: CircuitBreaker;
  /**
   * Keeps what would be lost (failed after its retries, made offline, over the keepalive
   * budget) for a later replay: `createDurableQueue({...})` in browsers. A factory rather
   * than options, so apps without one bundle none of it.
   * @default undefined (no durable queue)
   */
  durable?: SpillFactory;
  /**
   * Called for every drop, with the reason, and once (items 0, `durable_unavailable`)
   * when the durable queue cannot be used. @default undefined
   */
  onError?: (
    error: OtlpError,
    info: { signal: Signal; items: number; reason: DropReason | 'durable_unavailable' },
  ) => void;
  /**
   * Called when the backend refused some items through partial_success, or when an OK
   * answer could not be read (`unknown: true`, e.g. compressed in an encoding this runtime
   * cannot decode): then the items count as delivered, and whether some were refused is
   * unknown (`responsesUnread` in the self-metrics).
   * @default undefined
   */
  onPartialSuccess?: (info: {
    signal: Signal;
    rejected: number;
    message: string;
    unknown?: true;
  }) => void;
}

/** Defaults of the numeric {@link ExportOptions}. */
export const EXPORT_DEFAULTS = {
  compressionMinBytes: 1024,
  timeoutMs: 10_000,
  maxRequestBytes: 4 * 1024 * 1024,
  keepaliveBudgetBytes: 65_536,
};
