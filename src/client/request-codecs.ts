import { create, isMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
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
import type { Metric } from '../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import { type EncodedRequest, encodedCodec } from '../protocol/encoded-codec.js';

export type { EncodedRequest } from '../core/signal-codec.js';

/** A trace export request: a generated message or its init object. */
export type TraceRequestInput =
  | ExportTraceServiceRequest
  | MessageInitShape<typeof ExportTraceServiceRequestSchema>;
/** A metrics export request: a generated message or its init object. */
export type MetricsRequestInput =
  | ExportMetricsServiceRequest
  | MessageInitShape<typeof ExportMetricsServiceRequestSchema>;
/** A logs export request: a generated message or its init object. */
export type LogsRequestInput =
  | ExportLogsServiceRequest
  | MessageInitShape<typeof ExportLogsServiceRequestSchema>;

/** Serializes a trace request and counts its spans. */
export function encodeTraceRequest(input: TraceRequestInput): EncodedRequest {
  const message = isMessage(input, ExportTraceServiceRequestSchema)
    ? input
    : create(ExportTraceServiceRequestSchema, input);
  let count = 0;
  for (const rs of message.resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  return { bytes: toBinary(ExportTraceServiceRequestSchema, message), count };
}

/** Serializes a metrics request and counts its data points (the OTLP unit for metrics). */
export function encodeMetricsRequest(input: MetricsRequestInput): EncodedRequest {
  const message = isMessage(input, ExportMetricsServiceRequestSchema)
    ? input
    : create(ExportMetricsServiceRequestSchema, input);
  let count = 0;
  for (const rm of message.resourceMetrics)
    for (const sm of rm.scopeMetrics) for (const m of sm.metrics) count += dataPointCount(m);
  return { bytes: toBinary(ExportMetricsServiceRequestSchema, message), count };
}

/** Serializes a logs request and counts its log records. */
export function encodeLogsRequest(input: LogsRequestInput): EncodedRequest {
  const message = isMessage(input, ExportLogsServiceRequestSchema)
    ? input
    : create(ExportLogsServiceRequestSchema, input);
  let count = 0;
  for (const rl of message.resourceLogs)
    for (const sl of rl.scopeLogs) count += sl.logRecords.length;
  return { bytes: toBinary(ExportLogsServiceRequestSchema, message), count };
}

/** Data points in one metric, whatever its type. */
export function dataPointCount(metric: Metric): number {
  const data = metric.data;
  return data.case === undefined ? 0 : data.value.dataPoints.length;
}

/** Codecs for pre-built requests, one per signal. */
export const requestCodecs = {
  traces: encodedCodec('traces', 'trace.v1.TraceService'),
  metrics: encodedCodec('metrics', 'metrics.v1.MetricsService'),
  logs: encodedCodec('logs', 'logs.v1.LogsService'),
};
