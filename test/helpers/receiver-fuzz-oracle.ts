// What the receiver must answer to a request, worked out independently of its code: the
// reference decoder (protobuf-es fromBinary with its default options) decides whether a
// message parses, and OTLP's id rules, written again here, decide which items are kept.
import { type DescMessage, fromBinary } from '@bufbuild/protobuf';
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

export type FuzzSignal = 'traces' | 'metrics' | 'logs';

export const SCHEMAS: Record<FuzzSignal, DescMessage> = {
  traces: ExportTraceServiceRequestSchema,
  metrics: ExportMetricsServiceRequestSchema,
  logs: ExportLogsServiceRequestSchema,
};

/** Items a valid message holds: kept and rejected. */
export interface Expected {
  accepted: number;
  rejected: number;
}

const zero = (b: Uint8Array) => b.every((x) => x === 0);
const id = (b: Uint8Array, n: number, optional: boolean) =>
  (optional && b.length === 0) || (b.length === n && !zero(b));

/** The items of `payload`, or undefined when the reference decoder refuses it. */
export function expectedItems(signal: FuzzSignal, payload: Uint8Array): Expected | undefined {
  let message: unknown;
  try {
    message = fromBinary(SCHEMAS[signal], payload);
  } catch {
    return undefined;
  }
  const out = { accepted: 0, rejected: 0 };
  const count = (ok: boolean) => {
    if (ok) out.accepted++;
    else out.rejected++;
  };
  if (signal === 'traces') {
    const m = message as ExportTraceServiceRequest;
    for (const rs of m.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const s of ss.spans)
          count(id(s.traceId, 16, false) && id(s.spanId, 8, false) && id(s.parentSpanId, 8, true));
  } else if (signal === 'logs') {
    const m = message as ExportLogsServiceRequest;
    for (const rl of m.resourceLogs)
      for (const sl of rl.scopeLogs)
        for (const r of sl.logRecords)
          count(
            id(r.traceId, 16, true) &&
              id(r.spanId, 8, true) &&
              !(r.spanId.length > 0 && r.traceId.length === 0),
          );
  } else {
    const m = message as ExportMetricsServiceRequest;
    for (const rm of m.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const metric of sm.metrics) {
          if (metric.data.case === undefined) continue;
          for (const p of metric.data.value.dataPoints) {
            const exemplars =
              (p as { exemplars?: { traceId: Uint8Array; spanId: Uint8Array }[] }).exemplars ?? [];
            count(
              metric.name !== '' &&
                exemplars.every((e) => id(e.traceId, 16, true) && id(e.spanId, 8, true)),
            );
          }
        }
  }
  return out;
}
