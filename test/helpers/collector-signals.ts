// The Collector tests' workload and checks, one for every exporter route: real SDK
// providers make spans, data points and log records tagged with a run name, the exporters
// send them, and each item is then looked up at the receiver the Collector forwards to.
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import type {
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../../src/web/index.js';
import { attrs, type TestReceiver, until } from '../edge/receiver-harness.js';

export const SPANS = 300;
export const POINTS = 20;
export const LOGS = 150;

export interface SignalExporters {
  traces: OTLPTraceExporter;
  metrics: OTLPMetricExporter;
  logs: OTLPLogExporter;
}

/** Makes SPANS spans, POINTS data points and LOGS log records for `run` and sends them all. */
export async function sendAllSignals(exporters: SignalExporters, run: string): Promise<void> {
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporters.traces, { maxExportBatchSize: 100 })],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: exporters.metrics,
        exportIntervalMillis: 60_000,
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    processors: [new BatchLogRecordProcessor({ exporter: exporters.logs })],
  });
  const tracer = tracerProvider.getTracer('collector-tests');
  for (let i = 0; i < SPANS; i++) {
    const attributes = { run, i, 'http.route': '/checkout/:id' };
    tracer.startSpan(`op ${run} ${i}`, { attributes }).end();
  }
  const counter = meterProvider.getMeter('collector-tests').createCounter(`requests.${run}`);
  for (let i = 0; i < POINTS; i++) counter.add(i + 1, { route: `/r${i}` });
  const logger = loggerProvider.getLogger('collector-tests');
  for (let i = 0; i < LOGS; i++) {
    logger.emit({
      body: `log ${run} ${i}`,
      severityNumber: SeverityNumber.INFO,
      attributes: { i },
    });
  }
  await Promise.all([
    tracerProvider.shutdown(),
    meterProvider.shutdown(),
    loggerProvider.shutdown(),
  ]);
}

/** Every export succeeded the first time, nothing dropped, every answer read. */
export function expectAllSent(exporters: SignalExporters): void {
  for (const exporter of [exporters.traces, exporters.metrics, exporters.logs]) {
    const m = exporter.metrics();
    expect(m, m.signal).toMatchObject({ exportsFailed: 0, responsesUnread: 0, retries: 0 });
    expect(
      Object.values(m.droppedByReason).reduce((a, b) => a + b),
      m.signal,
    ).toBe(0);
  }
  expect(exporters.traces.metrics().itemsSent).toBe(SPANS);
  expect(exporters.logs.metrics().itemsSent).toBe(LOGS);
}

/** Waits for every item of `run` at the receiver and checks each one. */
export async function expectArrived(received: TestReceiver, run: string): Promise<void> {
  const spans = () =>
    received
      .spans()
      .filter((s) => attrs(s.span.attributes).run === run)
      .map((s) => s.span);
  await until(() => spans().length >= SPANS, `${SPANS} spans of run ${run} at the receiver`);
  expect(
    spans()
      .map((s) => s.name)
      .sort(),
  ).toEqual(Array.from({ length: SPANS }, (_, i) => `op ${run} ${i}`).sort());
  for (const span of spans()) {
    const a = attrs(span.attributes);
    expect(span.name).toBe(`op ${run} ${a.i}`);
    expect(a['http.route']).toBe('/checkout/:id');
    expect(span.traceId).toHaveLength(16);
  }
  const logs = () =>
    received.logs().filter((l) => String(l.record.body?.value.value).startsWith(`log ${run} `));
  await until(() => logs().length >= LOGS, `${LOGS} log records of run ${run}`);
  expect(logs()).toHaveLength(LOGS);
  for (const { record } of logs()) {
    expect(record.body?.value.value).toBe(`log ${run} ${attrs(record.attributes).i}`);
  }
  const points = () =>
    received
      .metrics()
      .filter((m) => m.metric.name === `requests.${run}`)
      .flatMap((m) => (m.metric.data.case === 'sum' ? m.metric.data.value.dataPoints : []));
  await until(() => points().length >= POINTS, `${POINTS} data points of requests.${run}`);
  expect(
    Object.fromEntries(points().map((p) => [attrs(p.attributes).route, Number(p.value.value)])),
  ).toEqual(Object.fromEntries(Array.from({ length: POINTS }, (_, i) => [`/r${i}`, i + 1])));
  // The Collector forwarded with its otlp_grpc exporter, gzip. The receiver logs a call
  // once its answer has gone, which may be after the items are visible in its store.
  await until(() => received.calls.length > 0, "the receiver's log of the Collector's calls");
  expect(new Set(received.calls.map((c) => `${c.protocol} ${c.encoding} ${c.status}`))).toEqual(
    new Set(['grpc gzip ok']),
  );
}
