#!/usr/bin/env node
// Encode 512 real ReadableSpans (from a BasicTracerProvider) to an OTLP
// ExportTraceServiceRequest three ways, in one process, interleaved over several rounds:
//   ours      encodeTraceExport (src/encode)
//   otel      @opentelemetry/otlp-transformer ProtobufTraceSerializer.serializeRequest
//   protobuf-es  SDK span -> init object, create() + toBinary() with the gen/ schema
// Reports the median time per encode, ratios, and heap bytes allocated per encode (from
// process.memoryUsage deltas with GC forced between measurements; run with --expose-gc,
// which this script re-executes itself with). Also measures the two length-prefix
// strategies of the writer (fork/join in place vs an exact two-pass size computation).
// Budget (DESIGN.md): ours >= 2x faster than OTel's serializer.
// Options (env): BENCH_SPANS (512), BENCH_ROUNDS (15), BENCH_ITERATIONS (40).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

if (typeof globalThis.gc !== 'function') {
  execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
  });
  process.exit(0);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'otlp-grpc-web-bench', 'encode.mjs');
mkdirSync(dirname(outfile), { recursive: true });
const { build } = await import('esbuild');
// Compile the TypeScript sources (encoder, fixtures, gen/ schema) into one ES module.
await build({
  stdin: {
    contents: [
      `export { encodeTraceExport } from './src/encode/index.ts';`,
      `export { makeRealisticSpans } from './test/unit/encode-fixtures.ts';`,
      `export { encodeTraceTwoPass } from './bench/two-pass-trace.ts';`,
      `export { ExportTraceServiceRequestSchema } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';`,
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile,
  logLevel: 'error',
});
const lib = await import(pathToFileURL(outfile).href);
const { ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
const { create, toBinary } = await import('@bufbuild/protobuf');

const spansCount = Number(process.env.BENCH_SPANS ?? 512);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 40);
const spans = lib.makeRealisticSpans(spansCount);

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

const candidates = {
  ours: () => lib.encodeTraceExport(spans),
  otel: () => ProtobufTraceSerializer.serializeRequest(spans),
  'protobuf-es': () => protobufEs(spans),
  'ours-two-pass': () => lib.encodeTraceTwoPass(spans),
};
const sizes = Object.fromEntries(Object.entries(candidates).map(([k, f]) => [k, f().length]));
if (Buffer.compare(candidates.ours(), candidates.otel()) !== 0)
  throw new Error('ours != otel bytes');
if (Buffer.compare(candidates.ours(), candidates['ours-two-pass']()) !== 0)
  throw new Error('two-pass bytes differ');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
const heap = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
for (let r = 0; r < rounds + 2; r++) {
  for (const [name, fn] of Object.entries(candidates)) {
    globalThis.gc();
    const before = process.memoryUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
    const after = process.memoryUsage();
    // Two warm-up rounds are not recorded.
    if (r < 2) continue;
    times[name].push(ms);
    heap[name].push(
      (after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers) / iterations,
    );
  }
}

const ours = median(times.ours);
const rows = Object.keys(candidates).map((name) => ({
  encoder: name,
  msPerEncode: Math.round(median(times[name]) * 1000) / 1000,
  oursFasterBy: Math.round((median(times[name]) / ours) * 100) / 100,
  kbAllocatedPerEncode: Math.round(median(heap[name]) / 102.4) / 10,
  bytes: sizes[name],
}));
const body = candidates.ours();
const gz = gzipSync(body);
console.log(
  `\nencode ${spansCount} real ReadableSpans, median of ${rounds} rounds x ${iterations} encodes`,
);
console.log('encoder          ms/encode  ours faster by  KB allocated/encode   bytes');
for (const r of rows) {
  console.log(
    `${r.encoder.padEnd(16)} ${String(r.msPerEncode).padStart(9)}  ${`${r.oursFasterBy}x`.padStart(14)}  ${String(r.kbAllocatedPerEncode).padStart(19)}  ${String(r.bytes).padStart(7)}`,
  );
}
const ratio = median(times.otel) / ours;
console.log(
  `gzip: ${body.length} -> ${gz.length} bytes (${Math.round((body.length / gz.length) * 10) / 10}x)`,
);
console.log(
  `budget: ours >= 2x faster than OTel: ${ratio >= 2 ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x)`,
);
console.log(
  JSON.stringify({ bench: 'encode-traces', spans: spansCount, rounds, iterations, results: rows }),
);
