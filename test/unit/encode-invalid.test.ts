// Invalid SDK data is encoded by the documented rules of src/encode/limits.ts: never a
// crash, never a corrupt message (every output is decoded with the gen/ schemas), and
// every change counted in EncodeStats.
import { fromBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { AnyValue } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import {
  createEncodeStats,
  type EncodeOptions,
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
  type SpanLike,
} from '../../src/encode/index.js';
import { text } from './encode-arbitraries.js';

const resource = { attributes: {} };
const scope = { name: 'lib' };
function span(over: Record<string, unknown> = {}): SpanLike {
  return {
    name: 'op',
    kind: 1,
    spanContext: () => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    }),
    startTime: [1_700_000_000, 5],
    endTime: [1_700_000_001, 0],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...over,
  } as SpanLike;
}
function decodeSpan(s: SpanLike, options?: EncodeOptions) {
  const request = fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport([s], options));
  return request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
}
const attr = (s: SpanLike, options?: EncodeOptions) => decodeSpan(s, options).attributes[0]!.value!;
function depth(v: AnyValue | undefined): number {
  if (v?.value.case === 'arrayValue') return 1 + Math.max(0, ...v.value.value.values.map(depth));
  if (v?.value.case === 'kvlistValue')
    return 1 + Math.max(0, ...v.value.value.values.map((kv) => depth(kv.value)));
  return 0;
}

describe('invalid SDK data: documented rules, valid output, counted', () => {
  it('keeps NaN and infinite attribute doubles as IEEE doubles; -0 is the integer 0', () => {
    const s = span({ attributes: { nan: Number.NaN, inf: -Infinity, negZero: -0 } });
    const [nan, inf, negZero] = decodeSpan(s).attributes.map((kv) => kv.value?.value);
    expect(nan).toEqual({ case: 'doubleValue', value: Number.NaN });
    expect(inf).toEqual({ case: 'doubleValue', value: -Infinity });
    expect(negZero).toEqual({ case: 'intValue', value: 0n });
  });

  it.each([
    ['NaN', [Number.NaN, 0]],
    ['infinite', [Infinity, 0]],
    ['negative', [-1, 0]],
    ['before the epoch', [-1, 999_999_999]],
    ['negative nanos before the epoch', [0, -3]],
    ['missing', undefined],
    ['past 2116', [5e9, 0]],
  ])('writes a %s timestamp as 0 and counts it', (_name, time) => {
    const stats = createEncodeStats();
    const decoded = decodeSpan(span({ startTime: time, events: [{ name: 'e', time }] }), { stats });
    expect(decoded.startTimeUnixNano).toBe(0n);
    expect(decoded.events[0]!.timeUnixNano).toBe(0n);
    expect(decoded.endTimeUnixNano).toBe(1_700_000_001_000_000_000n);
    expect(stats.invalidTimestamps).toBe(2);
  });

  it('writes lone surrogates as U+FFFD, like TextEncoder', () => {
    fc.assert(
      fc.property(text({ wellFormed: false, extras: false }, 20), (s) => {
        const v = attr(span({ attributes: { s } }));
        expect(v.value).toEqual({
          case: 'stringValue',
          value: new TextDecoder().decode(new TextEncoder().encode(s)),
        });
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('drops values nested deeper than maxAttributeDepth and counts them', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 12; i++) deep = [deep];
    const stats = createEncodeStats();
    expect(depth(attr(span({ attributes: { deep } }), { stats }))).toBe(8);
    expect(stats.droppedValues).toBe(1);
    expect(depth(attr(span({ attributes: { deep } }), { maxAttributeDepth: 3 }))).toBe(3);
    expect(depth(attr(span({ attributes: { deep } }), { maxAttributeDepth: 20 }))).toBe(12);
  });

  it('drops a value inside itself (a cycle) instead of recursing forever', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const list: unknown[] = ['x'];
    list.push(list);
    const stats = createEncodeStats();
    const s = decodeSpan(span({ attributes: { cyclic, list } }), { stats });
    const kv = s.attributes[0]!.value!.value;
    expect(kv.case).toBe('kvlistValue');
    expect(
      kv.case === 'kvlistValue' && kv.value.values.map((x) => [x.key, x.value?.value.case]),
    ).toEqual([
      ['a', 'intValue'],
      ['self', undefined],
    ]);
    expect(stats.droppedValues).toBe(2);
  });

  it('cuts strings past maxStringBytes at a code point boundary and counts them', () => {
    fc.assert(
      fc.property(text({ wellFormed: true, extras: false }, 30), fc.nat(40), (s, max) => {
        const stats = createEncodeStats();
        const decoded = decodeSpan(span({ name: s, attributes: { [s]: s } }), {
          maxStringBytes: max,
          stats,
        });
        const full = Buffer.from(s, 'utf8');
        const got = Buffer.from(decoded.name, 'utf8');
        expect(got.length).toBeLessThanOrEqual(max);
        expect(full.subarray(0, got.length)).toEqual(got); // a prefix, whole code points
        expect(full.length - got.length).toBeLessThan(
          full.length > max ? 4 + full.length - max : 1,
        );
        // name, key and value; and the scope name 'lib'.
        expect(stats.truncatedStrings).toBe((full.length > max ? 3 : 0) + (max < 3 ? 1 : 0));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('cuts a huge string without encoding all of it', () => {
    const huge = 'é'.repeat(5_000_000);
    const stats = createEncodeStats();
    const v = attr(span({ attributes: { huge } }), { stats });
    expect(v.value.case === 'stringValue' && Buffer.byteLength(v.value.value)).toBe(1_048_576);
    expect(stats.truncatedStrings).toBe(1);
  });

  it('survives missing and mistyped fields with a valid message', () => {
    const odd = span({
      name: undefined,
      kind: undefined,
      status: undefined,
      events: undefined,
      links: [{ context: { traceId: 'abc', spanId: 'zz', traceFlags: 0 } }],
      attributes: { sym: Symbol('x'), fn: () => 1, big: 10n },
      droppedAttributesCount: undefined,
    });
    const s = decodeSpan(odd);
    expect(s.name).toBe('');
    expect(s.kind).toBe(0);
    expect(s.links[0]!.traceId.length).toBe(1); // odd hex digit ignored
    expect(s.attributes.map((kv) => kv.value?.value.case)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(() =>
      fromBinary(
        ExportLogsServiceRequestSchema,
        encodeLogsExport([{ resource, attributes: {} } as never]),
      ),
    ).not.toThrow();
  });

  it('leaves out a metric of an unknown kind and survives histograms without buckets', () => {
    const stats = createEncodeStats();
    const bytes = encodeMetricsExport(
      {
        resource,
        scopeMetrics: [
          {
            scope,
            metrics: [
              {
                descriptor: { name: 'x' },
                aggregationTemporality: 0,
                dataPointType: 7,
                dataPoints: [],
              },
              {
                descriptor: { name: 'h' },
                aggregationTemporality: 1,
                dataPointType: 0,
                dataPoints: [
                  {
                    startTime: [1, 0],
                    endTime: [2, 0],
                    attributes: {},
                    value: { count: 1 } as never,
                  },
                ],
              },
            ],
          },
        ],
      },
      { stats },
    );
    const m = fromBinary(ExportMetricsServiceRequestSchema, bytes).resourceMetrics[0]!
      .scopeMetrics[0]!.metrics;
    expect(m.map((x) => x.name)).toEqual(['h']);
    expect(stats.droppedValues).toBe(1);
  });

  it('reads SDK 1.x shapes: parentSpanId and instrumentationLibrary', () => {
    const old = span({
      instrumentationScope: undefined,
      instrumentationLibrary: { name: 'old-lib', version: '0.1' },
      parentSpanId: '00f067aa0ba902b7',
    });
    const request = fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport([old]));
    const ss = request.resourceSpans[0]!.scopeSpans[0]!;
    expect(ss.scope).toMatchObject({ name: 'old-lib', version: '0.1' });
    expect(Buffer.from(ss.spans[0]!.parentSpanId).toString('hex')).toBe('00f067aa0ba902b7');
  });
});
