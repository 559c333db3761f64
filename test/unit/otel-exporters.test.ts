import { gunzipSync } from 'node:zlib';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { isOtlpError, type OtlpError } from '../../src/core/otlp-error.js';
import type { Runtime } from '../../src/core/runtime.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/core/transport.js';
import {
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
} from '../../src/encode/index.js';
import {
  type ExportResult,
  exporterUrlPattern,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../../src/web/index.js';
import {
  makeEveryLog,
  makeEveryMetric,
  makeEverySpan,
  makeRealisticSpans,
} from './encode-fixtures.js';

// Drop-in compatibility is a type-level contract: the SDK accepts our exporters as its own.
const asSpanExporter = (e: OTLPTraceExporter): SpanExporter => e;
const asMetricExporter = (e: OTLPMetricExporter): PushMetricExporter => e;
const asLogExporter = (e: OTLPLogExporter): LogRecordExporter => e;
void [asSpanExporter, asMetricExporter, asLogExporter];

/** A clock that never waits: sleeps and timers complete on the next tick. */
function fakeRuntime(): Runtime {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    setTimer: (fn, ms) => {
      const t = setTimeout(() => {
        now += ms;
        fn();
      }, 0);
      return { cancel: () => clearTimeout(t) };
    },
    random: () => 0.5,
  };
}

/** A transport recording every request and answering from a script (default: OK). */
function fakeTransport(answers: TransportResult[] = []) {
  const requests: TransportRequest[] = [];
  let closed = 0;
  const transport: Transport = {
    name: 'fake',
    async send(request) {
      requests.push(request);
      return answers.shift() ?? { code: Code.Ok, message: '', body: new Uint8Array(0) };
    },
    async close() {
      closed++;
    },
  };
  return { transport, requests, closed: () => closed };
}

function exportOnce<T>(
  exporter: { export(items: T, cb: (r: ExportResult) => void): void },
  items: T,
) {
  return new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
}

const body = (r: TransportRequest) =>
  r.encoding === 'gzip' ? new Uint8Array(gunzipSync(r.body)) : r.body;

describe('OTLPTraceExporter', () => {
  it('sends the spans encoded to TraceService at the given URL and reports SUCCESS', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPTraceExporter({
      url: 'http://collector:4317',
      transport,
      runtime: fakeRuntime(),
      compression: 'none',
      headers: { authorization: 'Bearer t' },
    });
    const spans = makeEverySpan();
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.url).toBe('http://collector:4317');
    expect(request!.path).toBe('/opentelemetry.proto.collector.trace.v1.TraceService/Export');
    expect(request!.encoding).toBe('identity');
    expect(request!.headers.authorization).toBe('Bearer t');
    expect(request!.body).toEqual(encodeTraceExport(spans));
    await exporter.shutdown();
  });

  it('gzips by default (CompressionStream), the body unzipping to the encoded spans', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPTraceExporter({ transport, runtime: fakeRuntime() });
    const spans = makeRealisticSpans(64);
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    expect(requests[0]!.url).toBe('http://localhost:4317');
    expect(requests[0]!.encoding).toBe('gzip');
    expect(body(requests[0]!)).toEqual(encodeTraceExport(spans));
    await exporter.shutdown();
  });

  it('reports FAILED with the OtlpError of a non-retryable status, after one attempt', async () => {
    const { transport, requests } = fakeTransport([
      { code: Code.InvalidArgument, message: 'bad spans' },
    ]);
    const exporter = new OTLPTraceExporter({ transport, runtime: fakeRuntime() });
    const result = await exportOnce(exporter, makeRealisticSpans(3));
    expect(result.code).toBe(1);
    expect(isOtlpError(result.error)).toBe(true);
    expect((result.error as OtlpError).code).toBe(Code.InvalidArgument);
    expect(result.error!.message).toContain('bad spans');
    expect(requests).toHaveLength(1);
    await exporter.shutdown();
  });

  it('retries a retryable status and then reports SUCCESS', async () => {
    const { transport, requests } = fakeTransport([
      { code: Code.Unavailable, message: 'try again' },
    ]);
    const exporter = new OTLPTraceExporter({ transport, runtime: fakeRuntime() });
    expect(await exportOnce(exporter, makeRealisticSpans(3))).toEqual({ code: 0 });
    expect(requests).toHaveLength(2);
    await exporter.shutdown();
  });

  it('sends nothing for an empty export', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPTraceExporter({ transport, runtime: fakeRuntime() });
    expect(await exportOnce(exporter, [])).toEqual({ code: 0 });
    expect(requests).toHaveLength(0);
    await exporter.shutdown();
  });

  it('splits a batch over maxRequestBytes into requests that fit, losing nothing', async () => {
    const { transport, requests } = fakeTransport();
    const spans = makeRealisticSpans(64);
    const whole = encodeTraceExport(spans).length;
    const exporter = new OTLPTraceExporter({
      transport,
      runtime: fakeRuntime(),
      compression: 'none',
      maxRequestBytes: Math.ceil(whole / 3),
    });
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) expect(r.body.length).toBeLessThanOrEqual(Math.ceil(whole / 3));
    const sent = requests.reduce((n, r) => n + r.body.length, 0);
    // Each part repeats the resource and scope, so slightly more bytes in total.
    expect(sent).toBeGreaterThan(whole);
    expect(exporter.metrics()).toBeDefined();
    await exporter.shutdown();
  });

  it('waits for exports in flight on forceFlush, closes the transport once on shutdown', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fake = fakeTransport();
    const slow: Transport = {
      ...fake.transport,
      send: async (request) => {
        await gate;
        return fake.transport.send(request);
      },
    };
    const exporter = new OTLPTraceExporter({ transport: slow, runtime: fakeRuntime() });
    const results: ExportResult[] = [];
    exporter.export(makeRealisticSpans(2), (r) => results.push(r));
    let flushed = false;
    const flush = exporter.forceFlush().then(() => {
      flushed = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(flushed).toBe(false);
    release();
    await flush;
    expect(results).toEqual([{ code: 0 }]);
    await Promise.all([exporter.shutdown(), exporter.shutdown()]);
    expect(fake.closed()).toBe(1);
    const after = await exportOnce(exporter, makeRealisticSpans(1));
    expect(after.code).toBe(1);
    expect((after.error as OtlpError).code).toBe(Code.FailedPrecondition);
  });

  it('refuses an empty URL list and an unknown compression with clear errors', () => {
    const { transport } = fakeTransport();
    expect(() => new OTLPTraceExporter({ transport, url: [] })).toThrow(/"url"/);
    expect(() => new OTLPTraceExporter({ transport, compression: 'brotli' as 'gzip' })).toThrow(
      /compression "brotli"/,
    );
  });
});

describe('OTLPMetricExporter', () => {
  it('sends to MetricsService', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPMetricExporter({
      transport,
      runtime: fakeRuntime(),
      compression: 'none',
    });
    const metrics = await makeEveryMetric();
    expect(await exportOnce(exporter, metrics)).toEqual({ code: 0 });
    expect(requests[0]!.path).toBe(
      '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    );
    expect(requests[0]!.body).toEqual(encodeMetricsExport(metrics));
    await exporter.shutdown();
  });

  const { DELTA: D, CUMULATIVE: C } = AggregationTemporality;
  // Per instrument: cumulative, delta, lowmemory (the OTLP exporter spec's tables).
  const table: [InstrumentType, number, number, number][] = [
    [InstrumentType.COUNTER, C, D, D],
    [InstrumentType.OBSERVABLE_COUNTER, C, D, C],
    [InstrumentType.HISTOGRAM, C, D, D],
    [InstrumentType.GAUGE, C, D, C],
    [InstrumentType.OBSERVABLE_GAUGE, C, D, C],
    [InstrumentType.UP_DOWN_COUNTER, C, C, C],
    [InstrumentType.OBSERVABLE_UP_DOWN_COUNTER, C, C, C],
  ];
  it.each(table)('temporality for %s', (type, cumulative, delta, lowmemory) => {
    const { transport } = fakeTransport();
    const pick = (p?: 'cumulative' | 'delta' | 'lowmemory' | 0 | 2) =>
      new OTLPMetricExporter({
        transport,
        ...(p === undefined ? {} : { temporalityPreference: p }),
      }).selectAggregationTemporality(type);
    expect(pick()).toBe(cumulative);
    expect(pick('cumulative')).toBe(cumulative);
    expect(pick('delta')).toBe(delta);
    expect(pick(0)).toBe(delta);
    expect(pick('lowmemory')).toBe(lowmemory);
    expect(pick(2)).toBe(lowmemory);
  });

  it('refuses an unknown temporality preference', () => {
    const { transport } = fakeTransport();
    expect(
      () => new OTLPMetricExporter({ transport, temporalityPreference: 'sometimes' as 'delta' }),
    ).toThrow(/temporalityPreference.*sometimes/);
  });
});

describe('OTLPLogExporter', () => {
  it('sends to LogsService', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPLogExporter({
      transport,
      runtime: fakeRuntime(),
      compression: 'none',
    });
    const logs = makeEveryLog();
    expect(await exportOnce(exporter, logs)).toEqual({ code: 0 });
    expect(requests[0]!.path).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
    expect(requests[0]!.body).toEqual(encodeLogsExport(logs));
    await exporter.shutdown();
  });
});

describe('exporterUrlPattern', () => {
  it('matches the export requests of the given base URLs only', () => {
    const pattern = exporterUrlPattern(['https://otlp.example.com/', 'http://localhost:4317']);
    expect(
      pattern.test(
        'https://otlp.example.com/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      ),
    ).toBe(true);
    expect(
      pattern.test(
        'http://localhost:4317/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      ),
    ).toBe(true);
    expect(pattern.test('https://otlp.example.com/api/orders')).toBe(false);
    expect(
      pattern.test(
        'https://otlpXexample.com/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      ),
    ).toBe(false);
    expect(
      exporterUrlPattern('https://a.example').test(
        'https://evil.example/?https://a.example/opentelemetry.proto.collector.',
      ),
    ).toBe(false);
  });
});
