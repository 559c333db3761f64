// Inputs that once got the wrong answer: an over-long varint tag, a request that is
// costly to decode, a JSONL file that cannot be written, a deadline past Node's timer
// limit, and a bearer scheme not spelled "Bearer".
import type * as http2 from 'node:http2';
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
import { gzipEnvelope, spanRequest, unknownFieldsBomb } from '../helpers/receiver-attacks.js';

const good = envelope(toBinary(ExportTraceServiceRequestSchema, traceRequest(2)));
const all = { afterSeq: 0n, limit: 1000, traceIdHex: '' } as never;

let receiver: Receiver | undefined;
let session: http2.ClientHttp2Session | undefined;
let logs: string[] = [];

async function start(options: ReceiverOptions = {}): Promise<http2.ClientHttp2Session> {
  logs = [];
  const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });
  receiver = await startReceiver({ port: 0, logger, ...options });
  session = await connectSession(receiver.url);
  return session;
}

afterEach(async () => {
  session?.destroy();
  await receiver?.close();
  receiver = undefined;
});

describe('a field tag written as an over-long varint', () => {
  // Field 5 (name), wire type 2, as a 6-byte varint that overflows 32 bits; length 0.
  const overlong = Uint8Array.of(0xaa, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00);
  const body = envelope(spanRequest(overlong));

  for (const jsonl of [false, true]) {
    it(`is INVALID_ARGUMENT ${jsonl ? 'with' : 'without'} a JSONL file, and queries keep working`, async () => {
      const dir = jsonl ? `/tmp/receiver-overlong-${process.pid}.jsonl` : undefined;
      const s = await start(dir === undefined ? {} : { jsonlPath: dir });
      const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body });
      expect(res.grpcStatus).toBe(Code.InvalidArgument);
      expect(res.grpcMessage).toMatch(
        /cannot decode .*ExportTraceServiceRequest from protobuf .*varint/,
      );
      expect(receiver!.sinks.listSpans(all).spans).toEqual([]);
      expect(logs.filter((l) => l.includes(' error '))).toEqual([]);
      const ok = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
      expect(ok.grpcStatus).toBe(Code.Ok);
      expect(receiver!.sinks.listSpans(all).spans).toHaveLength(2);
    });
  }
});

describe('costly requests', () => {
  it('let ordinary calls be answered between them', async () => {
    const s = await start();
    // 4 KB of gzip that inflates to 2 million unknown fields in a metrics request.
    const bomb = gzipEnvelope(unknownFieldsBomb(2_000_000));
    const order: string[] = [];
    let bombsLeft = 4;
    const bombs = Array.from({ length: 4 }, () =>
      rawRequest(s, {
        path: EXPORT_PATHS.traces,
        body: bomb,
        headers: { 'grpc-encoding': 'gzip' },
      }).then((res) => {
        bombsLeft--;
        order.push(`bomb:${res.grpcStatus}`);
      }),
    );
    const ordinary = (async () => {
      while (bombsLeft > 0) {
        const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
        order.push(`call:${res.grpcStatus}`);
      }
    })();
    await Promise.all([...bombs, ordinary]);
    const first = order.findIndex((o) => o.startsWith('bomb'));
    const last = order.length - 1 - [...order].reverse().findIndex((o) => o.startsWith('bomb'));
    const between = order.slice(first, last).filter((o) => o.startsWith('call'));
    expect(between.length).toBeGreaterThan(0);
    expect(new Set(order)).toEqual(new Set([`bomb:${Code.Ok}`, `call:${Code.Ok}`]));
  });
});

describe('a JSONL file that cannot be written', () => {
  it('refuses the data as UNAVAILABLE (retryable), stores nothing, logs and reports it', async () => {
    const s = await start({ jsonlPath: '/dev/full' });
    const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    expect(res.grpcStatus).toBe(Code.Unavailable);
    expect(res.grpcMessage).toMatch(/JSONL file \/dev\/full: .*ENOSPC/);
    const again = await rawRequest(s, { path: EXPORT_PATHS.traces, body: good });
    expect(again.grpcStatus).toBe(Code.Unavailable);
    expect(receiver!.stats().traces).toMatchObject({
      requests: 2n,
      itemsAccepted: 0n,
      stored: 0n,
      errorsByCode: { unavailable: 2n },
    });
    expect(logs.filter((l) => l.includes('JSONL file /dev/full'))).toHaveLength(1);
    expect(receiver!.sinks.failure?.message).toMatch(/ENOSPC/);
  });
});

describe('deadlines past Node timer limit (about 24.8 days)', () => {
  // Each call is held 50 ms, so a timer that fired after 1 ms would end it.
  it('are clamped, not fired after 1 ms: grpc-timeout 99999999S', async () => {
    const s = await start({ exportDelayMs: 50 });
    const res = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: good,
      headers: { 'grpc-timeout': '99999999S' },
    });
    expect(res.grpcStatus).toBe(Code.Ok);
  });

  it('are clamped for Connect too: connect-timeout-ms 9999999999', async () => {
    await start({ exportDelayMs: 50 });
    const res = await fetch(`${receiver!.url}${EXPORT_PATHS.traces}`, {
      method: 'POST',
      headers: { 'content-type': 'application/proto', 'connect-timeout-ms': '9999999999' },
      body: toBinary(ExportTraceServiceRequestSchema, traceRequest(1)),
    });
    expect(res.status).toBe(200);
  });
});

describe('the bearer scheme', () => {
  it('is case-insensitive (RFC 9110)', async () => {
    const s = await start({ bearerToken: 'sekret' });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await rawRequest(s, {
        path: EXPORT_PATHS.traces,
        body: good,
        headers: { authorization: `${scheme} sekret` },
      });
      expect(res.grpcStatus).toBe(Code.Ok);
    }
    const wrong = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: good,
      headers: { authorization: 'bearer wrong' },
    });
    expect(wrong.grpcStatus).toBe(Code.Unauthenticated);
  });
});
