// An independent mapping from SDK-shaped objects to protobuf-es init objects (no code
// shared with src/encode): the oracle of the round-trip and property tests. Not a test file.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type {
  AnyValueSchema,
  KeyValueSchema,
} from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type {
  ExemplarLike,
  ExponentialHistogramLike,
  HistogramLike,
  LogRecordLike,
  MetricDataLike,
  ResourceMetricsLike,
  ScopeLike,
  SpanLike,
} from '../../src/encode/index.js';

type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

export const id = (hex: string | undefined) => Uint8Array.from(Buffer.from(hex ?? '', 'hex'));
export const ns = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

// UTF-8 cannot carry a lone surrogate: it becomes U+FFFD, as TextEncoder does.
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

export function anyValue(v: unknown): AnyValueInit {
  if (typeof v === 'string') return { value: { case: 'stringValue', value: wellFormed(v) } };
  if (typeof v === 'boolean') return { value: { case: 'boolValue', value: v } };
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63
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
export const kvs = (attrs: Record<string, unknown> | undefined): KeyValueInit[] =>
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

const scopeInit = (s: ScopeLike) => ({
  name: s.name,
  version: s.version ?? '',
  attributes: kvs(s.attributes as Record<string, unknown>),
  droppedAttributesCount: s.droppedAttributesCount ?? 0,
});
const flags = (traceFlags: number, isRemote: boolean | undefined) =>
  traceFlags | 0x100 | (isRemote ? 0x200 : 0);

export function expectedTrace(spans: (SpanLike & { instrumentationScope: ScopeLike })[]) {
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

export function expectedLogs(logs: (LogRecordLike & { instrumentationScope: ScopeLike })[]) {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: groups(logs).map((g) => ({
      resource: { attributes: kvs(g.resource.attributes as Record<string, unknown>) },
      schemaUrl: g.resource.schemaUrl ?? '',
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
  const isInt = m.descriptor.valueType === 0;
  const exemplar = (e: ExemplarLike) => ({
    filteredAttributes: kvs(e.filteredAttributes as Record<string, unknown>),
    timeUnixNano: ns(e.time),
    value: isInt
      ? { case: 'asInt' as const, value: BigInt(e.value) }
      : { case: 'asDouble' as const, value: e.value },
    spanId: id(e.spanId),
    traceId: id(e.traceId),
  });
  const common = (p: MetricDataLike['dataPoints'][number]) => ({
    startTimeUnixNano: ns(p.startTime),
    timeUnixNano: ns(p.endTime),
    attributes: kvs(p.attributes as Record<string, unknown>),
    exemplars: (p.exemplars ?? []).map(exemplar),
    flags: p.flags ?? 0,
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
              const h = p.value as HistogramLike;
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
              const h = p.value as ExponentialHistogramLike;
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

export function expectedMetrics(rm: ResourceMetricsLike) {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        resource: { attributes: kvs(rm.resource.attributes as Record<string, unknown>) },
        schemaUrl: rm.resource.schemaUrl ?? '',
        scopeMetrics: rm.scopeMetrics.map((sm) => ({
          scope: scopeInit(sm.scope),
          schemaUrl: sm.scope.schemaUrl ?? '',
          metrics: sm.metrics.map(expectedMetric),
        })),
      },
    ],
  });
}
