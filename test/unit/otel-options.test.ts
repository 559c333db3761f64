import * as zlib from 'node:zlib';
import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import type { OtlpError } from '../../src/core/otlp-error.js';
import type { Runtime } from '../../src/core/runtime.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/core/transport.js';
import { readExporterEnv } from '../../src/node/env-config.js';
import {
  OTLPLogExporter as NodeLogExporter,
  OTLPMetricExporter as NodeMetricExporter,
  OTLPTraceExporter as NodeTraceExporter,
} from '../../src/node/otel-exporters.js';
import { OtlpTraceExporterBase } from '../../src/otel/index.js';
import { type ExportResult, OTLPTraceExporter } from '../../src/web/index.js';
import { thrown } from '../helpers/thrown.js';
import { makeRealisticSpans } from './encode-fixtures.js';

// The options OpenTelemetry's exporters promise, and the `otlp-grpc-web/node` exporters'
// environment variables, with a fake transport so that nothing leaves the process.

const runtime: Runtime = {
  now: () => 0,
  sleep: async () => {},
  setTimer: () => ({ cancel() {} }),
  random: () => 0.5,
};

function fakeTransport(answer?: () => Promise<TransportResult>) {
  const requests: TransportRequest[] = [];
  const transport: Transport = {
    name: 'fake',
    async send(request) {
      requests.push(request);
      return answer ? answer() : { code: Code.Ok, message: '' };
    },
    close: async () => {},
  };
  return { transport, requests };
}

const exportOnce = (exporter: OTLPTraceExporter, spans = makeRealisticSpans(2)) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe('options of the OTel exporters', () => {
  it('sends url, headers and the timeoutMillis deadline as given', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPTraceExporter({
      url: 'http://collector:4317',
      headers: { 'X-Tenant': 'acme' },
      timeoutMillis: 2500,
      compression: 'none',
      transport,
      runtime,
    });
    expect(await exportOnce(exporter)).toEqual({ code: 0 });
    expect(requests[0]).toMatchObject({
      url: 'http://collector:4317',
      headers: { 'x-tenant': 'acme' },
      timeoutMs: 2500,
      encoding: 'identity',
    });
    await exporter.shutdown();
  });

  it('fails with an OtlpError carrying the HTTP status, attempts, RetryInfo delay and endpoint', async () => {
    const { transport } = fakeTransport(async () => ({
      code: Code.ResourceExhausted,
      message: 'slow down',
      httpStatus: 200,
      retryDelayMs: 250,
    }));
    const onError = vi.fn();
    const exporter = new OTLPTraceExporter({
      url: ['http://a:4317', 'http://b:4317'],
      transport,
      runtime,
      onError,
      retry: { maxAttempts: 2 },
    });
    const result = await exportOnce(exporter);
    expect(result.code).toBe(1);
    const error = result.error as OtlpError;
    expect(error).toMatchObject({
      code: Code.ResourceExhausted,
      httpStatus: 200,
      attempts: 2,
      retryDelayMs: 250,
      endpoint: 'http://b:4317',
    });
    expect(onError.mock.calls[0]![0]).toMatchObject({ attempts: 2, endpoint: 'http://b:4317' });
    await exporter.shutdown();
  });

  it('concurrencyLimit: one export more than the limit fails at once, counted and reported', async () => {
    const gates: (() => void)[] = [];
    const { transport, requests } = fakeTransport(
      () => new Promise((resolve) => gates.push(() => resolve({ code: Code.Ok, message: '' }))),
    );
    const onError = vi.fn();
    const exporter = new OTLPTraceExporter({ transport, runtime, concurrencyLimit: 2, onError });
    const results: ExportResult[] = [];
    for (let i = 0; i < 3; i++) exporter.export(makeRealisticSpans(4), (r) => results.push(r));
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    expect(results).toHaveLength(1);
    expect(results[0]!.code).toBe(1);
    expect(results[0]!.error!.message).toMatch(/concurrencyLimit \(2\) exports in flight/);
    expect(exporter.metrics()).toMatchObject({
      inflightExports: 2,
      droppedByReason: { queue_full: 4 },
    });
    expect(onError.mock.calls[0]![1]).toEqual({ signal: 'traces', items: 4, reason: 'queue_full' });
    for (const open of gates) open();
    await exporter.forceFlush();
    expect(results.map((r) => r.code)).toEqual([1, 0, 0]);
    expect(() => new OTLPTraceExporter({ transport, concurrencyLimit: 0 })).toThrow(
      /option "concurrencyLimit" must be a number >= 1, got 0/,
    );
  });

  it('from "otlp-grpc-web", transport "grpc" says to import from "otlp-grpc-web/node"', () => {
    const error = thrown(() => new OTLPTraceExporter({ transport: 'grpc' }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/transport "grpc" needs the exporters of "otlp-grpc-web\/node"/);
    expect(() => new OTLPTraceExporter({ transport: 'grpc-web' })).not.toThrow();
  });
});

describe('page unload (keepalive) with the OTel exporters', () => {
  it('holds what does not fit the keepalive budget, counted, and sends it on the next flush', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    try {
      const gates: (() => void)[] = [];
      const { transport, requests } = fakeTransport(
        () => new Promise((resolve) => gates.push(() => resolve({ code: Code.Ok, message: '' }))),
      );
      const exporter = new OTLPTraceExporter({ transport, runtime, keepaliveBudgetBytes: 4096 });
      const result = exportOnce(exporter, makeRealisticSpans(64));
      await vi.waitFor(() => expect(requests).toHaveLength(1));
      expect(requests[0]).toMatchObject({ keepalive: true, encoding: 'identity' });
      expect(requests[0]!.body.length).toBeLessThanOrEqual(4096);
      const held = exporter.metrics();
      expect(held.deferredItems).toBeGreaterThan(0);
      expect(held.queuedItems).toBe(held.deferredItems);
      gates.shift()!();
      expect(await result).toEqual({ code: 0 });
      vi.stubGlobal('document', { visibilityState: 'visible' });
      const flushed = exporter.forceFlush();
      await vi.waitFor(() => expect(gates.length).toBeGreaterThan(0));
      while (gates.length) {
        gates.shift()!();
        await new Promise((r) => setTimeout(r, 0));
      }
      await flushed;
      expect(exporter.metrics()).toMatchObject({ itemsSent: 64, queuedItems: 0, queuedBytes: 0 });
      // Visible again: what did not fit the budget went without keepalive, nothing held.
      expect(requests.slice(1).some((r) => !r.keepalive)).toBe(true);
      expect(exporter.metrics().deferredItems).toBe(held.deferredItems);
      await exporter.shutdown();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('counts what is still held at shutdown as dropped, reported through onError', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    try {
      const onError = vi.fn();
      const gates: (() => void)[] = [];
      const { transport } = fakeTransport(
        () => new Promise((resolve) => gates.push(() => resolve({ code: Code.Ok, message: '' }))),
      );
      const exporter = new OTLPTraceExporter({
        transport,
        runtime,
        keepaliveBudgetBytes: 4096,
        onError,
      });
      const result = exportOnce(exporter, makeRealisticSpans(64));
      await vi.waitFor(() => expect(gates).toHaveLength(1));
      const held = exporter.metrics().queuedItems;
      // Shut down while the page is still hidden: the final keepalive flush sends what fits.
      let closed = false;
      const closing = exporter.shutdown().then(() => {
        closed = true;
      });
      while (!closed) {
        gates.shift()?.();
        await new Promise((r) => setTimeout(r, 0));
      }
      await result;
      await closing;
      const m = exporter.metrics();
      expect(m.itemsSent + m.droppedByReason.shutdown).toBe(64);
      expect(m.queuedItems).toBe(0);
      // Several requests were held; the final flush fits one in the budget, the rest is lost
      // with the page, and says so.
      expect(held).toBeGreaterThan(0);
      expect(m.droppedByReason.shutdown).toBeGreaterThan(0);
      expect(onError.mock.calls.at(-1)![1]).toMatchObject({
        signal: 'traces',
        reason: 'shutdown',
        items: m.droppedByReason.shutdown,
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('otlp-grpc-web/node exporters and the environment', () => {
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://general:4317',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4317',
    OTEL_EXPORTER_OTLP_HEADERS: 'api-key=secret',
    OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
  };

  it('take url, headers, timeout and compression from OTEL_EXPORTER_OTLP_*', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new NodeTraceExporter({ env, transport, runtime });
    expect(await exportOnce(exporter)).toEqual({ code: 0 });
    expect(requests[0]).toMatchObject({
      url: 'http://traces:4317',
      headers: { 'api-key': 'secret' },
      timeoutMs: 3000,
      encoding: 'identity',
    });
    await exporter.shutdown();
  });

  it('let an explicit option win over the environment', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new NodeTraceExporter({
      env,
      transport,
      runtime,
      url: 'http://explicit:4317',
      headers: { authorization: 'Bearer t' },
      timeoutMillis: 1000,
      compression: 'gzip',
    });
    expect(await exportOnce(exporter, makeRealisticSpans(64))).toEqual({ code: 0 });
    expect(requests[0]!.url).toBe('http://explicit:4317');
    // Headers merge by name, as in OpenTelemetry's exporters; the explicit value wins.
    expect(requests[0]!.headers).toMatchObject({ authorization: 'Bearer t', 'api-key': 'secret' });
    expect(requests[0]!.timeoutMs).toBe(1000);
    expect(requests[0]!.encoding).toBe('gzip');
    await exporter.shutdown();
    let token = 0;
    const perAttempt = new NodeTraceExporter({
      env,
      transport,
      runtime,
      headers: () => ({ 'api-key': `own-${++token}` }),
    });
    expect(await exportOnce(perAttempt)).toEqual({ code: 0 });
    expect(requests.at(-1)!.headers['api-key']).toBe('own-1');
    await perAttempt.shutdown();
  });

  it('warn naming a malformed variable and use the default; strict throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { transport, requests } = fakeTransport();
      const env = { OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: 'soon' };
      const exporter = new NodeTraceExporter({
        env: { OTEL_EXPORTER_OTLP_TIMEOUT: '5s' },
        transport,
        runtime,
      });
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('OTEL_EXPORTER_OTLP_TIMEOUT="5s" is invalid'),
      );
      expect(await exportOnce(exporter)).toEqual({ code: 0 });
      expect(requests[0]!.timeoutMs).toBe(10_000);
      await exporter.shutdown();
      const error = thrown(() => new NodeLogExporter({ env, strict: true }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message).toContain('OTEL_EXPORTER_OTLP_LOGS_TIMEOUT="soon" is invalid');
    } finally {
      warn.mockRestore();
    }
  });

  it('warn about an OTLP/HTTP protocol unless a transport is given, naming the variable', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const env = { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' };
      void new NodeTraceExporter({ env }).shutdown();
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http\/protobuf": the otlp-grpc-web exporters speak OTLP\/gRPC only/,
        ),
      );
      expect(
        thrown(
          () =>
            new NodeTraceExporter({
              env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
              strict: true,
            }),
        ).message,
      ).toMatch(/^\[invalid_argument\] OTEL_EXPORTER_OTLP_PROTOCOL=/);
      warn.mockClear();
      const { transport } = fakeTransport();
      void new NodeTraceExporter({
        env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
        transport,
        strict: true,
      }).shutdown();
      expect(warn).not.toHaveBeenCalled();
      expect(readExporterEnv('traces', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual({
        options: {},
      });
    } finally {
      warn.mockRestore();
    }
  });

  it('hand the TLS files of the environment to the native gRPC transport', () => {
    const error = thrown(
      () =>
        new NodeTraceExporter({
          env: {
            OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4317',
            OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/otel-ca.pem',
          },
        }),
    );
    expect(error.message).toContain('/nonexistent/otel-ca.pem');
    expect(readExporterEnv('metrics', { OTEL_EXPORTER_OTLP_CERTIFICATE: '/ca.pem' }).tls).toEqual({
      ca: '/ca.pem',
    });
  });

  it('read OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE; an explicit option wins', () => {
    const { transport } = fakeTransport();
    const variable = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
    const pick = (value: string, explicit?: 'cumulative') =>
      new NodeMetricExporter({
        env: { [variable]: value },
        transport,
        ...(explicit ? { temporalityPreference: explicit } : {}),
      }).selectAggregationTemporality(InstrumentType.COUNTER);
    expect(pick('delta')).toBe(AggregationTemporality.DELTA);
    expect(pick('LowMemory')).toBe(AggregationTemporality.DELTA);
    expect(pick('cumulative')).toBe(AggregationTemporality.CUMULATIVE);
    expect(pick('delta', 'cumulative')).toBe(AggregationTemporality.CUMULATIVE);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(pick('sometimes')).toBe(AggregationTemporality.CUMULATIVE);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining(`${variable}="sometimes" is invalid`),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('default to native gRPC and zlib gzip', async () => {
    const exporter = new NodeTraceExporter({ env: {} });
    // No server at localhost:4317 in a unit test: nothing is sent, only the setup is checked.
    expect(exporter).toBeInstanceOf(OtlpTraceExporterBase);
    await exporter.shutdown();
  });
});

describe('encoder limits of the OTel exporters', () => {
  it('cuts strings past maxStringBytes and counts it in metrics().encode', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new OTLPTraceExporter({
      transport,
      compression: 'none',
      runtime,
      maxStringBytes: 16,
    });
    const spans = makeRealisticSpans(1);
    (spans[0]!.attributes as Record<string, unknown>)['long.value'] = 'x'.repeat(1000);
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    const body = requests[0]!.body;
    expect(body.length).toBeLessThan(1000);
    expect(new TextDecoder().decode(body)).toContain('x'.repeat(16));
    expect(new TextDecoder().decode(body)).not.toContain('x'.repeat(17));
    expect(exporter.metrics().encode.truncatedStrings).toBeGreaterThanOrEqual(1);
  });

  it('encodes cyclic or too deep values as empty values and counts them', async () => {
    const { transport } = fakeTransport();
    const exporter = new OTLPTraceExporter({
      transport,
      compression: 'none',
      runtime,
      maxAttributeDepth: 2,
    });
    const spans = makeRealisticSpans(1);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    Object.assign(spans[0]!.attributes, { deep: [[[['too deep']]]], cyclic });
    expect(await exportOnce(exporter, spans)).toEqual({ code: 0 });
    expect(exporter.metrics().encode.droppedValues).toBe(2);
  });

  it('refuses limits that cannot work, naming the option', () => {
    expect(thrown(() => new OTLPTraceExporter({ maxStringBytes: 0 })).message).toContain(
      'option "maxStringBytes" must be a number >= 1, got 0',
    );
    expect(thrown(() => new OTLPTraceExporter({ maxAttributeDepth: Number.NaN })).code).toBe(
      Code.InvalidArgument,
    );
  });
});

describe('zstd in the Node exporters', () => {
  it('compresses with zstd where zlib has it, gzip where it does not, never not at all', async () => {
    const { transport, requests } = fakeTransport();
    const exporter = new NodeTraceExporter({ env: {}, transport, runtime, compression: 'zstd' });
    expect(await exportOnce(exporter, makeRealisticSpans(20))).toEqual({ code: 0 });
    const hasZstd = typeof (zlib as { zstdCompress?: unknown }).zstdCompress === 'function';
    expect(requests[0]!.encoding).toBe(hasZstd ? 'zstd' : 'gzip');
    await exporter.shutdown();
  });
});
