import { create, fromBinary } from '@bufbuild/protobuf';
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  type ExportMetricsServiceRequest,
  ExportMetricsServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { InstrumentationScope } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type { LogRecord } from '../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import type { Metric } from '../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import type { Resource } from '../../gen/opentelemetry/proto/resource/v1/resource_pb.js';
import type { Span } from '../../gen/opentelemetry/proto/trace/v1/trace_pb.js';
import {
  type GetStatsResponse,
  GetStatsResponseSchema,
  type ListLogsResponse,
  ListLogsResponseSchema,
  type ListMetricsResponse,
  ListMetricsResponseSchema,
  type ListRequest,
  type ListSpansResponse,
  ListSpansResponseSchema,
  type Origin,
  OriginSchema,
  type SignalStats,
  SignalStatsSchema,
} from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { type Code, codeName } from '../core/code.js';
import type { ScannedRequest } from './item-scan.js';
import { createJsonlSink, type JsonlSink } from './jsonl-sink.js';
import { toOtlpJson } from './otlp-json.js';
import { ingestScanned } from './scanned-ingest.js';
import { createRing, type ItemRun } from './store.js';
import { dataPoints, filterLogs, filterMetrics, filterTraces } from './validate.js';

export type Signal = 'traces' | 'metrics' | 'logs';
/** What goes back to the client as partial_success. */
export interface IngestResult {
  rejected: number;
  errorMessage: string;
}

/** Options of {@link createReceiverSinks}. */
export interface ReceiverSinksOptions {
  /** Items kept in memory per signal (spans, log records, metrics). @default 10000 */
  maxStoredItems?: number;
  /** Append every accepted request as one OTLP/JSON line to this file. @default undefined */
  jsonlPath?: string;
  /** Clock, injectable for tests. @default Date.now */
  now?: () => number;
  /** Where JSONL write errors are reported. @default writes to stderr */
  onError?: (error: Error) => void;
}

/** Where accepted telemetry goes: validation, the in-memory store, the JSONL file, the totals. */
export interface ReceiverSinks {
  ingestTraces(request: ExportTraceServiceRequest, bytes: number): IngestResult;
  ingestMetrics(request: ExportMetricsServiceRequest, bytes: number): IngestResult;
  ingestLogs(request: ExportLogsServiceRequest, bytes: number): IngestResult;
  /**
   * Ingests a trace or logs request the gate only scanned on the wire (validated, indexed,
   * not decoded): the same checks, counts and storage as ingestTraces / ingestLogs, with
   * items decoded only when the query API returns them. With a JSONL file configured the
   * request is decoded in full, because the file needs all of it.
   */
  ingestScanned(scan: ScannedRequest, bytes: number): IngestResult;
  /** An Export call that failed before ingest: counts a request and an error by code. */
  countError(signal: Signal, code: Code): void;
  stats(inflight: number): GetStatsResponse;
  listSpans(request: ListRequest): ListSpansResponse;
  listLogs(request: ListRequest): ListLogsResponse;
  listMetrics(request: ListRequest): ListMetricsResponse;
  clear(): void;
  /**
   * Resolves when what was ingested so far is in the JSONL file (at once without one):
   * the services answer after it, so an acknowledged request is never lost to a crash.
   */
  written(): Promise<void>;
  /** Flushes and closes the JSONL file. */
  close(): Promise<void>;
}

/** Creates the receiver's sinks. */
export function createReceiverSinks(options: ReceiverSinksOptions = {}): ReceiverSinks {
  const capacity = options.maxStoredItems ?? 10_000;
  const now = options.now ?? Date.now;
  let seq = 0;
  const nextSeqs = (n: number) => {
    seq += n;
    return seq - n + 1;
  };
  const spans = createRing<Span>(capacity, nextSeqs);
  const logs = createRing<LogRecord>(capacity, nextSeqs);
  const metrics = createRing<Metric>(capacity, nextSeqs);
  const onError = options.onError ?? ((e) => process.stderr.write(`otlp-receiver: ${e.message}\n`));
  const jsonl: JsonlSink | undefined = options.jsonlPath
    ? createJsonlSink(options.jsonlPath, onError)
    : undefined;
  let started = BigInt(now()) * 1_000_000n;
  const fresh = () => ({
    traces: create(SignalStatsSchema),
    metrics: create(SignalStatsSchema),
    logs: create(SignalStatsSchema),
  });
  let totals: Record<Signal, SignalStats> = fresh();
  const receivedNs = () => BigInt(now()) * 1_000_000n;

  const count = (signal: Signal, bytes: number, accepted: number, rejected: number) => {
    const t = totals[signal];
    t.requests++;
    t.bytes += BigInt(bytes);
    t.itemsAccepted += BigInt(accepted);
    t.itemsRejected += BigInt(rejected);
  };

  /** Counts an ingested request and appends what was kept to the JSONL file. */
  const finish = (
    signal: Signal,
    bytes: number,
    result: IngestResult,
    accepted: number,
    json: () => unknown,
  ) => {
    count(signal, bytes, accepted, result.rejected);
    if (accepted) jsonl?.append(json());
    return result;
  };

  // One origin per resource and scope, shared by their items.
  const originOf = (
    resource: Resource | undefined,
    scope: InstrumentationScope | undefined,
    at: bigint,
  ) => {
    const origin = create(OriginSchema, { receivedUnixNano: at });
    if (resource) origin.resource = resource;
    if (scope) origin.scope = scope;
    return origin;
  };

  const sinks: ReceiverSinks = {
    ingestScanned(scan, bytes) {
      if (jsonl) {
        return scan.signal === 'traces'
          ? sinks.ingestTraces(fromBinary(ExportTraceServiceRequestSchema, scan.payload), bytes)
          : sinks.ingestLogs(fromBinary(ExportLogsServiceRequestSchema, scan.payload), bytes);
      }
      const r = ingestScanned(scan, scan.signal === 'traces' ? spans : logs, receivedNs());
      count(scan.signal, bytes, r.accepted, r.rejected);
      return { rejected: r.rejected, errorMessage: r.errorMessage };
    },
    ingestTraces(request, bytes) {
      const result = filterTraces(request);
      const at = receivedNs();
      const accepted = walk(
        request.resourceSpans,
        (r) => r.scopeSpans,
        (sc) => sc.spans,
        (list, origin) => spans.push(run(list, origin, (span) => span.traceId)),
        (r, sc) => originOf(r, sc, at),
      );
      return finish('traces', bytes, result, accepted, () =>
        toOtlpJson(ExportTraceServiceRequestSchema, request),
      );
    },
    ingestMetrics(request, bytes) {
      const result = filterMetrics(request);
      const at = receivedNs();
      let points = 0;
      walk(
        request.resourceMetrics,
        (r) => r.scopeMetrics,
        (sc) => sc.metrics,
        (list, origin) => {
          metrics.push(run(list, origin, () => undefined));
          for (const metric of list) points += dataPoints(metric).length;
        },
        (r, sc) => originOf(r, sc, at),
      );
      return finish('metrics', bytes, result, points, () =>
        toOtlpJson(ExportMetricsServiceRequestSchema, request),
      );
    },
    ingestLogs(request, bytes) {
      const result = filterLogs(request);
      const at = receivedNs();
      const accepted = walk(
        request.resourceLogs,
        (r) => r.scopeLogs,
        (sc) => sc.logRecords,
        (list, origin) => logs.push(run(list, origin, (record) => record.traceId)),
        (r, sc) => originOf(r, sc, at),
      );
      return finish('logs', bytes, result, accepted, () =>
        toOtlpJson(ExportLogsServiceRequestSchema, request),
      );
    },
    countError(signal, code) {
      const t = totals[signal];
      t.requests++;
      const name = codeName(code);
      t.errorsByCode[name] = (t.errorsByCode[name] ?? 0n) + 1n;
    },
    stats(inflight) {
      const snapshot = (s: SignalStats, stored: number) =>
        create(SignalStatsSchema, {
          ...s,
          errorsByCode: { ...s.errorsByCode },
          stored: BigInt(stored),
        });
      return create(GetStatsResponseSchema, {
        traces: snapshot(totals.traces, spans.size),
        metrics: snapshot(totals.metrics, metrics.size),
        logs: snapshot(totals.logs, logs.size),
        inflight,
        startedUnixNano: started,
      });
    },
    listSpans(request) {
      return create(ListSpansResponseSchema, {
        spans: spans.list(request).map((s) => ({ seq: s.seq, origin: s.origin, span: s.item })),
        lastSeq: spans.lastSeq,
      });
    },
    listLogs(request) {
      return create(ListLogsResponseSchema, {
        logs: logs.list(request).map((s) => ({ seq: s.seq, origin: s.origin, logRecord: s.item })),
        lastSeq: logs.lastSeq,
      });
    },
    listMetrics(request) {
      return create(ListMetricsResponseSchema, {
        metrics: metrics
          .list(request)
          .map((s) => ({ seq: s.seq, origin: s.origin, metric: s.item })),
        lastSeq: metrics.lastSeq,
      });
    },
    clear() {
      spans.clear();
      logs.clear();
      metrics.clear();
      totals = fresh();
      started = receivedNs();
    },
    written: async () => jsonl?.written(),
    close: async () => jsonl?.close(),
  };
  return sinks;
}

/**
 * Visits the items of every scope of an OTLP request (resource -> scope -> items, the
 * shape all three signals share) with their lazily made origin; returns how many items
 * there were.
 */
function walk<
  R extends { resource?: Resource | undefined },
  S extends { scope?: InstrumentationScope | undefined },
  I,
>(
  resources: R[],
  scopes: (r: R) => S[],
  items: (s: S) => I[],
  visit: (list: I[], origin: () => Origin) => void,
  originOf: (r: Resource | undefined, s: InstrumentationScope | undefined) => Origin,
): number {
  let n = 0;
  for (const r of resources)
    for (const sc of scopes(r)) {
      let origin: Origin | undefined;
      const list = items(sc);
      visit(list, () => {
        origin ??= originOf(r.resource, sc.scope);
        return origin;
      });
      n += list.length;
    }
  return n;
}

/** The decoded items of one scope as a ring entry. */
function run<I>(
  list: readonly I[],
  origin: () => Origin,
  traceId: (item: I) => Uint8Array | undefined,
): ItemRun<I> {
  return { count: list.length, item: (i) => list[i]!, origin, traceId: (i) => traceId(list[i]!) };
}
