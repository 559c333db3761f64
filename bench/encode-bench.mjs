#!/usr/bin/env node
// Encode 512 real ReadableSpans (from a BasicTracerProvider; 10 attributes, 2 events and 1
// link each, bench/span-workload.mjs) to an OTLP ExportTraceServiceRequest three ways, in
// one process, interleaved over several rounds:
//   ours      encodeTraceExport (src/encode)
//   otel      @opentelemetry/otlp-transformer ProtobufTraceSerializer.serializeRequest
//   protobuf-es  SDK span -> init object, create() + toBinary() with the gen/ schema
// Reports the median time per encode, steady state and cold (a forced GC before every
// single call), ratios, heap bytes allocated per encode (process.memoryUsage deltas with
// GC forced between measurements; run with --expose-gc, which this script re-executes
// itself with), and wire bytes per span, raw and gzip, ours beside OTel's.
// Budget (DESIGN.md): ours >= 2x faster than OTel's serializer.
// Options (env): BENCH_SPANS (512), BENCH_ROUNDS (15), BENCH_ITERATIONS (40), BENCH_COLD (30).
import { gzipSync } from 'node:zlib';
import {
  cold,
  importSources,
  median,
  ratio as ratioOf,
  requireGc,
  round3,
  steady,
} from './measure.mjs';

requireGc(import.meta.url);
const lib = await importSources(
  'encode',
  [
    `export { Writer, encodeTraceExport } from './src/encode/index.ts';`,
    `export { ExportTraceServiceRequestSchema } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';`,
  ].join('\n'),
);
const { ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
const { create, toBinary } = await import('@bufbuild/protobuf');

const spansCount = Number(process.env.BENCH_SPANS ?? 512);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 40);
const { collectSpans } = await import('./span-workload.mjs');
const spans = await collectSpans(spansCount, '@opentelemetry/instrumentation-http', '0.57.0');

// protobuf-es: the SDK spans become init objects first, as a user of gen/ would do.
const hexBytes = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
const nanos = (t) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const anyValue = (v) => {
  if (typeof v === 'string') return { value: { case: 'stringValue', value: v } };
  if (typeof v === 'boolean') return { value: { case: 'boolValue', value: v } };
  if (typeof v === 'number')
    return Number.isInteger(v)
      ? { value: { case: 'intValue', value: BigInt(v) } }
      : { value: { case: 'doubleValue', value: v } };
  if (Array.isArray(v))
    return { value: { case: 'arrayValue', value: { values: v.map(anyValue) } } };
  return {};
};
const kvs = (attrs) =>
  Object.keys(attrs ?? {}).map((key) => ({ key, value: anyValue(attrs[key]) }));
function protobufEs(list) {
  const byResource = new Map();
  for (const s of list) {
    let byScope = byResource.get(s.resource);
    if (!byScope) {
      byScope = new Map();
      byResource.set(s.resource, byScope);
    }
    const l = byScope.get(s.instrumentationScope);
    if (l) l.push(s);
    else byScope.set(s.instrumentationScope, [s]);
  }
  const resourceSpans = [...byResource].map(([res, byScope]) => ({
    resource: { attributes: kvs(res.attributes) },
    scopeSpans: [...byScope.values()].map((l) => ({
      scope: {
        name: l[0].instrumentationScope.name,
        version: l[0].instrumentationScope.version ?? '',
      },
      spans: l.map((s) => {
        const ctx = s.spanContext();
        return {
          traceId: hexBytes(ctx.traceId),
          spanId: hexBytes(ctx.spanId),
          parentSpanId: s.parentSpanContext
            ? hexBytes(s.parentSpanContext.spanId)
            : new Uint8Array(),
          name: s.name,
          kind: s.kind + 1,
          startTimeUnixNano: nanos(s.startTime),
          endTimeUnixNano: nanos(s.endTime),
          attributes: kvs(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount,
          events: s.events.map((e) => ({
            timeUnixNano: nanos(e.time),
            name: e.name,
            attributes: kvs(e.attributes),
          })),
          links: s.links.map((l) => ({
            traceId: hexBytes(l.context.traceId),
            spanId: hexBytes(l.context.spanId),
            attributes: kvs(l.attributes),
            flags: (l.context.traceFlags & 0xff) | 0x100 | (l.context.isRemote ? 0x200 : 0),
          })),
          status: { code: s.status.code, message: s.status.message ?? '' },
          flags: (ctx.traceFlags & 0xff) | 0x100,
        };
      }),
    })),
  }));
  return toBinary(
    lib.ExportTraceServiceRequestSchema,
    create(lib.ExportTraceServiceRequestSchema, { resourceSpans }),
  );
}

// One writer kept across encodes, as an exporter keeps its own.
const writer = new lib.Writer();
const candidates = {
  ours: () => lib.encodeTraceExport(spans, { writer }),
  otel: () => ProtobufTraceSerializer.serializeRequest(spans),
  'protobuf-es': () => protobufEs(spans),
};
const sizes = Object.fromEntries(Object.entries(candidates).map(([k, f]) => [k, f().length]));
if (Buffer.compare(candidates.ours(), candidates.otel()) !== 0)
  throw new Error('ours != otel bytes');

const measured = steady(candidates, rounds, iterations);
const coldMs = cold(
  { ours: candidates.ours, otel: candidates.otel },
  Number(process.env.BENCH_COLD ?? 30),
);
const ours = measured.ours.ms;
const rows = Object.keys(candidates).map((name) => ({
  encoder: name,
  msPerEncode: round3(measured[name].ms),
  oursFasterBy: ratioOf(measured[name].ms, ours),
  kbAllocatedPerEncode: Math.round(measured[name].heap / 102.4) / 10,
  bytes: sizes[name],
}));
const body = candidates.ours();
const gz = gzipSync(body);
const otelGz = gzipSync(candidates.otel());
console.log(
  `\nencode ${spansCount} real ReadableSpans (10 attributes, 2 events, 1 link), median of ${rounds} rounds x ${iterations} encodes`,
);
console.log('encoder          ms/encode  ours faster by  KB allocated/encode   bytes');
for (const r of rows) {
  console.log(
    `${r.encoder.padEnd(16)} ${String(r.msPerEncode).padStart(9)}  ${`${r.oursFasterBy}x`.padStart(14)}  ${String(r.kbAllocatedPerEncode).padStart(19)}  ${String(r.bytes).padStart(7)}`,
  );
}
const ratio = median([measured.otel.ms]) / ours;
const coldRatio = coldMs.otel / coldMs.ours;
console.log(
  `cold (GC before each call): ours ${round3(coldMs.ours)} ms, otel ${round3(coldMs.otel)} ms, ${coldRatio.toFixed(2)}x`,
);
const perSpan = (n) => Math.round((n / spansCount) * 10) / 10;
console.log(
  `wire bytes/span: ours ${perSpan(body.length)} raw, ${perSpan(gz.length)} gzip; otel ${perSpan(sizes.otel)} raw, ${perSpan(otelGz.length)} gzip`,
);
console.log(
  `budget: ours >= 2x faster than OTel: ${ratio >= 2 && coldRatio >= 2 ? 'MET' : 'NOT MET'} (steady ${ratio.toFixed(2)}x, cold ${coldRatio.toFixed(2)}x)`,
);
console.log(
  JSON.stringify({
    bench: 'encode-traces',
    spans: spansCount,
    rounds,
    iterations,
    results: rows,
    cold: {
      oursMs: round3(coldMs.ours),
      otelMs: round3(coldMs.otel),
      ratio: ratioOf(coldMs.otel, coldMs.ours),
    },
    bytesPerSpan: {
      ours: perSpan(body.length),
      oursGzip: perSpan(gz.length),
      otel: perSpan(sizes.otel),
      otelGzip: perSpan(otelGz.length),
    },
  }),
);

// Logs and metrics, side by side in the same run (bench/encode-signals-bench.mjs).
await import('./encode-signals-bench.mjs');
