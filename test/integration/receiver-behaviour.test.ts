import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type * as http2 from 'node:http2';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  Code as ConnectCode,
  ConnectError,
  createClient,
  type Transport,
} from '@connectrpc/connect';
import {
  createConnectTransport,
  createGrpcTransport,
  Http2SessionManager,
} from '@connectrpc/connect-node';
import { afterEach, describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { QueryService } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { Code } from '../../src/core/code.js';
import { type Receiver, type ReceiverOptions, startReceiver } from '../../src/receiver/index.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import {
  closeSession,
  connectSession,
  EXPORT_PATHS,
  envelope,
  rawRequest,
} from '../helpers/raw-http2.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: ReceiverOptions = {}): Promise<Receiver> {
  const receiver = await startReceiver({ port: 0, ...options });
  cleanups.push(() => receiver.close());
  return receiver;
}

function grpc(receiver: Receiver): Transport {
  const sessionManager = new Http2SessionManager(receiver.url);
  cleanups.push(() => sessionManager.abort());
  return createGrpcTransport({ baseUrl: receiver.url, sessionManager });
}

async function session(receiver: Receiver): Promise<http2.ClientHttp2Session> {
  const s = await connectSession(receiver.url);
  cleanups.push(() => closeSession(s));
  return s;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const good = toBinary(ExportTraceServiceRequestSchema, traceRequest(1));

describe('partial success', () => {
  it('reports spans rejected for invalid ids, and stores the valid ones', async () => {
    const receiver = await start();
    const response = await createClient(TraceService, grpc(receiver)).export(
      traceRequest(3, { invalid: 2 }),
    );
    expect(response.partialSuccess?.rejectedSpans).toBe(2n);
    expect(response.partialSuccess?.errorMessage).not.toBe('');
    expect(receiver.stats().traces?.itemsAccepted).toBe(3n);
    expect(receiver.stats().traces?.itemsRejected).toBe(2n);
  });
});

describe('overload', () => {
  it('answers UNAVAILABLE with RetryInfo past --max-inflight, and serves the calls it took', async () => {
    const receiver = await start({ maxInflight: 2, exportDelayMs: 1500, retryDelayMs: 2250 });
    const client = createClient(TraceService, grpc(receiver));
    const held = [client.export(traceRequest(1)), client.export(traceRequest(1))];
    await until(() => receiver.inflight() === 2);

    const raw = await rawRequest(await session(receiver), {
      path: EXPORT_PATHS.traces,
      body: envelope(good),
    });
    expect(raw.grpcStatus).toBe(Code.Unavailable);
    expect(raw.statusDetails).toBeDefined();
    const status = fromBinary(StatusSchema, Buffer.from(raw.statusDetails!, 'base64'));
    expect(status.code).toBe(Code.Unavailable);
    const retryInfo = anyUnpack(status.details[0]!, RetryInfoSchema);
    expect(retryInfo?.retryDelay?.seconds).toBe(2n);
    expect(retryInfo?.retryDelay?.nanos).toBe(250_000_000);

    const refused = await client
      .export(traceRequest(1))
      .catch((e: unknown) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(ConnectCode.Unavailable);
    expect((refused as ConnectError).findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(2n);

    await Promise.all(held);
    expect(receiver.stats().traces?.itemsAccepted).toBe(2n);
    expect(receiver.stats().traces?.errorsByCode.unavailable).toBe(2n);
    expect(receiver.inflight()).toBe(0);
  });

  it('ends a held call at its deadline without storing it', async () => {
    const receiver = await start({ exportDelayMs: 5000 });
    const error = await createClient(TraceService, grpc(receiver))
      .export(traceRequest(1), { timeoutMs: 100 })
      .catch((e: unknown) => ConnectError.from(e));
    expect((error as ConnectError).code).toBe(ConnectCode.DeadlineExceeded);
    await until(() => receiver.inflight() === 0);
    expect(receiver.stats().traces?.itemsAccepted).toBe(0n);
  });
});

describe('authentication', () => {
  const credentials = { apiKey: 'k-123', bearerToken: 't-456' };

  it('requires x-api-key or a bearer token on Export and query calls alike', async () => {
    const receiver = await start(credentials);
    const t = grpc(receiver);
    const traces = createClient(TraceService, t);
    const query = createClient(QueryService, t);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => ConnectError.from(e).code,
      );

    expect(await codeOf(traces.export(traceRequest(1)))).toBe(ConnectCode.Unauthenticated);
    expect(await codeOf(traces.export(traceRequest(1), { headers: { 'x-api-key': 'nope' } }))).toBe(
      ConnectCode.Unauthenticated,
    );
    expect(
      await codeOf(traces.export(traceRequest(1), { headers: { authorization: 'Bearer k-123' } })),
    ).toBe(ConnectCode.Unauthenticated);
    expect(await codeOf(query.getStats({}))).toBe(ConnectCode.Unauthenticated);

    expect(
      await codeOf(traces.export(traceRequest(1), { headers: { 'x-api-key': 'k-123' } })),
    ).toBe('ok');
    expect(
      await codeOf(traces.export(traceRequest(1), { headers: { authorization: 'Bearer t-456' } })),
    ).toBe('ok');
    const stats = await query.getStats({}, { headers: { 'x-api-key': 'k-123' } });
    expect(stats.traces?.itemsAccepted).toBe(2n);
    expect(stats.traces?.errorsByCode.unauthenticated).toBe(3n);
  });

  it('refuses before reading the body: garbage without credentials is UNAUTHENTICATED', async () => {
    const receiver = await start(credentials);
    const s = await session(receiver);
    const missing = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: envelope(new Uint8Array(9).fill(0xff)),
    });
    expect(missing.grpcStatus).toBe(Code.Unauthenticated);
    expect(missing.grpcMessage).toMatch(/missing credentials/);
    const wrong = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      headers: { 'x-api-key': 'k-124' },
      body: envelope(good),
    });
    expect(wrong.grpcStatus).toBe(Code.Unauthenticated);
    expect(wrong.grpcMessage).toMatch(/invalid credentials/);
    const ok = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      headers: { 'x-api-key': 'k-123' },
      body: envelope(good),
    });
    expect(ok.grpcStatus).toBe(Code.Ok);
  });
});

describe('CORS', () => {
  const origin = 'http://app.example:5173';

  function h1(
    receiver: Receiver,
    method: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: receiver.port,
            method,
            path: EXPORT_PATHS.traces,
            headers,
            agent: false,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }

  const preflight = (from: string) => ({
    origin: from,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type,x-grpc-web,grpc-encoding',
  });

  it('answers the preflight of an allowed origin with every header gRPC-web needs', async () => {
    const receiver = await start({ corsOrigins: [origin] });
    const res = await h1(receiver, 'OPTIONS', preflight(origin));
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    const allowed = String(res.headers['access-control-allow-headers']).split(', ');
    for (const name of [
      'content-type',
      'x-grpc-web',
      'x-user-agent',
      'grpc-timeout',
      'grpc-encoding',
      'grpc-accept-encoding',
      'connect-protocol-version',
      'connect-timeout-ms',
      'authorization',
      'x-api-key',
    ]) {
      expect(allowed).toContain(name);
    }
  });

  it('gives a disallowed origin no CORS headers', async () => {
    const receiver = await start({ corsOrigins: [origin] });
    const res = await h1(receiver, 'OPTIONS', preflight('http://evil.example'));
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const call = await h1(
      receiver,
      'POST',
      {
        origin: 'http://evil.example',
        'content-type': 'application/grpc-web+proto',
        'x-grpc-web': '1',
      },
      envelope(good),
    );
    expect(call.status).toBe(200);
    expect(Object.keys(call.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('puts CORS headers on successful and failed calls, over HTTP/1.1 and HTTP/2', async () => {
    const receiver = await start({ corsOrigins: [origin] });
    const web = { origin, 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' };
    const ok = await h1(receiver, 'POST', web, envelope(good));
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
    const exposed = String(ok.headers['access-control-expose-headers']).split(', ');
    for (const name of [
      'grpc-status',
      'grpc-message',
      'grpc-status-details-bin',
      'grpc-encoding',
    ]) {
      expect(exposed).toContain(name);
    }
    const bad = await h1(receiver, 'POST', web, envelope(Uint8Array.of(0xff, 0xff)));
    expect(bad.headers['access-control-allow-origin']).toBe(origin);
    expect(bad.body.subarray(5).toString('latin1')).toMatch(/grpc-status: ?3/);

    const s = await session(receiver);
    const unknown = await rawRequest(s, {
      path: '/x.Y/Z',
      headers: { origin },
      body: envelope(good),
    });
    expect(unknown.grpcStatus).toBe(Code.Unimplemented);
    expect(unknown.headers['access-control-allow-origin']).toBe(origin);
    expect(unknown.headers['access-control-expose-headers']).toContain('grpc-status');
  });
});

describe('HTTP/1.1', () => {
  it('refuses an oversized Connect request and keeps serving', async () => {
    const receiver = await start({ maxMessageBytes: 32 * 1024 });
    const client = createClient(
      TraceService,
      createConnectTransport({ baseUrl: receiver.url, httpVersion: '1.1' }),
    );
    const error = await client
      .export(traceRequest(1, { padding: 256 * 1024 }))
      .catch((e: unknown) => ConnectError.from(e));
    expect((error as ConnectError).code).toBe(ConnectCode.ResourceExhausted);
    await client.export(traceRequest(2));
    expect(receiver.stats().traces?.itemsAccepted).toBe(2n);
  });
});

describe('graceful shutdown', () => {
  it('finishes every call in flight, writes them all to the JSONL file, then stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-receiver-jsonl-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const jsonlPath = join(dir, 'received.jsonl');
    const receiver = await start({ exportDelayMs: 400, jsonlPath });
    const client = createClient(TraceService, grpc(receiver));
    const n = 6;
    const calls = Array.from({ length: n }, (_, i) =>
      client.export(traceRequest(1, { name: `batch${i}` })),
    );
    await until(() => receiver.inflight() === n);

    const closed = receiver.close();
    const results = await Promise.allSettled(calls);
    await closed;

    expect(results.map((r) => r.status)).toEqual(Array(n).fill('fulfilled'));
    const written = readFileSync(jsonlPath, 'utf8');
    for (let i = 0; i < n; i++) expect(written).toContain(`batch${i}-0`);
    expect(receiver.stats().traces?.itemsAccepted).toBe(BigInt(n));

    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(receiver.port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
