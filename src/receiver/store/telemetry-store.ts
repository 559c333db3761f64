import { create } from '@bufbuild/protobuf';
import type { ExportLogsServiceRequest } from '../../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import type { ExportMetricsServiceRequest } from '../../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import type { ExportTraceServiceRequest } from '../../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { InstrumentationScope } from '../../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type { LogRecord } from '../../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import type { Metric } from '../../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import type { Resource } from '../../../gen/opentelemetry/proto/resource/v1/resource_pb.js';
import type { Span } from '../../../gen/opentelemetry/proto/trace/v1/trace_pb.js';
import {
  type ListLogsResponse,
  ListLogsResponseSchema,
  type ListMetricsResponse,
  ListMetricsResponseSchema,
  type ListRequest,
  type ListSpansResponse,
  ListSpansResponseSchema,
  type Origin,
  OriginSchema,
} from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createRing, type RingLimits } from './ring.js';
import type { Signal } from './stats.js';

/** Recent telemetry in memory, for the query service; bounded per signal. */
export interface TelemetryStore {
  /**
   * Keeps the spans of a validated request; `retainedBytes` is the memory it holds (its
   * buffer and decoded objects, see server/retained-size.ts).
   */
  addTraces(request: ExportTraceServiceRequest, retainedBytes: number): void;
  addMetrics(request: ExportMetricsServiceRequest, retainedBytes: number): void;
  addLogs(request: ExportLogsServiceRequest, retainedBytes: number): void;
  listSpans(request: ListRequest): ListSpansResponse;
  listLogs(request: ListRequest): ListLogsResponse;
  listMetrics(request: ListRequest): ListMetricsResponse;
  /** Items held per signal. */
  stored(): Record<Signal, number>;
  /** Estimated bytes held, all signals. */
  bytes(): number;
  clear(): void;
}

/**
 * Creates the store. Each signal keeps at most `limits.maxItems` items and
 * `limits.maxBytes` estimated bytes (the request's buffer plus its decoded objects).
 */
export function createTelemetryStore(limits: RingLimits, now: () => number): TelemetryStore {
  let seq = 0;
  const nextSeqs = (n: number) => {
    seq += n;
    return seq - n + 1;
  };
  const spans = createRing<Span>(limits, nextSeqs);
  const logs = createRing<LogRecord>(limits, nextSeqs);
  const metrics = createRing<Metric>(limits, nextSeqs);
  const none = () => undefined;
  return {
    addTraces(request, retainedBytes) {
      const run = flatten(
        request.resourceSpans,
        (r) => r.scopeSpans,
        (s) => s.spans,
        now,
      );
      spans.push({ ...run, bytes: retainedBytes, traceId: (s) => s.traceId });
    },
    addMetrics(request, retainedBytes) {
      const run = flatten(
        request.resourceMetrics,
        (r) => r.scopeMetrics,
        (s) => s.metrics,
        now,
      );
      metrics.push({ ...run, bytes: retainedBytes, traceId: none });
    },
    addLogs(request, retainedBytes) {
      const run = flatten(
        request.resourceLogs,
        (r) => r.scopeLogs,
        (s) => s.logRecords,
        now,
      );
      logs.push({ ...run, bytes: retainedBytes, traceId: (l) => l.traceId });
    },
    listSpans: (request) =>
      create(ListSpansResponseSchema, {
        spans: spans.list(request).map((s) => ({ seq: s.seq, origin: s.origin, span: s.item })),
        lastSeq: spans.lastSeq,
      }),
    listLogs: (request) =>
      create(ListLogsResponseSchema, {
        logs: logs.list(request).map((s) => ({ seq: s.seq, origin: s.origin, logRecord: s.item })),
        lastSeq: logs.lastSeq,
      }),
    listMetrics: (request) =>
      create(ListMetricsResponseSchema, {
        metrics: metrics
          .list(request)
          .map((s) => ({ seq: s.seq, origin: s.origin, metric: s.item })),
        lastSeq: metrics.lastSeq,
      }),
    stored: () => ({ traces: spans.size, metrics: metrics.size, logs: logs.size }),
    bytes: () => spans.bytes + metrics.bytes + logs.bytes,
    clear() {
      spans.clear();
      logs.clear();
      metrics.clear();
    },
  };
}

/**
 * The items of every scope of a request (resource -> scope -> items, the shape all three
 * signals share) and the origin of each: items of one scope share one Origin object.
 */
function flatten<
  R extends { resource?: Resource | undefined },
  S extends { scope?: InstrumentationScope | undefined },
  I,
>(resources: R[], scopes: (r: R) => S[], items: (s: S) => I[], now: () => number) {
  const receivedUnixNano = BigInt(now()) * 1_000_000n;
  const all: I[] = [];
  const origins: Origin[] = [];
  for (const r of resources) {
    for (const sc of scopes(r)) {
      const origin = create(OriginSchema, { receivedUnixNano });
      if (r.resource) origin.resource = r.resource;
      if (sc.scope) origin.scope = sc.scope;
      for (const item of items(sc)) {
        all.push(item);
        origins.push(origin);
      }
    }
  }
  return { items: all, origins };
}
