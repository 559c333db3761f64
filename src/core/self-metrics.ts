import type { Signal } from './signal-codec.js';
import type { DurableMetrics } from './spill.js';

/** Why items were dropped: every drop has one, and every drop is counted. */
export type DropReason =
  | 'queue_full'
  | 'too_large'
  | 'non_retryable'
  | 'retries_exhausted'
  | 'deadline'
  | 'circuit_open'
  | 'shutdown'
  /** The page was unloading and the browser's keepalive budget was spent. */
  | 'unload';

/** The pipeline's own numbers, for dashboards, the demo page and tests. */
export interface SelfMetricsSnapshot {
  signal: Signal;
  /** Export calls finished (successful or not), retries not counted separately. */
  exports: number;
  exportsFailed: number;
  /** Items the backend acknowledged, including those it rejected through partial_success. */
  itemsSent: number;
  /** Items refused through partial_success. */
  itemsRejected: number;
  /**
   * Successful exports whose answer could not be read (an encoding this runtime cannot
   * decode, corrupt bytes): delivered, their partial_success unknown.
   */
  responsesUnread: number;
  /**
   * Requests sent again: after a retryable failure, or at once with another encoding after
   * the server refused ours (at most once per encoding).
   */
  retries: number;
  /** Failed attempts by gRPC code name. */
  failuresByCode: Record<string, number>;
  /** Dropped items by reason. */
  droppedByReason: Record<DropReason, number>;
  /** Items waiting: in the queue, or held back after a keepalive export did not fit. */
  queuedItems: number;
  queuedBytes: number;
  /** Items a keepalive flush (page unload) could not fit in the browser's budget; they stayed queued. */
  deferredItems: number;
  inflightExports: number;
  /** Request bytes before compression, and as sent (after compression). */
  bytesUncompressed: number;
  bytesSent: number;
  /** Successful exports and their summed latency (first attempt to answer): sumMs / count is the mean. */
  latency: { count: number; sumMs: number };
  lastError: { code: number; message: string; at: number } | undefined;
  circuitState: 'closed' | 'open' | 'half_open';
  /** The durable queue's counters, when the `durable` option is given. */
  durable?: DurableMetrics | undefined;
}

/** Fresh, all-zero counters of one signal. */
export function createSelfMetrics(signal: Signal): SelfMetricsSnapshot {
  return {
    signal,
    exports: 0,
    exportsFailed: 0,
    itemsSent: 0,
    itemsRejected: 0,
    responsesUnread: 0,
    retries: 0,
    failuresByCode: {},
    droppedByReason: Object.fromEntries(
      'queue_full too_large non_retryable retries_exhausted deadline circuit_open shutdown unload'
        .split(' ')
        .map((reason) => [reason, 0]),
    ) as Record<DropReason, number>,
    queuedItems: 0,
    queuedBytes: 0,
    deferredItems: 0,
    inflightExports: 0,
    bytesUncompressed: 0,
    bytesSent: 0,
    latency: { count: 0, sumMs: 0 },
    lastError: undefined,
    circuitState: 'closed',
  };
}

/**
 * A deep copy of the live counters (plain data, so JSON round-trips it; JSON drops an
 * unset `lastError`, put back), so callers cannot change them and later reads do not move.
 */
export function copySelfMetrics(d: SelfMetricsSnapshot): SelfMetricsSnapshot {
  return { lastError: undefined, ...JSON.parse(JSON.stringify(d)) };
}
