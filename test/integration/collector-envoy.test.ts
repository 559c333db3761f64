import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { streamDecoders } from '../../src/web/compression.js';
import {
  createGrpcWebTransport,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../../src/web/index.js';
import { attrs, startTestReceiver, type TestReceiver, until } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector, watchDecoders } from '../helpers/collector.js';

// The gRPC-web exporters (fetch, CompressionStream; Node's fetch here, Chromium in the e2e
// suite) through the project's Envoy (gRPC-web -> gRPC) to a real OpenTelemetry Collector,
// which forwards to the project's receiver: every signal, gzip (the default) and none,
// checked item by item. Envoy passes the Collector's gzip answer through; the client's
// DecompressionStream reads it.

let received: TestReceiver;
let collector: RunningCollector;
let envoy: RunningEnvoy;
beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${collector.port}`] });
});
afterAll(async () => {
  await envoy?.stop();
  await collector?.stop();
  await received?.close();
});

describe.each(['gzip', 'none'] as const)(
  'gRPC-web exporters -> Envoy -> Collector, %s',
  (compression) => {
    it('delivers every span, data point and log record, and reads the answers', async () => {
      const decoded: string[] = [];
      const options = () => ({
        url: envoy.url,
        compression,
        transport: createGrpcWebTransport({ decoders: watchDecoders(streamDecoders(), decoded) }),
      });
      const traces = new OTLPTraceExporter(options());
      const metrics = new OTLPMetricExporter(options());
      const logs = new OTLPLogExporter(options());
      const tracerProvider = new BasicTracerProvider({
        spanProcessors: [new BatchSpanProcessor(traces, { maxExportBatchSize: 64 })],
      });
      const meterProvider = new MeterProvider({
        readers: [
          new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 }),
        ],
      });
      const loggerProvider = new LoggerProvider({
        processors: [new BatchLogRecordProcessor({ exporter: logs })],
      });
      const tracer = tracerProvider.getTracer('collector-envoy');
      for (let i = 0; i < 256; i++) {
        tracer
          .startSpan(`web ${compression} ${i}`, { attributes: { run: `web-${compression}`, i } })
          .end();
      }
      const counter = meterProvider.getMeter('collector-envoy').createCounter(`web.${compression}`);
      for (let i = 0; i < 10; i++) counter.add(i + 1, { page: `/p${i}` });
      const logger = loggerProvider.getLogger('collector-envoy');
      for (let i = 0; i < 100; i++) {
        logger.emit({ body: `web log ${compression} ${i}`, severityNumber: SeverityNumber.WARN });
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
      expect(traces.metrics().itemsSent).toBe(256);
      expect(logs.metrics().itemsSent).toBe(100);
      if (compression === 'gzip') expect(new Set(decoded)).toEqual(new Set(['gzip']));
      else expect(decoded).toEqual([]);

      const mine = () =>
        received.spans().filter((s) => attrs(s.span.attributes).run === `web-${compression}`);
      await until(() => mine().length >= 256, '256 spans at the receiver');
      expect(
        mine()
          .map((s) => s.span.name)
          .sort(),
      ).toEqual(Array.from({ length: 256 }, (_, i) => `web ${compression} ${i}`).sort());
      for (const { span } of mine()) {
        expect(span.name).toBe(`web ${compression} ${attrs(span.attributes).i}`);
      }
      const myLogs = () =>
        received
          .logs()
          .filter((l) => String(l.record.body?.value.value).startsWith(`web log ${compression} `));
      await until(() => myLogs().length >= 100, '100 log records');
      expect(
        myLogs()
          .map((l) => l.record.body?.value.value)
          .sort(),
      ).toEqual(Array.from({ length: 100 }, (_, i) => `web log ${compression} ${i}`).sort());
      const points = () =>
        received
          .metrics()
          .filter((m) => m.metric.name === `web.${compression}`)
          .flatMap((m) => (m.metric.data.case === 'sum' ? m.metric.data.value.dataPoints : []));
      await until(() => points().length >= 10, '10 data points');
      expect(
        Object.fromEntries(points().map((p) => [attrs(p.attributes).page, Number(p.value.value)])),
      ).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/p${i}`, i + 1])));
    });
  },
);
