import type * as http2 from 'node:http2';
import { toBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { type Receiver, type ReceiverOptions, startReceiver } from '../../src/receiver/index.js';
import { logsRequest, metricsRequest, traceRequest } from '../helpers/otlp-fixtures.js';
import {
  closeSession,
  connectSession,
  EXPORT_PATHS,
  envelope,
  type RawResponse,
  rawRequest,
} from '../helpers/raw-http2.js';

// Native gRPC Export calls are answered without connect (grpc-direct.ts) unless a hold
// (exportDelayMs) is configured. A client must not be able to tell the two apart: the
// same headers, response bytes, trailers and counters, for every signal and outcome.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: ReceiverOptions): Promise<[Receiver, http2.ClientHttp2Session]> {
  const receiver = await startReceiver({ port: 0, ...options });
  cleanups.push(() => receiver.close());
  const session = await connectSession(receiver.url);
  cleanups.push(() => closeSession(session));
  return [receiver, session];
}

// What a client sees, without the headers that differ by nature (date).
function seen(res: RawResponse) {
  const { date: _date, ...headers } = res.headers;
  return { status: res.status, headers, trailers: res.trailers, body: [...res.body] };
}

const calls: [string, string, Uint8Array][] = [
  ['traces', EXPORT_PATHS.traces, toBinary(ExportTraceServiceRequestSchema, traceRequest(4))],
  [
    'traces, some rejected',
    EXPORT_PATHS.traces,
    toBinary(ExportTraceServiceRequestSchema, traceRequest(3, { invalid: 2 })),
  ],
  ['metrics', EXPORT_PATHS.metrics, toBinary(ExportMetricsServiceRequestSchema, metricsRequest(3))],
  ['logs', EXPORT_PATHS.logs, toBinary(ExportLogsServiceRequestSchema, logsRequest(3))],
];

describe('native gRPC Export answered without connect', () => {
  it('looks exactly like connect answering it, for every signal and outcome', async () => {
    const [direct, directSession] = await start({});
    // A hold of 1 ms sends every call through connect.
    const [viaConnect, connectSessionTo] = await start({ exportDelayMs: 1 });
    for (const [name, path, message] of calls) {
      for (const headers of [{}, { 'content-type': 'application/grpc+proto' }]) {
        const a = await rawRequest(directSession, { path, body: envelope(message), headers });
        const b = await rawRequest(connectSessionTo, { path, body: envelope(message), headers });
        expect(seen(a), name).toEqual(seen(b));
        expect(a.grpcStatus, name).toBe(0);
      }
    }
    const counters = (r: Receiver) => ({ ...r.stats(), startedUnixNano: 0n });
    expect(counters(direct)).toEqual(counters(viaConnect));
    expect(direct.stats().traces?.itemsRejected).toBe(4n);
  });

  it('leaves refused and JSON calls to connect, answered as before', async () => {
    const [direct, directSession] = await start({});
    const [, connectSessionTo] = await start({ exportDelayMs: 1 });
    const path = EXPORT_PATHS.traces;
    const good = toBinary(ExportTraceServiceRequestSchema, traceRequest(1));
    const refused = [
      { body: envelope(good.subarray(0, 9)) },
      { body: envelope(good), headers: { 'grpc-encoding': 'br' } },
      { body: envelope(good), headers: { 'grpc-timeout': 'soon' } },
      {
        body: envelope(new TextEncoder().encode('{}')),
        headers: { 'content-type': 'application/grpc+json' },
      },
    ];
    for (const request of refused) {
      const a = await rawRequest(directSession, { path, ...request });
      const b = await rawRequest(connectSessionTo, { path, ...request });
      expect(seen(a)).toEqual(seen(b));
    }
    expect(direct.stats().traces?.itemsAccepted).toBe(0n);
  });

  it('checks credentials the same way as connect does, before reading the body', async () => {
    const [direct, directSession] = await start({ apiKey: 'k1' });
    const [, connectSessionTo] = await start({ apiKey: 'k1', exportDelayMs: 1 });
    const path = EXPORT_PATHS.traces;
    const body = envelope(toBinary(ExportTraceServiceRequestSchema, traceRequest(2)));
    for (const headers of [{}, { 'x-api-key': 'wrong' }, { 'x-api-key': 'k1' }]) {
      const a = await rawRequest(directSession, { path, body, headers });
      const b = await rawRequest(connectSessionTo, { path, body, headers });
      expect(seen(a)).toEqual(seen(b));
    }
    expect(direct.stats().traces?.itemsAccepted).toBe(2n);
    expect(direct.stats().traces?.errorsByCode.unauthenticated).toBe(2n);
  });
});
