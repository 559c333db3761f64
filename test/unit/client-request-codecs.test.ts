import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import {
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  requestCodecs,
} from '../../src/client/request-codecs.js';
import {
  createRandom,
  syntheticLogs,
  syntheticMetrics,
  syntheticTraces,
} from '../../src/loadgen/synthetic.js';

const now = 1_700_000_000_000_000_000n;

describe('request codecs', () => {
  it('counts spans, log records and metric data points', () => {
    const random = createRandom(7);
    expect(encodeTraceRequest(syntheticTraces(37, random, now)).count).toBe(37);
    expect(encodeLogsRequest(syntheticLogs(11, random, now)).count).toBe(11);
    expect(encodeMetricsRequest(syntheticMetrics(10, random, now)).count).toBe(10);
    expect(encodeTraceRequest({}).count).toBe(0);
  });

  it('batches by concatenation into one valid request holding every item', () => {
    const random = createRandom(3);
    const a = encodeTraceRequest(syntheticTraces(5, random, now));
    const b = encodeTraceRequest(syntheticTraces(7, random, now));
    const merged = fromBinary(ExportTraceServiceRequestSchema, requestCodecs.traces.encode([a, b]));
    expect(merged.resourceSpans).toHaveLength(2);
    const spans = merged.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans).toHaveLength(12);
    expect(spans.every((s) => s.traceId.length === 16 && s.spanId.length === 8)).toBe(true);
  });

  it('round-trips metrics of every synthetic kind', () => {
    const encoded = encodeMetricsRequest(syntheticMetrics(9, createRandom(1), now));
    const decoded = fromBinary(ExportMetricsServiceRequestSchema, encoded.bytes);
    const kinds = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => m.data.case);
    expect(kinds).toEqual(['sum', 'histogram', 'gauge']);
  });

  it('names the OTLP method paths', () => {
    expect(requestCodecs.traces.path).toBe(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    );
    expect(requestCodecs.metrics.path).toBe(
      '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    );
    expect(requestCodecs.logs.path).toBe(
      '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    );
  });
});
