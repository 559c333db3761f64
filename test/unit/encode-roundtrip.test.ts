import { create, fromBinary, type MessageInitShape, toJson } from '@bufbuild/protobuf';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type {
  AnyValueSchema,
  KeyValueSchema,
} from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import {
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
  type LogRecordLike,
  type MetricDataLike,
  type ResourceMetricsLike,
  type SpanLike,
} from '../../src/encode/index.js';
import { makeEveryLog, makeEveryMetric, makeEverySpan } from './encode-fixtures.js';

// Round trip through the generated schemas: decode our bytes with protobuf-es and compare
// with a request built field by field from the same SDK objects by an independent, plain
// mapping (no shared code with src/encode). Compared as canonical JSON for readable diffs.

type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

const id = (hex: string | undefined) => Uint8Array.from(Buffer.from(hex ?? '', 'hex'));
const ns = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

// UTF-8 cannot carry a lone surrogate: it becomes U+FFFD, as TextEncoder does.
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

function anyValue(v: unknown): AnyValueInit {
  if (typeof v === 'string') return { value: { case: 'stringValue', value: wellFormed(v) } };
  if (typeof v === 'boolean') return { value: { case: 'boolValue', value: v } };
  if (typeof v === 'number') {
    return Number.isInteger(v) && Math.abs(v) <= 2 ** 63
      ? { value: { case: 'intValue', value: BigInt(v) } }
      : { value: { case: 'doubleValue', value: v } };
  }
  if (v instanceof Uint8Array) return { value: { case: 'bytesValue', value: v } };
  if (Array.isArray(v))
    return { value: { case: 'arrayValue', value: { values: v.map(anyValue) } } };
  if (v && typeof v === 'object') {
    return { value: { case: 'kvlistValue', value: { values: kvs(v as Record<string, unknown>) } } };
  }
  return {};
}
const kvs = (attrs: Record<string, unknown> | undefined): KeyValueInit[] =>
  Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));

function groups<T extends { resource: unknown; instrumentationScope: unknown }>(items: T[]) {
  const out: {
    resource: T['resource'];
    scopes: { scope: T['instrumentationScope']; items: T[] }[];
  }[] = [];
  for (const item of items) {
    let r = out.find((g) => g.resource === item.resource);
    if (!r) {
      r = { resource: item.resource, scopes: [] };
      out.push(r);
    }
    let s = r.scopes.find((g) => g.scope === item.instrumentationScope);
    if (!s) {
      s = { scope: item.instrumentationScope, items: [] };
      r.scopes.push(s);
    }
    s.items.push(item);
  }
  return out;
}

const scopeInit = (s: SpanLike['instrumentationScope']) => ({
  name: s.name,
  version: s.version ?? '',
  attributes: kvs(s.attributes as Record<string, unknown>),
  droppedAttributesCount: s.droppedAttributesCount ?? 0,
});
const flags = (traceFlags: number, isRemote: boolean | undefined) =>
  traceFlags | 0x100 | (isRemote ? 0x200 : 0);

function expectedTrace(spans: SpanLike[]) {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: groups(spans).map((g) => ({
      resource: { attributes: kvs(g.resource.attributes as Record<string, unknown>) },
      schemaUrl: g.resource.schemaUrl ?? '',
      scopeSpans: g.scopes.map((s) => ({
        scope: scopeInit(s.scope),
        schemaUrl: s.scope.schemaUrl ?? '',
        spans: s.items.map((span) => {
          const ctx = span.spanContext();
          return {
            traceId: id(ctx.traceId),
            spanId: id(ctx.spanId),
            traceState: ctx.traceState?.serialize() ?? '',
            parentSpanId: id(span.parentSpanContext?.spanId),
            name: span.name,
            kind: span.kind + 1,
            startTimeUnixNano: ns(span.startTime),
            endTimeUnixNano: ns(span.endTime),
            attributes: kvs(span.attributes as Record<string, unknown>),
            droppedAttributesCount: span.droppedAttributesCount,
            events: span.events.map((e) => ({
              timeUnixNano: ns(e.time),
              name: e.name,
              attributes: kvs(e.attributes as Record<string, unknown>),
              droppedAttributesCount: e.droppedAttributesCount ?? 0,
            })),
            droppedEventsCount: span.droppedEventsCount,
            links: span.links.map((l) => ({
              traceId: id(l.context.traceId),
              spanId: id(l.context.spanId),
              traceState: l.context.traceState?.serialize() ?? '',
              attributes: kvs(l.attributes as Record<string, unknown>),
              droppedAttributesCount: l.droppedAttributesCount ?? 0,
              flags: flags(l.context.traceFlags, l.context.isRemote),
            })),
            droppedLinksCount: span.droppedLinksCount,
            status: { code: span.status.code, message: span.status.message ?? '' },
            flags: flags(ctx.traceFlags, span.parentSpanContext?.isRemote),
          };
        }),
      })),
    })),
  });
}

function expectedLogs(logs: LogRecordLike[]) {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: groups(logs).map((g) => ({
      resource: { attributes: kvs(g.resource.attributes as Record<string, unknown>) },
      scopeLogs: g.scopes.map((s) => ({
        scope: scopeInit(s.scope),
        schemaUrl: s.scope.schemaUrl ?? '',
        logRecords: s.items.map((r) => ({
          timeUnixNano: ns(r.hrTime),
          observedTimeUnixNano: ns(r.hrTimeObserved),
          severityNumber: r.severityNumber ?? 0,
          severityText: r.severityText ?? '',
          ...(r.body === undefined ? {} : { body: anyValue(r.body) }),
          attributes: kvs(r.attributes as Record<string, unknown>),
          droppedAttributesCount: r.droppedAttributesCount,
          flags: r.spanContext?.traceFlags ?? 0,
          traceId: id(r.spanContext?.traceId),
          spanId: id(r.spanContext?.spanId),
          eventName: r.eventName ?? '',
        })),
      })),
    })),
  });
}

function expectedMetric(m: MetricDataLike) {
  const common = (p: MetricDataLike['dataPoints'][number]) => ({
    startTimeUnixNano: ns(p.startTime),
    timeUnixNano: ns(p.endTime),
    attributes: kvs(p.attributes as Record<string, unknown>),
  });
  const numberPoints = () =>
    m.dataPoints.map((p) => ({
      ...common(p),
      value:
        m.descriptor.valueType === 0
          ? { case: 'asInt' as const, value: BigInt(p.value as number) }
          : { case: 'asDouble' as const, value: p.value as number },
    }));
  const aggregationTemporality = m.aggregationTemporality + 1;
  const data = (() => {
    switch (m.dataPointType) {
      case 2:
        return { case: 'gauge' as const, value: { dataPoints: numberPoints() } };
      case 3:
        return {
          case: 'sum' as const,
          value: {
            dataPoints: numberPoints(),
            aggregationTemporality,
            isMonotonic: !!m.isMonotonic,
          },
        };
      case 0:
        return {
          case: 'histogram' as const,
          value: {
            aggregationTemporality,
            dataPoints: m.dataPoints.map((p) => {
              const h = p.value as import('../../src/encode/index.js').HistogramLike;
              return {
                ...common(p),
                count: BigInt(h.count),
                ...(h.sum === undefined ? {} : { sum: h.sum }),
                ...(h.min === undefined ? {} : { min: h.min }),
                ...(h.max === undefined ? {} : { max: h.max }),
                bucketCounts: h.buckets.counts.map(BigInt),
                explicitBounds: [...h.buckets.boundaries],
              };
            }),
          },
        };
      default:
        return {
          case: 'exponentialHistogram' as const,
          value: {
            aggregationTemporality,
            dataPoints: m.dataPoints.map((p) => {
              const h = p.value as import('../../src/encode/index.js').ExponentialHistogramLike;
              return {
                ...common(p),
                count: BigInt(h.count),
                ...(h.sum === undefined ? {} : { sum: h.sum }),
                ...(h.min === undefined ? {} : { min: h.min }),
                ...(h.max === undefined ? {} : { max: h.max }),
                scale: h.scale,
                zeroCount: BigInt(h.zeroCount),
                positive: {
                  offset: h.positive.offset,
                  bucketCounts: h.positive.bucketCounts.map(BigInt),
                },
                negative: {
                  offset: h.negative.offset,
                  bucketCounts: h.negative.bucketCounts.map(BigInt),
                },
              };
            }),
          },
        };
    }
  })();
  return {
    name: m.descriptor.name,
    description: m.descriptor.description ?? '',
    unit: m.descriptor.unit ?? '',
    data,
  };
}

function expectedMetrics(rm: ResourceMetricsLike) {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        resource: { attributes: kvs(rm.resource.attributes as Record<string, unknown>) },
        scopeMetrics: rm.scopeMetrics.map((sm) => ({
          scope: scopeInit(sm.scope),
          schemaUrl: sm.scope.schemaUrl ?? '',
          metrics: sm.metrics.map(expectedMetric),
        })),
      },
    ],
  });
}

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

  it('metrics: an unknown data point type is refused with its name', () => {
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
    expect(() => encodeMetricsExport(metrics)).toThrow(/weird.*dataPointType 9/);
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
