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

/** The part of an OpenTelemetry Meter the pipeline records to; structural, so no OTel import. */
export interface MeterLike {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    add(value: number, attributes?: Record<string, string>): void;
  };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    record(value: number, attributes?: Record<string, string>): void;
  };
}

/** Counters behind a {@link SelfMetricsSnapshot}, mirrored to a Meter when one is given. */
export interface SelfMetrics {
  readonly data: SelfMetricsSnapshot;
  exported(items: number, rejected: number, latencyMs: number): void;
  failedAttempt(code: number, message: string, at: number): void;
  retried(): void;
  dropped(reason: DropReason, items: number): void;
  sent(uncompressed: number, onWire: number): void;
}

/** Creates the counters of one signal's pipeline. */
export function createSelfMetrics(signal: Signal, meter?: MeterLike): SelfMetrics {
  const data: SelfMetricsSnapshot = {
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
  const exportedCounter = meter?.createCounter('otlp.exporter.exported', { unit: '{item}' });
  const droppedCounter = meter?.createCounter('otlp.exporter.dropped', { unit: '{item}' });
  const retryCounter = meter?.createCounter('otlp.exporter.retries', { unit: '{retry}' });
  const duration = meter?.createHistogram('otlp.exporter.duration', { unit: 'ms' });
  return {
    data,
    exported(items, rejected, latencyMs) {
      data.exports++;
      data.itemsSent += items;
      data.itemsRejected += rejected;
      const l = data.latency;
      l.count++;
      l.sumMs += latencyMs;
      l.lastMs = latencyMs;
      if (latencyMs > l.maxMs) l.maxMs = latencyMs;
      exportedCounter?.add(items, { signal });
      duration?.record(latencyMs, { signal });
    },
    failedAttempt(code, message, at) {
      const name = codeName(code);
      data.failuresByCode[name] = (data.failuresByCode[name] ?? 0) + 1;
      data.lastError = { code, message, at };
    },
    retried() {
      data.retries++;
      retryCounter?.add(1, { signal });
    },
    dropped(reason, items) {
      data.droppedByReason[reason] += items;
      droppedCounter?.add(items, { signal, reason });
    },
    sent(uncompressed, onWire) {
      data.bytesUncompressed += uncompressed;
      data.bytesSent += onWire;
    },
  };
}
