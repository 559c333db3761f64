import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { create, fromBinary, toJson } from '@bufbuild/protobuf';
import { Code as ConnectCode, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { compressionGzip, connectNodeAdapter } from '@connectrpc/connect-node';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
  LogsService,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  type ExportMetricsServiceRequest,
  ExportMetricsServiceRequestSchema,
  MetricsService,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import type { OtlpError } from '../../src/core/otlp-error.js';
import {
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
} from '../../src/encode/index.js';
import {
  type ExportResult,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../../src/web/index.js';
import {
  makeEveryLog,
  makeEveryMetric,
  makeEverySpan,
  makeRealisticSpans,
} from '../unit/encode-fixtures.js';

// Real SDK providers export through our exporters, over gRPC-web on Node's fetch, to a real
// connect-node server (HTTP/1.1: Node's fetch speaks it, and gRPC-web needs no more) on
// 127.0.0.1:0 that records the decoded requests. Everything is checked item by item.

const received = {
  traces: [] as ExportTraceServiceRequest[],
  metrics: [] as ExportMetricsServiceRequest[],
  logs: [] as ExportLogsServiceRequest[],
  encodings: [] as string[],
};
let rejectNext: ConnectCode | undefined;
let partialNext: { rejected: number; message: string } | undefined;

function routes(router: ConnectRouter) {
  const gate = () => {
    const code = rejectNext;
    rejectNext = undefined;
    if (code !== undefined) throw new ConnectError('refused by test', code);
  };
  router.service(TraceService, {
    export(request, context) {
      gate();
      received.encodings.push(context.requestHeader.get('grpc-encoding') ?? 'identity');
      received.traces.push(request);
      return {};
    },
  });
  router.service(MetricsService, {
    export(request) {
      gate();
      received.metrics.push(request);
      return {};
    },
  });
  router.service(LogsService, {
    export(request) {
      gate();
      received.logs.push(request);
      const partial = partialNext;
      partialNext = undefined;
      return create(ExportLogsServiceResponseSchema, {
        ...(partial
          ? {
              partialSuccess: {
                rejectedLogRecords: BigInt(partial.rejected),
                errorMessage: partial.message,
              },
            }
          : {}),
      });
    },
  });
}

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer(connectNodeAdapter({ routes, acceptCompression: [compressionGzip] }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = <T>(schema: Parameters<typeof toJson>[0], message: T) =>
  toJson(schema, message as Parameters<typeof toJson>[1]);

function exportOnce<T>(
  exporter: { export(items: T, cb: (r: ExportResult) => void): void },
  items: T,
) {
  return new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
}

describe('exporters over gRPC-web to a real server', () => {
  it('traces from a BasicTracerProvider + BatchSpanProcessor, gzip', async () => {
    received.traces.length = 0;
    const exporter = new OTLPTraceExporter({ url });
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 100 })],
    });
    const tracer = provider.getTracer('integration', '1.0.0');
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) {
      const span = tracer.startSpan(`op-${i}`, {
        attributes: { i, even: i % 2 === 0, name: `n${i}` },
      });
      ids.push(span.spanContext().spanId);
      span.end();
    }
    await provider.forceFlush();
    await provider.shutdown();
    const spans = received.traces.flatMap((r) =>
      r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    );
    expect(received.traces.length).toBeGreaterThanOrEqual(3); // batches of at most 100
    expect(spans.map((s) => Buffer.from(s.spanId).toString('hex')).sort()).toEqual([...ids].sort());
    for (const span of spans) {
      const i = Number(span.name.slice(3));
      expect(span.attributes.map((a) => [a.key, a.value?.value.value])).toEqual([
        ['i', BigInt(i)],
        ['even', i % 2 === 0],
        ['name', `n${i}`],
      ]);
    }
    expect(received.encodings).toContain('gzip');
  });

  it('every span field arrives as encoded', async () => {
    received.traces.length = 0;
    const exporter = new OTLPTraceExporter({ url, compression: 'none' });
    const spans = makeEverySpan();
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    await exporter.shutdown();
    expect(received.traces).toHaveLength(1);
    expect(json(ExportTraceServiceRequestSchema, received.traces[0])).toEqual(
      json(
        ExportTraceServiceRequestSchema,
        fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport(spans)),
      ),
    );
  });

  it('metrics from a MeterProvider + PeriodicExportingMetricReader', async () => {
    received.metrics.length = 0;
    const exporter = new OTLPMetricExporter({ url, temporalityPreference: 'delta' });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter('integration').createCounter('requests');
    counter.add(5, { route: '/a' });
    counter.add(7, { route: '/b' });
    provider.getMeter('integration').createHistogram('latency').record(12.5);
    await provider.forceFlush();
    await provider.shutdown();
    const metrics = received.metrics.flatMap((r) =>
      r.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)),
    );
    const requests = metrics.find((m) => m.name === 'requests');
    expect(requests?.data.case).toBe('sum');
    if (requests?.data.case !== 'sum') return;
    expect(requests.data.value.aggregationTemporality).toBe(1); // DELTA
    expect(requests.data.value.isMonotonic).toBe(true);
    const points = requests.data.value.dataPoints.map((p) => [
      p.attributes[0]?.value?.value.value,
      p.value.value,
    ]);
    expect(points).toContainEqual(['/a', 5]);
    expect(points).toContainEqual(['/b', 7]);
    expect(metrics.find((m) => m.name === 'latency')?.data.case).toBe('histogram');
  });

  it('every metric type arrives as encoded', async () => {
    received.metrics.length = 0;
    const exporter = new OTLPMetricExporter({ url });
    const metrics = await makeEveryMetric();
    expect(await exportOnce(exporter, metrics)).toEqual({ code: 0 });
    await exporter.shutdown();
    expect(json(ExportMetricsServiceRequestSchema, received.metrics[0])).toEqual(
      json(
        ExportMetricsServiceRequestSchema,
        fromBinary(ExportMetricsServiceRequestSchema, encodeMetricsExport(metrics)),
      ),
    );
  });

  it('logs from a LoggerProvider + BatchLogRecordProcessor, every field', async () => {
    received.logs.length = 0;
    const exporter = new OTLPLogExporter({ url });
    const provider = new LoggerProvider({
      processors: [new BatchLogRecordProcessor({ exporter })],
    });
    provider
      .getLogger('integration')
      .emit({ body: 'hello ✓', attributes: { n: 1 }, severityText: 'INFO' });
    await provider.forceFlush();
    await provider.shutdown();
    const records = received.logs.flatMap((r) =>
      r.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)),
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.body?.value).toEqual({ case: 'stringValue', value: 'hello ✓' });
    expect(records[0]!.severityText).toBe('INFO');

    received.logs.length = 0;
    const direct = new OTLPLogExporter({ url });
    const logs = makeEveryLog();
    expect(await exportOnce(direct, logs)).toEqual({ code: 0 });
    await direct.shutdown();
    expect(json(ExportLogsServiceRequestSchema, received.logs[0])).toEqual(
      json(
        ExportLogsServiceRequestSchema,
        fromBinary(ExportLogsServiceRequestSchema, encodeLogsExport(logs)),
      ),
    );
  });

  it('a partial success is SUCCESS; a refused export is FAILED with the gRPC code', async () => {
    const exporter = new OTLPLogExporter({ url });
    partialNext = { rejected: 2, message: 'two too old' };
    expect(await exportOnce(exporter, makeEveryLog())).toEqual({ code: 0 });

    const traces = new OTLPTraceExporter({ url });
    rejectNext = ConnectCode.PermissionDenied;
    const result = await exportOnce(traces, makeRealisticSpans(3));
    expect(result.code).toBe(1);
    expect((result.error as OtlpError).code).toBe(Code.PermissionDenied);
    expect(result.error!.message).toContain('refused by test');
    await Promise.all([exporter.shutdown(), traces.shutdown()]);
  });
});
