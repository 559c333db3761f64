#!/usr/bin/env node
// The receiver's cost per trace request, in process (no network): the full path
// (protobuf-es fromBinary of the whole request, then validation and storage, which the
// receiver still takes when a JSONL file is configured) against the wire path it takes
// otherwise (wire-scan.ts validates every field and id without building objects; items
// are stored as bytes and decoded only if the query API returns them). 512 real spans,
// 10 attributes, 2 events, 1 link each. Options (env): BENCH_ROUNDS (15), BENCH_ITERATIONS (40).
import { importSources, ratio, requireGc, round3, steady } from './measure.mjs';
import { collectSpans } from './span-workload.mjs';

requireGc(import.meta.url);
const lib = await importSources(
  'receiver',
  [
    `export { encodeTraceExport } from './src/encode/index.ts';`,
    `export { createReceiverSinks } from './src/receiver/sinks.ts';`,
    `export { scanRequest } from './src/receiver/item-scan.ts';`,
    `export { ExportTraceServiceRequestSchema } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';`,
  ].join('\n'),
);
const { fromBinary } = await import('@bufbuild/protobuf');

const spans = await collectSpans(512);
const payload = lib.encodeTraceExport(spans);
const full = lib.createReceiverSinks({ maxStoredItems: 1000 });
const wire = lib.createReceiverSinks({ maxStoredItems: 1000 });
const candidates = {
  'full decode': () =>
    full.ingestTraces(fromBinary(lib.ExportTraceServiceRequestSchema, payload), payload.length),
  'wire scan': () => wire.ingestScanned(lib.scanRequest('traces', payload), payload.length),
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 40);
const m = steady(candidates, rounds, iterations);
const rows = Object.entries(m).map(([path, r]) => ({
  path,
  msPerRequest: round3(r.ms),
  spansPerSecond: Math.round(512 / (r.ms / 1000)),
}));
console.log(
  `\nreceiver ingest of one 512-span trace request (${payload.length} bytes), median of ${rounds} x ${iterations}`,
);
console.log('path          ms/request  spans/s');
for (const r of rows) {
  console.log(
    `${r.path.padEnd(12)} ${String(r.msPerRequest).padStart(11)} ${String(r.spansPerSecond).padStart(8)}`,
  );
}
const speedup = ratio(m['full decode'].ms, m['wire scan'].ms);
console.log(`wire scan is ${speedup}x cheaper per request`);
console.log(
  JSON.stringify({
    bench: 'receiver-ingest',
    spans: 512,
    bytes: payload.length,
    results: rows,
    speedup,
  }),
);
