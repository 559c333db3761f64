import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from '../../src/node/index.js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { OTLPTraceExporter as WebTraceExporter } from '../../src/web/index.js';

// The `otlp-grpc-web/node` exporters under every SDK processor and reader, configured only
// through OTEL_EXPORTER_OTLP_* (as deployments do), over native gRPC (HTTP/2) to the real
// receiver; and the gRPC-web exporter under SimpleSpanProcessor. Checked item by item.

let receiver: Receiver;
let env: Record<string, string>;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0, maxStoredItems: 10_000 });
  env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_HEADERS: 'x-test=node-entry',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
  };
});
afterAll(() => receiver.close());

const spanNames = () =>
  receiver.sinks
    .listSpans({ afterSeq: 0n, limit: 10_000, traceIdHex: '' } as never)
    .spans.map((s) => s.span!.name)
    .sort();

describe('otlp-grpc-web/node exporters over native gRPC', () => {
  it.each([
    ['BatchSpanProcessor', (e: OTLPTraceExporter) => new BatchSpanProcessor(e)],
    ['SimpleSpanProcessor', (e: OTLPTraceExporter) => new SimpleSpanProcessor(e)],
  ] as const)('traces under %s', async (_, processor) => {
    receiver.sinks.clear();
    const exporter = new OTLPTraceExporter({ env });
    const provider = new BasicTracerProvider({ spanProcessors: [processor(exporter)] });
    const tracer = provider.getTracer('node-entry');
    const names = Array.from({ length: 30 }, (_, i) => `op-${String(i).padStart(2, '0')}`);
    for (const name of names) tracer.startSpan(name).end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(spanNames()).toEqual(names);
    expect(exporter.metrics()).toMatchObject({ itemsSent: 30, retries: 0, exportsFailed: 0 });
  });

  it('metrics under PeriodicExportingMetricReader, with the temporality from the environment', async () => {
    receiver.sinks.clear();
    const exporter = new OTLPMetricExporter({ env });
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
    });
    const counter = provider.getMeter('node-entry').createCounter('node.requests');
    counter.add(3, { route: '/a' });
    await provider.forceFlush();
    await provider.shutdown();
    const metric = receiver.sinks
      .listMetrics({ afterSeq: 0n, limit: 100, traceIdHex: '' } as never)
      .metrics.find((m) => m.metric!.name === 'node.requests')?.metric;
    expect(metric?.data.case).toBe('sum');
    if (metric?.data.case !== 'sum') return;
    expect(metric.data.value.aggregationTemporality).toBe(1); // DELTA
    expect(metric.data.value.dataPoints.map((p) => p.value.value)).toEqual([3]);
  });

  it('logs under BatchLogRecordProcessor', async () => {
    receiver.sinks.clear();
    const exporter = new OTLPLogExporter({ env });
    const provider = new LoggerProvider({
      processors: [new BatchLogRecordProcessor({ exporter })],
    });
    provider
      .getLogger('node-entry')
      .emit({ body: 'over HTTP/2', severityNumber: SeverityNumber.WARN, severityText: 'WARN' });
    await provider.forceFlush();
    await provider.shutdown();
    const records = receiver.sinks.listLogs({
      afterSeq: 0n,
      limit: 100,
      traceIdHex: '',
    } as never).logs;
    expect(records.map((r) => r.logRecord!.body?.value)).toEqual([
      { case: 'stringValue', value: 'over HTTP/2' },
    ]);
  });
});

describe('the gRPC-web exporter from "otlp-grpc-web"', () => {
  it('exports every span under SimpleSpanProcessor', async () => {
    receiver.sinks.clear();
    const exporter = new WebTraceExporter({ url: receiver.url });
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('web-entry');
    for (let i = 0; i < 5; i++) tracer.startSpan(`simple-${i}`).end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(spanNames()).toEqual(['simple-0', 'simple-1', 'simple-2', 'simple-3', 'simple-4']);
  });
});
