import { codeName } from './code.js';
import type { Signal } from './signal-codec.js';

/** Why items were dropped: every drop has one, and every drop is counted. */
export type DropReason =
  | 'queue_full'
  | 'too_large'
  | 'non_retryable'
  | 'retries_exhausted'
  | 'deadline'
  | 'circuit_open'
  | 'shutdown';

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
  latency: { count: number; sumMs: number; maxMs: number; lastMs: number };
  lastError: { code: number; message: string; at: number } | undefined;
  circuitState: 'closed' | 'open' | 'half_open';
}

/**
 * Receives the self-metrics events as they happen, to mirror them elsewhere (an
 * OpenTelemetry Meter: see `createMeterRecorder`). An object rather than a Meter option,
 * so an app that records nowhere else bundles none of the mirroring code.
 */
export interface SelfMetricsRecorder {
  exported(signal: Signal, items: number, latencyMs: number): void;
  retried(signal: Signal): void;
  dropped(signal: Signal, reason: DropReason, items: number): void;
}

/** Fresh, all-zero counters of one signal. */
export function createSelfMetrics(signal: Signal): SelfMetricsSnapshot {
  return {
    signal,
    exports: 0,
    exportsFailed: 0,
    itemsSent: 0,
    itemsRejected: 0,
    retries: 0,
    failuresByCode: {},
    droppedByReason: {
      queue_full: 0,
      too_large: 0,
      non_retryable: 0,
      retries_exhausted: 0,
      deadline: 0,
      circuit_open: 0,
      shutdown: 0,
    },
    queuedItems: 0,
    queuedBytes: 0,
    deferredItems: 0,
    inflightExports: 0,
    bytesUncompressed: 0,
    bytesSent: 0,
    latency: { count: 0, sumMs: 0, maxMs: 0, lastMs: 0 },
    lastError: undefined,
    circuitState: 'closed',
  };
}

/** A copy of the live counters, so callers cannot change them and later reads do not move. */
export function copySelfMetrics(d: SelfMetricsSnapshot): SelfMetricsSnapshot {
  return {
    ...d,
    failuresByCode: { ...d.failuresByCode },
    droppedByReason: { ...d.droppedByReason },
    latency: { ...d.latency },
  };
}

/** Counts an export the backend acknowledged, `rejected` of its items refused. */
export function countExported(
  d: SelfMetricsSnapshot,
  items: number,
  rejected: number,
  latencyMs: number,
): void {
  const l = d.latency;
  d.exports++;
  d.itemsSent += items;
  d.itemsRejected += rejected;
  l.count++;
  l.sumMs += latencyMs;
  l.lastMs = latencyMs;
  l.maxMs = Math.max(l.maxMs, latencyMs);
}

/** Counts a failed attempt by code name, as the last error; returns the name. */
export function countFailedAttempt(
  d: SelfMetricsSnapshot,
  code: number,
  message: string,
  at: number,
): string {
  const name = codeName(code);
  d.failuresByCode[name] = (d.failuresByCode[name] ?? 0) + 1;
  d.lastError = { code, message, at };
  return name;
}
