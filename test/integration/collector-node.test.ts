import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcTransport,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
  zstdCompression,
} from '../../src/node/index.js';
import { zlibDecoders } from '../../src/node/zlib-compression.js';
import { attrs, startTestReceiver, type TestReceiver, until } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector, watchDecoders } from '../helpers/collector.js';

// The Node exporters (native gRPC) to a real OpenTelemetry Collector 0.165 (otlp receiver,
// batch, otlp_grpc exporter with gzip), which forwards to the project's receiver: every
// signal, compression none / gzip / zstd, checked item by item where it lands. The
// Collector (grpc-go) answers a compressed request compressed in the same encoding, so
// these exports succeed only because the client decodes the answer; the decoders are
// watched to show which answers came compressed.

let received: TestReceiver;
let collector: RunningCollector;
beforeAll(async () => {
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
});
afterAll(async () => {
  await collector?.stop();
  await received?.close();
});

// Node 20's zlib has no zstd: "zstd" sends gzip there (and zstd from Node 22.15).
const zstdHere = zstdCompression() ? 'zstd' : 'gzip';

describe.each([
  ['none', undefined],
  ['gzip', 'gzip'],
  ['zstd', zstdHere],
] as const)('Node exporters -> Collector, compression %s', (compression, answered) => {
  it(`delivers every span, data point and log record${answered ? `; answers decoded from ${answered}` : ''}`, async () => {
    const decoded: string[] = [];
    const options = () => ({
      url: collector.url,
      compression,
      transport: createGrpcTransport({ decoders: watchDecoders(zlibDecoders(), decoded) }),
    });
    const traces = new OTLPTraceExporter(options());
    const metrics = new OTLPMetricExporter(options());
    const logs = new OTLPLogExporter(options());
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(traces, { maxExportBatchSize: 100 })],
    });
    const meterProvider = new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 }),
      ],
    });
    const loggerProvider = new LoggerProvider({
      processors: [new BatchLogRecordProcessor({ exporter: logs })],
    });
    const tracer = tracerProvider.getTracer('collector-node');
    for (let i = 0; i < 300; i++) {
      tracer
        .startSpan(`op ${compression} ${i}`, {
          attributes: { run: compression, i, 'http.route': '/checkout/:id' },
        })
        .end();
    }
    const counter = meterProvider
      .getMeter('collector-node')
      .createCounter(`requests.${compression}`);
    for (let i = 0; i < 20; i++) counter.add(i + 1, { route: `/r${i}` });
    const logger = loggerProvider.getLogger('collector-node');
    for (let i = 0; i < 150; i++) {
      logger.emit({
        body: `log ${compression} ${i}`,
        severityNumber: SeverityNumber.INFO,
        attributes: { i },
      });
    }
    await Promise.all([
      tracerProvider.shutdown(),
      meterProvider.shutdown(),
      loggerProvider.shutdown(),
    ]);

    for (const exporter of [traces, metrics, logs]) {
      const m = exporter.metrics();
      expect(m, m.signal).toMatchObject({ exportsFailed: 0, responsesUnread: 0, retries: 0 });
      expect(
        Object.values(m.droppedByReason).reduce((a, b) => a + b),
        m.signal,
      ).toBe(0);
    }
    expect(traces.metrics().itemsSent).toBe(300);
    expect(logs.metrics().itemsSent).toBe(150);
    // Requests of 1 KiB and more go compressed; the Collector answers those in kind.
    if (answered) expect(new Set(decoded)).toEqual(new Set([answered]));
    else expect(decoded).toEqual([]);

    const mine = () => received.spans().filter((s) => attrs(s.span.attributes).run === compression);
    await until(() => mine().length >= 300, `300 spans of run ${compression} at the receiver`);
    const spans = mine().map((s) => s.span);
    expect(spans.map((s) => s.name).sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => `op ${compression} ${i}`).sort(),
    );
    for (const span of spans) {
      const a = attrs(span.attributes);
      expect(span.name).toBe(`op ${compression} ${a.i}`);
      expect(a['http.route']).toBe('/checkout/:id');
      expect(span.traceId).toHaveLength(16);
    }
    const myLogs = () =>
      received
        .logs()
        .filter((l) => String(l.record.body?.value.value).startsWith(`log ${compression} `));
    await until(() => myLogs().length >= 150, `150 log records of run ${compression}`);
    for (const { record } of myLogs()) {
      expect(record.body?.value.value).toBe(`log ${compression} ${attrs(record.attributes).i}`);
    }
    expect(myLogs()).toHaveLength(150);
    const points = () =>
      received
        .metrics()
        .filter((m) => m.metric.name === `requests.${compression}`)
        .flatMap((m) => (m.metric.data.case === 'sum' ? m.metric.data.value.dataPoints : []));
    await until(() => points().length >= 20, `20 data points of requests.${compression}`);
    expect(
      Object.fromEntries(points().map((p) => [attrs(p.attributes).route, Number(p.value.value)])),
    ).toEqual(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`/r${i}`, i + 1])));
    // The Collector forwarded with its otlp_grpc exporter, gzip.
    expect(new Set(received.calls.map((c) => `${c.protocol} ${c.encoding} ${c.status}`))).toEqual(
      new Set(['grpc gzip ok']),
    );
  });
});

describe('Node exporter with default options -> Collector', () => {
  it('reports success for gzip exports the Collector answers in gzip', async () => {
    const exporter = new OTLPTraceExporter({ url: collector.url });
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('defaults');
    for (let i = 0; i < 200; i++)
      tracer.startSpan(`default ${i}`, { attributes: { run: 'defaults' } }).end();
    await provider.shutdown();
    expect(exporter.metrics()).toMatchObject({
      itemsSent: 200,
      exportsFailed: 0,
      responsesUnread: 0,
    });
    expect(exporter.metrics().bytesSent).toBeLessThan(exporter.metrics().bytesUncompressed / 2);
    await until(
      () =>
        received.spans().filter((s) => attrs(s.span.attributes).run === 'defaults').length === 200,
      '200 spans with default options',
    );
  });
});
