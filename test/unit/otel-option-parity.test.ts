import { readFileSync } from 'node:fs';
import { credentials, Metadata } from '@grpc/grpc-js';
import { AggregationType, InstrumentType } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import type { Runtime } from '../../src/core/runtime.js';
import type { Transport, TransportRequest } from '../../src/core/transport.js';
import { USER_AGENT } from '../../src/core/version.js';
import { OTLPTraceExporter as NodeTraceExporter } from '../../src/node/otel-exporters.js';
import { OTLPMetricExporter } from '../../src/web/index.js';
import { thrown } from '../helpers/thrown.js';
import { makeRealisticSpans } from './encode-fixtures.js';

// One case per row of the README's table "Moving from OpenTelemetry's exporters": every
// option of OpenTelemetry's OTLP exporters and what these exporters do with it.

const runtime: Runtime = {
  now: () => 0,
  sleep: async () => {},
  setTimer: () => ({ cancel() {} }),
  random: () => 0.5,
};

function fake() {
  const requests: TransportRequest[] = [];
  const transport: Transport = {
    name: 'fake',
    send: async (request) => {
      requests.push(request);
      return { code: Code.Ok, message: '' };
    },
    close: async () => {},
  };
  return { transport, requests };
}

/** Sends one export through a trace exporter built with `options`; the request sent. */
async function sent(options: Record<string, unknown>, Exporter = NodeTraceExporter) {
  const { transport, requests } = fake();
  const exporter = new Exporter({ transport, runtime, compression: 'none', env: {}, ...options });
  await new Promise((resolve) => exporter.export(makeRealisticSpans(2), resolve));
  await exporter.shutdown();
  return requests[0]!;
}

let warn: MockInstance<(message: string) => void>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

/** An option OTel has and these exporters cannot honour: warned, naming it and the alternative; strict throws. */
async function warnedAndIgnored(option: string, value: unknown, reason: RegExp) {
  const request = await sent({ [option]: value });
  expect(request).toBeDefined();
  expect(warn).toHaveBeenCalledOnce();
  expect(warn.mock.calls[0]![0]).toMatch(new RegExp(`^otlp-grpc-web: option "${option}": `));
  expect(warn.mock.calls[0]![0]).toMatch(reason);
  const error = thrown(() => new NodeTraceExporter({ [option]: value, strict: true }));
  expect(error.code).toBe(Code.InvalidArgument);
  expect(error.message).toContain(`option "${option}"`);
}

const rows: Record<string, () => Promise<void>> = {
  url: async () => {
    expect((await sent({ url: ['http://a:4317', 'http://b:4317'] })).url).toBe('http://a:4317');
    const proto = thrown(() => new NodeTraceExporter({ url: 'http://collector:4318/v1/traces' }));
    expect(proto.message).toBe(
      '[invalid_argument] option "url": "http://collector:4318/v1/traces" ends with the OTLP/HTTP path "/v1/traces": drop it, OTLP/gRPC names the method itself',
    );
    for (const url of ['collector:4317', 'grpc://c:4317', 'http://', 'http:/c:4317']) {
      expect(thrown(() => new NodeTraceExporter({ url })).message).toBe(
        `[invalid_argument] option "url": ${JSON.stringify(url)} needs http:// or https:// and a host`,
      );
    }
    // A path prefix (a gRPC-web proxy under /otlp) stays allowed.
    expect((await sent({ url: 'https://proxy/otlp' })).url).toBe('https://proxy/otlp');
  },
  headers: async () => {
    expect((await sent({ headers: { 'X-Key': 'k' } })).headers['x-key']).toBe('k');
    expect((await sent({ headers: async () => ({ 'x-key': 'f' }) })).headers['x-key']).toBe('f');
  },
  metadata: async () => {
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer from-metadata');
    metadata.set('x-tenant', 'acme');
    const options = { metadata, headers: { 'x-tenant': 'explicit' } };
    const headers = (await sent(options, NodeTraceExporter)).headers;
    expect(headers).toMatchObject({
      authorization: 'Bearer from-metadata',
      'x-tenant': 'explicit',
    });
    const plain = await sent({ metadata: { 'x-plain': 'p' } }, NodeTraceExporter);
    expect(plain.headers['x-plain']).toBe('p');
    const binary = new Metadata();
    binary.set('x-bin', Buffer.from([1]));
    expect(thrown(() => new NodeTraceExporter({ metadata: binary })).message).toContain(
      'option "metadata": "x-bin" is binary',
    );
    expect(warn).not.toHaveBeenCalled();
  },
  credentials: async () => {
    // Node: secure credentials mean TLS even for an http:// URL; insecure ones plaintext.
    // (test/integration/node-transport-tls.test.ts checks the handshake with createSsl's CA.)
    const secure = await sent(
      { credentials: credentials.createSsl(), url: 'http://c:4317' },
      NodeTraceExporter,
    );
    expect(secure.url).toBe('https://c:4317');
    const insecure = await sent(
      { credentials: credentials.createInsecure(), url: 'https://c:4317' },
      NodeTraceExporter,
    );
    expect(insecure.url).toBe('http://c:4317');
    expect(warn).not.toHaveBeenCalled();
  },
  compression: async () => {
    expect((await sent({ compression: 'gzip', compressionMinBytes: 0 })).encoding).toBe('gzip');
    expect((await sent({ compression: 'none' })).encoding).toBe('identity');
  },
  timeoutMillis: async () => {
    expect((await sent({ timeoutMillis: 1234 })).timeoutMs).toBe(1234);
  },
  concurrencyLimit: async () => {
    const never: Transport = {
      name: 'never',
      send: () => new Promise(() => {}),
      close: async () => {},
    };
    const exporter = new NodeTraceExporter({ transport: never, runtime, concurrencyLimit: 1 });
    exporter.export(makeRealisticSpans(1), () => {});
    const second = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(makeRealisticSpans(1), resolve),
    );
    expect(second.code).toBe(1);
    expect(exporter.metrics().droppedByReason.queue_full).toBe(1);
  },
  userAgent: async () => {
    expect((await sent({ userAgent: 'my-app/1.2' })).headers['user-agent']).toBe(
      `my-app/1.2 ${USER_AGENT}`,
    );
  },
  temporalityPreference: async () => {
    const exporter = new OTLPMetricExporter({ temporalityPreference: 'delta' });
    expect(exporter.selectAggregationTemporality(InstrumentType.COUNTER)).toBe(0);
  },
  aggregationPreference: async () => {
    const drop = { type: AggregationType.DROP } as const;
    const exporter = new OTLPMetricExporter({
      aggregationPreference: (kind) =>
        kind === InstrumentType.HISTOGRAM ? drop : { type: AggregationType.DEFAULT },
    });
    expect(exporter.selectAggregation(InstrumentType.HISTOGRAM)).toEqual(drop);
    expect(exporter.selectAggregation(InstrumentType.COUNTER)).toEqual({
      type: AggregationType.DEFAULT,
    });
    expect(new OTLPMetricExporter().selectAggregation(InstrumentType.COUNTER)).toEqual({
      type: AggregationType.DEFAULT,
    });
  },
  keepAlive: () => warnedAndIgnored('keepAlive', true, /kept alive anyway/),
  httpAgentOptions: () =>
    warnedAndIgnored('httpAgentOptions', { keepAlive: true }, /createGrpcTransport/),
  selfObsMeterProvider: () =>
    warnedAndIgnored('selfObsMeterProvider', {}, /recordSelfMetrics\(meter, exporter\)/),
  'any other key': async () => {
    const request = await sent({ heders: { authorization: 'x' } });
    expect(request.headers.authorization).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      'otlp-grpc-web: option "heders": unknown (misspelled?); ignored',
    );
    expect(thrown(() => new NodeTraceExporter({ heders: {}, strict: true } as never)).message).toBe(
      '[invalid_argument] option "heders": unknown (misspelled?)',
    );
  },
};

/** The first column of the README's option table. */
function readmeRows(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split("### Moving from OpenTelemetry's exporters")[1]!.split('\n###')[0]!;
  return [...section.matchAll(/^\| (`?)([^|`]+)\1 \|/gm)]
    .map((m) => m[2]!)
    .filter((name) => name !== 'option');
}

describe("the README's OTel option table", () => {
  it('has a case here for every row, and a row for every case', () => {
    expect(readmeRows()).toEqual(Object.keys(rows));
  });
  for (const [option, check] of Object.entries(rows)) it(option, check);
});
