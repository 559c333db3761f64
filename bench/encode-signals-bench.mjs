#!/usr/bin/env node
// Encode real SDK log records and metrics to OTLP protobuf, ours (src/encode) vs OTel's
// ProtobufLogsSerializer / ProtobufMetricsSerializer, in one process, interleaved:
//   logs     512 ReadableLogRecords from a LoggerProvider (string body, 4 attributes,
//            half inside a span)
//   metrics  one ResourceMetrics collected from a MeterProvider: a counter, a histogram
//            (explicit buckets), an exponential histogram and a gauge, 128 attribute sets
//            each (512 data points)
// Steady state and cold (a forced GC before each call); byte-identical output checked.
// Budget (DESIGN.md, by analogy with traces): ours >= 2x faster than OTel.
// Options (env): BENCH_ROUNDS (15), BENCH_ITERATIONS (40), BENCH_COLD (30).
import { gzipSync } from 'node:zlib';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { cold, importSources, ratio, requireGc, round3, steady } from './measure.mjs';
import { RESOURCE } from './span-workload.mjs';

requireGc(import.meta.url);
const lib = await importSources(
  'encode-signals',
  `export { Writer, encodeLogsExport, encodeMetricsExport } from './src/encode/index.ts';`,
);
// One writer kept across encodes, as an exporter keeps its own.
const writer = new lib.Writer();
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 40);
const coldCalls = Number(process.env.BENCH_COLD ?? 30);
const resource = resourceFromAttributes(RESOURCE);

function makeLogs(n) {
  const records = [];
  const provider = new LoggerProvider({
    resource,
    processors: [
      { onEmit: (r) => records.push(r), forceFlush: async () => {}, shutdown: async () => {} },
    ],
  });
  const logger = provider.getLogger('@opentelemetry/winston-transport', '0.10.0');
  for (let i = 0; i < n; i++) {
    const ctx =
      i % 2 === 0
        ? trace.setSpanContext(context.active(), {
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            spanId: (0x100000000 + i).toString(16).padStart(16, '0'),
            traceFlags: 1,
          })
        : undefined;
    logger.emit({
      severityNumber: i % 10 === 0 ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: i % 10 === 0 ? 'ERROR' : 'INFO',
      body: `order ${1000 + i} shipped to warehouse ${i % 7} in ${i % 300} ms`,
      attributes: {
        'code.function.name': 'shipOrder',
        'order.id': 1000 + i,
        'warehouse.region': 'eu-west-1',
        'retry.count': i % 3,
      },
      ...(ctx ? { context: ctx } : {}),
    });
  }
  return records;
}

class Reader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

async function makeMetrics(sets) {
  const reader = new Reader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      {
        instrumentName: 'rpc.exp.duration',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('@opentelemetry/instrumentation-http', '0.57.0');
  const counter = meter.createCounter('http.server.requests');
  const histogram = meter.createHistogram('http.server.request.duration', { unit: 'ms' });
  const exp = meter.createHistogram('rpc.exp.duration', { unit: 'ms' });
  const gauge = meter.createGauge('process.memory.usage', { unit: 'By' });
  for (let i = 0; i < sets; i++) {
    const attributes = { 'http.route': `/api/r${i}`, 'http.response.status_code': 200 };
    for (let k = 0; k < 5; k++) {
      counter.add(1, attributes);
      histogram.record((i * 7 + k * 13) % 900, attributes);
      exp.record(((i * 7 + k * 13) % 900) + 0.5, attributes);
    }
    gauge.record(1e8 + i, attributes);
  }
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

const logs = makeLogs(512);
const metrics = await makeMetrics(128);
const suites = {
  logs: {
    ours: () => lib.encodeLogsExport(logs, { writer }),
    otel: () => ProtobufLogsSerializer.serializeRequest(logs),
    items: logs.length,
    unit: 'log records',
  },
  metrics: {
    ours: () => lib.encodeMetricsExport(metrics, { writer }),
    otel: () => ProtobufMetricsSerializer.serializeRequest(metrics),
    items: 512,
    unit: 'data points',
  },
};

const results = [];
for (const [signal, s] of Object.entries(suites)) {
  const a = s.ours();
  const b = s.otel();
  if (Buffer.compare(a, b) !== 0) throw new Error(`${signal}: ours != otel bytes`);
  const m = steady({ ours: s.ours, otel: s.otel }, rounds, iterations);
  const c = cold({ ours: s.ours, otel: s.otel }, coldCalls);
  results.push({
    signal,
    items: s.items,
    oursMs: round3(m.ours.ms),
    otelMs: round3(m.otel.ms),
    ratio: ratio(m.otel.ms, m.ours.ms),
    coldOursMs: round3(c.ours),
    coldOtelMs: round3(c.otel),
    coldRatio: ratio(c.otel, c.ours),
    bytes: a.length,
    gzipBytes: gzipSync(a).length,
  });
}

console.log(
  `\nencode logs and metrics, median of ${rounds} rounds x ${iterations} (cold: ${coldCalls} calls)`,
);
console.log(
  'signal   items                ours ms   otel ms  ratio   cold ours  cold otel  ratio    bytes  gzip',
);
for (const r of results) {
  console.log(
    `${r.signal.padEnd(8)} ${`${r.items} ${suites[r.signal].unit}`.padEnd(18)} ${String(r.oursMs).padStart(9)} ${String(r.otelMs).padStart(9)} ${`${r.ratio}x`.padStart(6)} ${String(r.coldOursMs).padStart(11)} ${String(r.coldOtelMs).padStart(10)} ${`${r.coldRatio}x`.padStart(6)} ${String(r.bytes).padStart(8)} ${String(r.gzipBytes).padStart(5)}`,
  );
}
const met = results.every((r) => r.ratio >= 2 && r.coldRatio >= 2);
console.log(
  `budget: ours >= 2x faster than OTel (byte-identical output): ${met ? 'MET' : 'NOT MET'}`,
);
console.log(JSON.stringify({ bench: 'encode-logs-metrics', rounds, iterations, results }));
