// The receiver's resource bounds, each as an attacker would probe it: memory kept by the
// store, inflight slots held by stalled bodies, silent connections and streams, too many
// connections, and buffers sized by what a header announces.
import type * as http2 from 'node:http2';
import { gzipSync } from 'node:zlib';
import { toBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import {
  createLogger,
  type Receiver,
  type ReceiverOptions,
  startReceiver,
} from '../../src/receiver/index.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import { connectSession, EXPORT_PATHS, envelope, rawRequest } from '../helpers/raw-http2.js';
import {
  emptyAttributesBomb,
  gzipEnvelope,
  openSocket,
  whenClosed,
} from '../helpers/receiver-attacks.js';

const good = envelope(toBinary(ExportTraceServiceRequestSchema, traceRequest(2)));
const gzipHeaders = { 'grpc-encoding': 'gzip' };

let receiver: Receiver | undefined;
let sessions: http2.ClientHttp2Session[] = [];
let logs: string[] = [];

async function start(options: ReceiverOptions = {}): Promise<Receiver> {
  logs = [];
  const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });
  receiver = await startReceiver({ port: 0, logger, shutdownGraceMs: 500, ...options });
  return receiver;
}

async function session(): Promise<http2.ClientHttp2Session> {
  const s = await connectSession(receiver!.url);
  sessions.push(s);
  return s;
}

/** Waits for `promise`, failing with `what` if it does not settle within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

afterEach(async () => {
  for (const s of sessions) s.destroy();
  sessions = [];
  await receiver?.close();
  receiver = undefined;
});

describe('memory the store keeps', () => {
  it('stays under its byte bound: spans of 1 MiB attributes evict older ones', async () => {
    const r = await start();
    const s = await session();
    const big = gzipEnvelope(
      gzipSync(toBinary(ExportTraceServiceRequestSchema, traceRequest(1, { padding: 1 << 20 }))),
    );
    for (let i = 0; i < 48; i++) {
      const res = await rawRequest(s, {
        path: EXPORT_PATHS.traces,
        body: big,
        headers: gzipHeaders,
      });
      expect(res.grpcStatus).toBe(Code.Ok);
    }
    const traces = r.stats().traces!;
    expect(traces.itemsAccepted).toBe(48n);
    // The default bound is 32 MiB per signal: at most 31 such spans fit.
    expect(traces.stored).toBeLessThan(32n);
    expect(traces.stored).toBeGreaterThan(0n);
  });

  it('refuses a 2 KB request of a million empty attributes (about 80 MB decoded)', async () => {
    const r = await start();
    const s = await session();
    const res = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: gzipEnvelope(emptyAttributesBomb(1_000_000)),
      headers: gzipHeaders,
    });
    expect(res.grpcStatus).toBe(Code.ResourceExhausted);
    expect(res.grpcMessage).toMatch(
      /^request of 2000\d+ bytes would take about \d+ bytes of memory decoded, more than the limit of 67108864$/,
    );
    expect(res.statusDetails).toBeUndefined();
    expect(r.stats().traces).toMatchObject({
      itemsAccepted: 0n,
      stored: 0n,
      errorsByCode: { resource_exhausted: 1n },
    });
  });

  it('sheds calls past the memory all calls in progress may hold, with RetryInfo', async () => {
    await start({ maxBufferedBytes: 256 * 1024, retryDelayMs: 2000 });
    const s = await session();
    const large = envelope(toBinary(ExportTraceServiceRequestSchema, traceRequest(1000)));
    const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: large });
    expect(res.grpcStatus).toBe(Code.Unavailable);
    expect(res.grpcMessage).toBe(
      'receiver overloaded: calls in progress hold 262144 bytes, retry after 2000 ms',
    );
    expect(res.statusDetails).toBeDefined();
    expect(logs.some((l) => l.includes('limit hit: max buffered bytes'))).toBe(true);
    const small = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    expect(small.grpcStatus).toBe(Code.Ok);
  });
});

describe('inflight slots', () => {
  it('are not held by streams that sent 6 bytes and stalled', async () => {
    const r = await start({ maxInflight: 2 });
    const s = await session();
    const stalled = Array.from({ length: 4 }, () => {
      const stream = s.request({
        ':method': 'POST',
        ':path': EXPORT_PATHS.traces,
        'content-type': 'application/grpc',
      });
      stream.on('error', () => {});
      stream.write(good.subarray(0, 6));
      return stream;
    });
    const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    expect(res.grpcStatus).toBe(Code.Ok);
    expect(r.stats().traces?.itemsAccepted).toBe(2n);
    for (const stream of stalled) stream.close();
  });
});

describe('timeouts', () => {
  it('answers DEADLINE_EXCEEDED to a stream whose body never comes, and logs it', async () => {
    await start({ bodyTimeoutMs: 200 });
    const s = await session();
    const stream = s.request({
      ':method': 'POST',
      ':path': EXPORT_PATHS.traces,
      'content-type': 'application/grpc',
    });
    stream.write(good.subarray(0, 3));
    const trailers = await within(
      new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        stream.on('trailers', resolve);
        stream.on('response', (h) => {
          if (h['grpc-status'] !== undefined) resolve(h);
        });
        stream.on('error', reject);
      }),
      5000,
      'an answer to the stalled stream',
    );
    expect(Number(trailers['grpc-status'])).toBe(Code.DeadlineExceeded);
    expect(decodeURIComponent(String(trailers['grpc-message']))).toBe(
      'request body idle: no bytes for 200 ms after 3 byte(s)',
    );
    expect(logs.some((l) => l.includes('limit hit: body idle timeout'))).toBe(true);
    stream.close();
  });

  it('closes a connection that sends nothing', async () => {
    const r = await start({ headersTimeoutMs: 200 });
    const socket = await openSocket(r.port);
    await within(whenClosed(socket), 5000, 'closing a silent connection');
    expect(logs.some((l) => l.includes('limit hit: headers timeout'))).toBe(true);
  });

  it('closes an HTTP/1.1 connection whose headers stop halfway', async () => {
    const r = await start({ headersTimeoutMs: 200 });
    const socket = await openSocket(r.port);
    socket.write('POST /opentelemetry.proto.collector.trace.v1.TraceService/Export HTTP/1.1\r\n');
    socket.write('host: x\r\ncontent-type: application/grpc-web+proto\r\n');
    await within(whenClosed(socket), 5000, 'closing a connection with half-sent headers');
  });

  it('sends GOAWAY on an HTTP/2 connection idle past the idle timeout', async () => {
    await start({ idleTimeoutMs: 200 });
    const s = await session();
    await within(
      new Promise<void>((resolve) => s.once('goaway', () => resolve())),
      5000,
      'GOAWAY on an idle connection',
    );
  });
});

describe('connections', () => {
  it('closes connections past the limit at once, logs it, and serves again once they go', async () => {
    const r = await start({ maxConnections: 2, headersTimeoutMs: 60_000 });
    const held = [await openSocket(r.port), await openSocket(r.port)];
    const extra = await openSocket(r.port);
    await within(whenClosed(extra), 5000, 'closing a connection past the limit');
    expect(logs.some((l) => l.includes('limit hit: max connections'))).toBe(true);
    for (const socket of held) socket.destroy();
    await Promise.all(held.map(whenClosed));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const s = await session();
    const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    expect(res.grpcStatus).toBe(Code.Ok);
  });
});

describe('request buffers', () => {
  it('grow with the bytes that arrive, not with the size an envelope announces', async () => {
    const r = await start({ bodyTimeoutMs: 60_000 });
    const s = await session();
    const header = new Uint8Array(5);
    new DataView(header.buffer).setUint32(1, 4 * 1024 * 1024 - 1);
    const before = process.memoryUsage().arrayBuffers;
    const streams = Array.from({ length: 40 }, () => {
      const stream = s.request({
        ':method': 'POST',
        ':path': EXPORT_PATHS.traces,
        'content-type': 'application/grpc',
      });
      stream.on('error', () => {});
      stream.write(header);
      return stream;
    });
    // Let the receiver read every header (a query call on the same connection comes after).
    for (let i = 0; i < 5; i++) {
      await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    // 40 announced bodies of 4 MiB would be 160 MiB.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    expect(r.stats().traces?.itemsAccepted).toBe(10n);
    for (const stream of streams) stream.close();
  });
});
