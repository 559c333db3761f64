import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import type { TransportRequest } from '../../src/core/transport.js';
import { decodePartialSuccess } from '../../src/protocol/index.js';
import { createGrpcWebTransport, gzipCompression } from '../../src/web/index.js';

const PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

interface Seen {
  request: ExportTraceServiceRequest;
  headers: Headers;
}

let seen: Seen[] = [];
let grpcUrl = '';
let proxyUrl = '';
let closedUrl = '';
const sockets = new Set<Socket>();
let grpcServer: http.Server;
let proxyServer: http.Server;

/** The handler's behaviour is chosen per request by the x-behavior header. */
const adapter = connectNodeAdapter({
  routes(router) {
    router.service(TraceService, {
      async export(request, context) {
        seen.push({ request, headers: context.requestHeader });
        switch (context.requestHeader.get('x-behavior')) {
          case 'unauthenticated':
            throw new ConnectError('token expired ✓ 100%', ConnectCode.Unauthenticated);
          case 'unavailable':
            throw new ConnectError('draining', ConnectCode.Unavailable);
          case 'retry-info':
            throw new ConnectError('slow down', ConnectCode.ResourceExhausted, undefined, [
              {
                desc: RetryInfoSchema,
                value: { retryDelay: create(DurationSchema, { seconds: 2n, nanos: 250_000_000 }) },
              },
            ]);
          case 'partial':
            return { partialSuccess: { rejectedSpans: 2n, errorMessage: 'two spans too old' } };
          case 'sleep':
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 5_000);
              context.signal.addEventListener('abort', () => {
                clearTimeout(timer);
                resolve();
              });
            });
            return {};
          default:
            return {};
        }
      },
    });
  },
});

function listen(server: http.Server): Promise<string> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

beforeAll(async () => {
  // gRPC-web runs over HTTP/1.1, as fetch speaks it. (A cleartext http2 server ignores
  // allowHTTP1, which only works with TLS ALPN, so it would answer fetch with h2 frames.)
  grpcServer = http.createServer(adapter);
  grpcUrl = await listen(grpcServer);
  proxyServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/redirect/')) {
      res.writeHead(302, { location: `${grpcUrl}${PATH}` }).end();
      return;
    }
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('upstream connect error or disconnect/reset before headers');
  });
  proxyUrl = await listen(proxyServer);
  // A port that was free a moment ago: nothing listens there.
  const probe = http.createServer();
  closedUrl = await listen(probe);
  await close(probe);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([close(grpcServer), close(proxyServer)]);
});

beforeEach(() => {
  seen = [];
});

const message = create(ExportTraceServiceRequestSchema, {
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: Array.from({ length: 50 }, (_, i) => ({
            name: `span ${i}`,
            traceId: new Uint8Array(16).fill(1),
            spanId: new Uint8Array(8).fill(i + 1),
          })),
        },
      ],
    },
  ],
});
const bytes = toBinary(ExportTraceServiceRequestSchema, message);

function request(overrides: Partial<TransportRequest> = {}): TransportRequest {
  return {
    url: grpcUrl,
    path: PATH,
    body: bytes,
    encoding: 'identity',
    headers: { 'user-agent': 'OTel-OTLP-Exporter-JavaScript/test' },
    timeoutMs: 10_000,
    ...overrides,
  };
}

describe('createGrpcWebTransport against connect-node', () => {
  const transport = createGrpcWebTransport();

  it('exports uncompressed and returns OK with the response body', async () => {
    const result = await transport.send(request({ url: `${grpcUrl}/` }));
    expect(result).toEqual({
      code: Code.Ok,
      message: '',
      httpStatus: 200,
      body: expect.any(Uint8Array),
    });
    expect(decodePartialSuccess(result.body!)).toEqual({ rejected: 0, message: '' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request).toEqual(message);
    expect(seen[0]!.headers.get('grpc-encoding')).toBeNull();
    expect(seen[0]!.headers.get('x-grpc-web')).toBe('1');
    expect(seen[0]!.headers.get('x-user-agent')).toBe('OTel-OTLP-Exporter-JavaScript/test');
    expect(seen[0]!.headers.get('grpc-timeout')).toBe('10000m');
  });

  it('exports gzip-compressed; the server decodes the same message', async () => {
    const gzip = gzipCompression();
    expect(gzip?.name).toBe('gzip');
    const compressed = await gzip!.compress(bytes);
    expect(compressed.length).toBeLessThan(bytes.length);
    expect(gunzipSync(compressed).equals(Buffer.from(bytes))).toBe(true);
    const result = await transport.send(request({ body: compressed, encoding: 'gzip' }));
    expect(result.code).toBe(Code.Ok);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('grpc-encoding')).toBe('gzip');
    expect(toBinary(ExportTraceServiceRequestSchema, seen[0]!.request)).toEqual(bytes);
  });

  it('reports partial success in the body', async () => {
    const result = await transport.send(request({ headers: { 'x-behavior': 'partial' } }));
    expect(result.code).toBe(Code.Ok);
    expect(decodePartialSuccess(result.body!)).toEqual({
      rejected: 2,
      message: 'two spans too old',
    });
  });

  it('reports server errors with their code and decoded message', async () => {
    const denied = await transport.send(request({ headers: { 'x-behavior': 'unauthenticated' } }));
    expect(denied).toEqual({
      code: Code.Unauthenticated,
      message: 'token expired ✓ 100%',
      httpStatus: 200,
    });
    const draining = await transport.send(request({ headers: { 'x-behavior': 'unavailable' } }));
    expect(draining.code).toBe(Code.Unavailable);
    expect(draining.body).toBeUndefined();
  });

  it('carries RetryInfo from grpc-status-details-bin', async () => {
    const result = await transport.send(request({ headers: { 'x-behavior': 'retry-info' } }));
    expect(result).toEqual({
      code: Code.ResourceExhausted,
      message: 'slow down',
      retryDelayMs: 2250,
      httpStatus: 200,
    });
  });

  it('enforces the deadline locally: DEADLINE_EXCEEDED', async () => {
    // Without grpc-timeout the server would wait 5 s; only the local timer ends the call.
    const stripTimeout = createGrpcWebTransport({
      fetch: (input, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        delete headers['grpc-timeout'];
        return fetch(input, { ...init, headers });
      },
    });
    const result = await stripTimeout.send(
      request({ headers: { 'x-behavior': 'sleep' }, timeoutMs: 200 }),
    );
    expect(result).toEqual({
      code: Code.DeadlineExceeded,
      message: 'deadline exceeded after 200 ms',
    });
    expect(seen[0]!.headers.get('grpc-timeout')).toBeNull();
  });

  it('passes grpc-timeout so the server gives up too: DEADLINE_EXCEEDED', async () => {
    const result = await transport.send(
      request({ headers: { 'x-behavior': 'sleep' }, timeoutMs: 300 }),
    );
    expect(result.code).toBe(Code.DeadlineExceeded);
    expect(seen[0]!.headers.get('grpc-timeout')).toBe('300m');
  });

  it('uses the custom fetch and sends credentials and keepalive', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const custom = createGrpcWebTransport({
      credentials: 'include',
      fetch: (input, init) => {
        calls.push({ url: String(input), init: init! });
        return fetch(input, init);
      },
    });
    const result = await custom.send(request({ keepalive: true }));
    expect(result.code).toBe(Code.Ok);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(grpcUrl + PATH);
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      redirect: 'manual',
      credentials: 'include',
      keepalive: true,
    });
    // Browsers refuse keepalive bodies over 64 KiB, so a bigger one goes without keepalive.
    const bigRequest = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x'.repeat(70_000) }] }] }],
    });
    const big = await custom.send(
      request({ keepalive: true, body: toBinary(ExportTraceServiceRequestSchema, bigRequest) }),
    );
    expect(big.code).toBe(Code.Ok);
    expect(calls[1]!.init.keepalive).toBeUndefined();
  });
});

describe('createGrpcWebTransport against failures', () => {
  const transport = createGrpcWebTransport();

  it('maps a proxy 503 without grpc-status to UNAVAILABLE', async () => {
    const result = await transport.send(request({ url: proxyUrl }));
    expect(result).toEqual({
      code: Code.Unavailable,
      message:
        'HTTP 503 without grpc-status (from a proxy?): upstream connect error or disconnect/reset before headers',
      httpStatus: 503,
    });
  });

  it('does not follow redirects', async () => {
    const result = await transport.send(request({ url: `${proxyUrl}/redirect` }));
    expect(result.code).toBe(Code.Unknown);
    // Node's fetch (like workerd) shows the 302 itself; browsers an opaque redirect (next test).
    expect(result.message).toBe(
      `redirect refused: gRPC-web does not follow redirects (to ${grpcUrl}${PATH})`,
    );
    expect(seen).toHaveLength(0);
  });

  it('reports a browser opaque redirect', async () => {
    const browserLike = createGrpcWebTransport({
      fetch: async () => ({ type: 'opaqueredirect', status: 0 }) as Response,
    });
    expect(await browserLike.send(request())).toEqual({
      code: Code.Unknown,
      message: 'redirect refused: gRPC-web does not follow redirects',
    });
  });

  it('maps connection refused to UNAVAILABLE with the cause', async () => {
    const result = await transport.send(request({ url: closedUrl }));
    expect(result.code).toBe(Code.Unavailable);
    expect(result.message).toMatch(/^network error: fetch failed: .*ECONNREFUSED/);
    expect(result.httpStatus).toBeUndefined();
  });

  it('says to use otlp-grpc-web/node when the server speaks HTTP/2 only (native gRPC)', async () => {
    const h2 = http2.createServer();
    h2.on('stream', (stream) => stream.respond({ ':status': 200 }, { endStream: true }));
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = h2.address() as AddressInfo;
      const result = await transport.send(request({ url: `http://127.0.0.1:${port}` }));
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).toMatch(/HTTP\/1\.1 protocol/);
      expect(result.message).toContain('; HTTP/2 only? use otlp-grpc-web/node');
    } finally {
      await new Promise((resolve) => h2.close(resolve));
    }
  });

  it('maps a throwing custom fetch to UNAVAILABLE instead of throwing', async () => {
    const broken = createGrpcWebTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(await broken.send(request())).toEqual({
      code: Code.Unavailable,
      message: 'network error: Failed to fetch',
    });
  });
});
