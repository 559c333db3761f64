import { fromBinary, toJson } from '@bufbuild/protobuf';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import {
  createEncodeStats,
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
  type ResourceMetricsLike,
} from '../../src/encode/index.js';
import { expectedLogs, expectedMetrics, expectedTrace } from './encode-expected.js';
import { makeEveryLog, makeEveryMetric, makeEverySpan } from './encode-fixtures.js';

// Round trip through the generated schemas: decode our bytes with protobuf-es and compare
// with a request built field by field from the same SDK objects by an independent, plain
// mapping (no shared code with src/encode). Compared as canonical JSON for readable diffs.

describe('round trip through the generated schemas', () => {
  it('traces', () => {
    const spans = makeEverySpan();
    const decoded = fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport(spans));
    expect(toJson(ExportTraceServiceRequestSchema, decoded)).toEqual(
      toJson(ExportTraceServiceRequestSchema, expectedTrace(spans)),
    );
    // The fixture really covers what the comparison relies on.
    expect(decoded.resourceSpans).toHaveLength(2);
    expect(decoded.resourceSpans[0]!.scopeSpans).toHaveLength(2);
    const all = decoded.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(all).toHaveLength(6);
    expect(all.some((s) => s.links.some((l) => l.traceState === 'k=v'))).toBe(true);
    expect(all.some((s) => s.flags === 0x301 && s.traceState !== '')).toBe(true);
    expect(all.some((s) => s.droppedEventsCount > 0 && s.droppedLinksCount === 0)).toBe(true);
    expect(all.some((s) => s.events.some((e) => e.attributes.length === 3))).toBe(true);
  });

  it.each([AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA])(
    'metrics from a MeterProvider (temporality %d)',
    async (temporality) => {
      const metrics = await makeEveryMetric(temporality);
      const decoded = fromBinary(ExportMetricsServiceRequestSchema, encodeMetricsExport(metrics));
      expect(toJson(ExportMetricsServiceRequestSchema, decoded)).toEqual(
        toJson(ExportMetricsServiceRequestSchema, expectedMetrics(metrics)),
      );
      const cases = decoded.resourceMetrics[0]!.scopeMetrics.flatMap((s) =>
        s.metrics.map((m) => m.data.case),
      );
      expect(new Set(cases)).toEqual(
        new Set(['sum', 'gauge', 'histogram', 'exponentialHistogram']),
      );
    },
  );

  it('metrics the SDK API cannot produce: negative buckets, huge counts, negative ints', () => {
    const point = <T>(value: T, attributes = {}) => ({
      startTime: [1_700_000_000, 1] as const,
      endTime: [1_700_000_060, 999_999_999] as const,
      attributes,
      value,
    });
    const metrics: ResourceMetricsLike = {
      resource: { attributes: { 'service.name': 'x' }, schemaUrl: 'https://r/1' },
      scopeMetrics: [
        {
          scope: { name: 's', attributes: { a: 1 }, droppedAttributesCount: 2 },
          metrics: [
            {
              descriptor: { name: 'exp', valueType: 1 },
              aggregationTemporality: 0,
              dataPointType: 1,
              dataPoints: [
                point({
                  count: 2 ** 33 + 5,
                  sum: -12.5,
                  scale: -4,
                  zeroCount: 2 ** 32,
                  positive: { offset: 0, bucketCounts: [] },
                  negative: { offset: -300, bucketCounts: [1, 0, 2 ** 40, 127, 128] },
                  min: -100,
                  max: -0.001,
                }),
              ],
            },
            {
              descriptor: { name: 'hist-no-sum' },
              aggregationTemporality: 1,
              dataPointType: 0,
              dataPoints: [point({ buckets: { boundaries: [], counts: [3] }, count: 3 })],
            },
            {
              descriptor: { name: 'int-gauge', valueType: 0 },
              aggregationTemporality: 1,
              dataPointType: 2,
              dataPoints: [point(-(2 ** 40)), point(Number.MIN_SAFE_INTEGER, { k: 'v' })],
            },
          ],
        },
      ],
    };
    const decoded = fromBinary(ExportMetricsServiceRequestSchema, encodeMetricsExport(metrics));
    const expected = expectedMetrics(metrics);
    expected.resourceMetrics[0]!.schemaUrl = 'https://r/1';
    expect(toJson(ExportMetricsServiceRequestSchema, decoded)).toEqual(
      toJson(ExportMetricsServiceRequestSchema, expected),
    );
  });

  it('metrics: a metric of an unknown data point type is left out and counted', () => {
    const metrics: ResourceMetricsLike = {
      resource: { attributes: {} },
      scopeMetrics: [
        {
          scope: { name: 's' },
          metrics: [
            {
              descriptor: { name: 'weird' },
              aggregationTemporality: 0,
              dataPointType: 9,
              dataPoints: [],
            },
          ],
        },
      ],
    };
    const stats = createEncodeStats();
    const decoded = fromBinary(
      ExportMetricsServiceRequestSchema,
      encodeMetricsExport(metrics, { stats }),
    );
    expect(decoded.resourceMetrics[0]?.scopeMetrics[0]?.metrics).toEqual([]);
    expect(stats.droppedValues).toBe(1);
  });

  it('logs', () => {
    const logs = makeEveryLog();
    const decoded = fromBinary(ExportLogsServiceRequestSchema, encodeLogsExport(logs));
    expect(toJson(ExportLogsServiceRequestSchema, decoded)).toEqual(
      toJson(ExportLogsServiceRequestSchema, expectedLogs(logs)),
    );
    const records = decoded.resourceLogs[0]!.scopeLogs.flatMap((s) => s.logRecords);
    expect(records).toHaveLength(6);
    expect(records[0]!.traceId.length).toBe(16);
    expect(records.map((r) => r.body?.value.case)).toEqual([
      'stringValue',
      'kvlistValue',
      'arrayValue',
      'bytesValue',
      'intValue',
      undefined,
    ]);
  });
});
