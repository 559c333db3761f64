import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinary } from '@bufbuild/protobuf';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import type { Transport } from '../../src/core/transport.js';
import { createGrpcTransport, gzipCompression } from '../../src/node/index.js';
import { decodePartialSuccess } from '../../src/protocol/index.js';
import {
  bytes,
  freePort,
  message,
  PATH,
  request,
  startRelay,
  startServer,
  type TestServer,
  tcpSockets,
  until,
} from './node-test-servers.js';

let server: TestServer;
const transports: Transport[] = [];

/** A transport that the test's afterEach closes. */
function transport(options: Parameters<typeof createGrpcTransport>[0] = {}): Transport {
  const created = createGrpcTransport(options);
  transports.push(created);
  return created;
}

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.kill();
});

beforeEach(() => {
  server.seen = [];
  server.sessionsSeen = 0;
  server.pings = 0;
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await server.drained();
});

describe('createGrpcTransport over h2c', () => {
  it('exports and returns OK with the response body', async () => {
    const result = await transport().send(request(`${server.url}/`));
    expect(result).toEqual({
      code: Code.Ok,
      message: '',
      httpStatus: 200,
      body: expect.any(Uint8Array),
    });
    expect(decodePartialSuccess(result.body!)).toEqual({ rejected: 0, message: '' });
    expect(server.seen).toHaveLength(1);
    const headers = server.seen[0]!.headers;
    expect(server.seen[0]!.request).toEqual(message);
    expect(headers.get('content-type')).toBe('application/grpc+proto');
    expect(headers.get('user-agent')).toBe('OTel-OTLP-Exporter-JavaScript/test');
    expect(headers.get('grpc-timeout')).toBe('10000m');
    expect(headers.get('grpc-encoding')).toBeNull();
  });

  it('exports gzip-compressed with zlib; the server decodes the same message', async () => {
    const gzip = gzipCompression();
    const compressed = await gzip.compress(bytes);
    expect(compressed.length).toBeLessThan(bytes.length);
    const result = await transport().send(
      request(server.url, { body: compressed, encoding: gzip.name }),
    );
    expect(result.code).toBe(Code.Ok);
    expect(server.seen[0]!.headers.get('grpc-encoding')).toBe('gzip');
    expect(toBinary(ExportTraceServiceRequestSchema, server.seen[0]!.request)).toEqual(bytes);
  });

  it('reports server errors, RetryInfo and partial success', async () => {
    const t = transport();
    const denied = await t.send(
      request(server.url, { headers: { 'x-behavior': 'unauthenticated' } }),
    );
    expect(denied).toEqual({
      code: Code.Unauthenticated,
      message: 'token expired ✓ 100%',
      httpStatus: 200,
    });
    const slow = await t.send(request(server.url, { headers: { 'x-behavior': 'retry-info' } }));
    expect(slow).toEqual({
      code: Code.ResourceExhausted,
      message: 'slow down',
      retryDelayMs: 2250,
      httpStatus: 200,
    });
    const partial = await t.send(request(server.url, { headers: { 'x-behavior': 'partial' } }));
    expect(partial.code).toBe(Code.Ok);
    expect(decodePartialSuccess(partial.body!)).toEqual({
      rejected: 2,
      message: 'two spans too old',
    });
    const missing = await t.send(request(server.url, { path: '/no.Such/Method' }));
    expect(missing.code).toBe(Code.Unimplemented);
  });

  it('reuses one session for sequential and concurrent calls', async () => {
    const t = transport();
    for (let i = 0; i < 3; i++) expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    const parallel = await Promise.all(
      Array.from({ length: 5 }, () => t.send(request(server.url))),
    );
    expect(parallel.map((r) => r.code)).toEqual(Array(5).fill(Code.Ok));
    expect(server.seen).toHaveLength(8);
    expect(server.sessionsSeen).toBe(1);
  });

  it('closes an idle session after idleTimeoutMs and reconnects on the next call', async () => {
    const t = transport({ idleTimeoutMs: 100 });
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    expect(server.open.size).toBe(1);
    await until(() => server.open.size === 0, 'the idle session to close');
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    expect(server.sessionsSeen).toBe(2);
  });

  it('close() ends every session, resolves once closed, and later calls reconnect', async () => {
    const t = createGrpcTransport();
    await Promise.all([t.send(request(server.url)), t.send(request(server.url))]);
    expect(server.open.size).toBe(1);
    await t.close();
    await until(() => server.open.size === 0, 'the server to see the session close');
    await until(() => tcpSockets() === 0, 'no socket left open');
    const again = await t.send(request(server.url));
    expect(again.code).toBe(Code.Ok);
    expect(server.sessionsSeen).toBe(2);
    await t.close();
    await t.close(); // closing twice is harmless
  });

  it('never keeps a process alive: a script that exports and never closes exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-node-unref-'));
    try {
      await build({
        entryPoints: ['src/node/index.ts'],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: join(dir, 'node.mjs'),
        logLevel: 'silent',
      });
      writeFileSync(
        join(dir, 'child.mjs'),
        `import { createGrpcTransport } from './node.mjs';
const transport = createGrpcTransport();
const result = await transport.send({ url: process.argv[2], path: ${JSON.stringify(PATH)},
  body: new Uint8Array(0), encoding: 'identity', headers: {}, timeoutMs: 5000 });
process.stdout.write(String(result.code));
`,
      );
      const child = spawn(process.execPath, [join(dir, 'child.mjs'), server.url], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      // The idle session would hold the process for idleTimeoutMs (60 s) if it were ref'd.
      const killer = setTimeout(() => child.kill(), 15_000);
      const [exitCode, signal] = await once(child, 'exit');
      clearTimeout(killer);
      expect(out).toBe(String(Code.Ok));
      expect({ exitCode, signal }).toEqual({ exitCode: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets calls in flight finish when close() is called', async () => {
    const t = createGrpcTransport();
    const pending = t.send(request(server.url, { headers: { 'x-behavior': 'partial' } }));
    await until(() => server.seen.length === 1, 'the call to arrive');
    await t.close();
    expect((await pending).code).toBe(Code.Ok);
  });

  it('moves to a new session after a graceful GOAWAY', async () => {
    const t = transport();
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    for (const session of server.open) session.close(); // sends GOAWAY(NO_ERROR)
    const next = await t.send(request(server.url));
    expect(next.code).toBe(Code.Ok);
    expect(server.sessionsSeen).toBe(2);
  });

  it('survives a server restart: UNAVAILABLE at worst, then OK', async () => {
    const first = await startServer();
    const t = transport();
    try {
      expect((await t.send(request(first.url))).code).toBe(Code.Ok);
      await first.kill();
      const second = await startServer(undefined, first.port);
      try {
        const next = await t.send(request(first.url));
        expect([Code.Ok, Code.Unavailable]).toContain(next.code);
        const later = await t.send(request(first.url));
        expect(later.code).toBe(Code.Ok);
        expect(second.seen.length).toBeGreaterThanOrEqual(1);
        await t.close();
      } finally {
        await second.kill();
      }
    } finally {
      await first.kill().catch(() => {});
    }
  });

  it('reports a connection lost during a call as UNAVAILABLE', async () => {
    const doomed = await startServer();
    const t = transport();
    try {
      const pending = t.send(request(doomed.url, { headers: { 'x-behavior': 'sleep' } }));
      await until(() => doomed.seen.length === 1, 'the call to arrive');
      await doomed.kill();
      const result = await pending;
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).not.toBe('');
    } finally {
      await doomed.kill().catch(() => {});
    }
  });

  it('reports a refused connection as UNAVAILABLE', async () => {
    const port = await freePort();
    const result = await transport().send(request(`http://127.0.0.1:${port}`));
    expect(result.code).toBe(Code.Unavailable);
    expect(result.message).toContain('ECONNREFUSED');
    expect(result.message).toContain(`http://127.0.0.1:${port}`);
  });

  it('passes grpc-timeout so the server gives up too: DEADLINE_EXCEEDED', async () => {
    const result = await transport().send(
      request(server.url, { headers: { 'x-behavior': 'sleep' }, timeoutMs: 300 }),
    );
    expect(result.code).toBe(Code.DeadlineExceeded);
    expect(server.seen[0]!.headers.get('grpc-timeout')).toBe('300m');
  });

  it('rejects unusable URLs and headers with INVALID_ARGUMENT, without throwing', async () => {
    const t = transport();
    expect((await t.send(request('not a url'))).code).toBe(Code.InvalidArgument);
    const ftp = await t.send(request('ftp://127.0.0.1:21'));
    expect(ftp).toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringContaining('http://'),
    });
    const bad = await t.send(request(server.url, { headers: { connection: 'keep-alive' } }));
    expect(bad.code).toBe(Code.InvalidArgument);
    expect(bad.message).toContain('connection');
  });

  it('rejects negative durations when created', () => {
    expect(() => createGrpcTransport({ idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
  });
});

describe('against a hand-written HTTP/2 server', () => {
  let raw: http2.Http2Server;
  let url = '';
  let streams = 0;
  let refuse = 0;

  beforeAll(async () => {
    raw = http2.createServer();
    raw.on('stream', (stream, headers) => {
      streams++;
      stream.resume();
      stream.on('error', () => {}); // a refused stream reports REFUSED_STREAM here too
      if (refuse > 0) {
        refuse--;
        stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      } else if (headers[':path'] === '/proxy/503') {
        stream.respond({ ':status': 503, 'content-type': 'text/plain' });
        stream.end('no healthy upstream');
      } else {
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc' },
          { waitForTrailers: true },
        );
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(new Uint8Array(5));
      }
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  });

  beforeEach(() => {
    streams = 0;
    refuse = 0;
  });

  it('sends a refused stream once more at once, as gRPC allows', async () => {
    refuse = 1;
    const result = await transport().send(request(url));
    expect(result).toMatchObject({ code: Code.Ok, httpStatus: 200 });
    expect(streams).toBe(2);
  });

  it('gives up with UNAVAILABLE when the retry is refused too', async () => {
    refuse = 5;
    const result = await transport().send(request(url));
    expect(result.code).toBe(Code.Unavailable);
    expect(result.message).toContain('REFUSED_STREAM');
    expect(streams).toBe(2);
  });

  it('maps a proxy answer without grpc-status by its HTTP status', async () => {
    const result = await transport().send(request(url, { path: '/proxy/503' }));
    expect(result).toMatchObject({ code: Code.Unavailable, httpStatus: 503 });
    expect(result.message).toContain('no healthy upstream');
  });
});

describe('deadlines and dead connections', () => {
  it('enforces the deadline locally when the server never answers', async () => {
    // A server that ignores grpc-timeout: only the local timer can end the call.
    const streams: http2.ServerHttp2Stream[] = [];
    const silent = http2.createServer();
    silent.on('stream', (stream) => streams.push(stream));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const t = transport();
    try {
      const result = await t.send(request(url, { timeoutMs: 200 }));
      expect(result).toEqual({
        code: Code.DeadlineExceeded,
        message: 'deadline exceeded after 200 ms',
      });
      // The stream was cancelled, not left open on the server.
      await until(() => streams[0]?.closed === true, 'the server stream to be reset');
      expect(streams[0]!.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    } finally {
      await t.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('verifies a session unused for keepaliveIntervalMs with a PING before reuse', async () => {
    const t = transport({ keepaliveIntervalMs: 50 });
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    const before = server.pings;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await t.send(request(server.url))).code).toBe(Code.Ok);
    expect(server.pings).toBeGreaterThan(before);
    expect(server.sessionsSeen).toBe(1);
  });

  it('replaces a silently dropped connection whose PING goes unanswered', async () => {
    const relay = await startRelay(server.port);
    const t = transport({ keepaliveIntervalMs: 50, keepaliveTimeoutMs: 100 });
    try {
      expect((await t.send(request(relay.url))).code).toBe(Code.Ok);
      relay.blackhole();
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await t.send(request(relay.url))).code).toBe(Code.Ok);
      expect(relay.connections).toBe(2);
    } finally {
      await t.close();
      await relay.close();
    }
  });

  it('fails a call in flight with UNAVAILABLE when keepalive PINGs go unanswered', async () => {
    const relay = await startRelay(server.port);
    const t = transport({ keepaliveIntervalMs: 100, keepaliveTimeoutMs: 100 });
    try {
      const pending = t.send(request(relay.url, { headers: { 'x-behavior': 'sleep' } }));
      await until(() => server.seen.length === 1, 'the call to arrive');
      relay.blackhole();
      const result = await pending;
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).toMatch(/keepalive PING .* not answered within 100 ms/);
    } finally {
      await t.close();
      await relay.close();
    }
  });
});
