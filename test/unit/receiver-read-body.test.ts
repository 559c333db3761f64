import { PassThrough } from 'node:stream';
import { create, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { decodeMessage } from '../../src/receiver/server/decode-message.js';
import type { NodeRequest } from '../../src/receiver/server/node-http.js';
import { createLimiter } from '../../src/receiver/server/overload.js';
import { readBody } from '../../src/receiver/server/read-body.js';
import { unwrapMessage } from '../../src/receiver/server/read-message.js';
import { detectFormat } from '../../src/receiver/server/request-format.js';

// The body arrives in whatever chunks HTTP delivers: every split of a request must read
// the same, and every malformed or oversized body must fail the same way.

const message = toBinary(
  ExportMetricsServiceRequestSchema,
  create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'requests', unit: '1' }] }] }],
  }),
);

function envelope(data: Uint8Array, flags = 0, announced = data.length): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, announced);
  out.set(data, 5);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** `bytes` cut at the given offsets. */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out.filter((c) => c.length > 0);
}

const grpc = detectFormat('application/grpc')!;

/** A request stream that has sent `parts` (and ended, unless `open`). */
function request(parts: Uint8Array[], open = false): PassThrough {
  const req = new PassThrough();
  for (const p of parts) req.write(p);
  if (!open) req.end();
  return req;
}

function limits(
  maxMessageBytes = 1 << 20,
  buffered = createLimiter({ max: 0, retryDelayMs: 1, describe: String }),
) {
  return {
    maxBytes: maxMessageBytes + 5,
    enveloped: true,
    maxMessageBytes,
    idleMs: 10_000,
    buffered,
    signal: new AbortController().signal,
  };
}

async function decode(parts: Uint8Array[], readMaxBytes = 1 << 20) {
  const body = await readBody(request(parts) as unknown as NodeRequest, limits(readMaxBytes));
  const payload = await unwrapMessage(body.bytes, grpc, null, readMaxBytes);
  return {
    message: decodeMessage(ExportMetricsServiceRequestSchema, payload, true),
    bytes: payload.length,
  };
}

async function failure(parts: Uint8Array[], readMaxBytes?: number) {
  const error = await decode(parts, readMaxBytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

afterEach(() => {
  vi.useRealTimers();
});

const whole = envelope(message);

describe('reading the envelope of a unary request', () => {
  it('reads the same message wherever the body is cut, once or byte by byte', async () => {
    for (let cut = 0; cut <= whole.length; cut++) {
      const r = await decode(chunks(whole, [cut]));
      expect(r.message.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.name).toBe('requests');
      expect(r.bytes).toBe(message.length);
    }
    const bytewise = Array.from({ length: whole.length - 1 }, (_, i) => i + 1);
    expect((await decode(chunks(whole, bytewise))).bytes).toBe(message.length);
  });

  it('reads an empty message (a zero-length envelope)', async () => {
    const r = await decode(chunks(envelope(new Uint8Array(0)), [2]));
    expect(r.bytes).toBe(0);
    expect(r.message.resourceMetrics).toEqual([]);
  });

  it('refuses a second message, wherever the cut falls', async () => {
    const two = concat(whole, envelope(new Uint8Array(0)));
    for (const cut of [whole.length - 1, whole.length, whole.length + 2]) {
      const e = await failure(chunks(two, [cut]));
      expect(e.code).toBe(Code.InvalidArgument);
      expect(e.rawMessage).toMatch(/more than one request message/);
    }
  });

  it('refuses a body cut short, in the header or in the data', async () => {
    for (const end of [1, 4, 5, whole.length - 1]) {
      const e = await failure(chunks(whole.subarray(0, end), [Math.min(3, end)]));
      expect(e.code).toBe(Code.InvalidArgument);
      expect(e.rawMessage).toBe('protocol error: incomplete envelope');
    }
    const trailing = await failure(chunks(concat(whole, Uint8Array.of(0, 0)), []));
    expect(trailing.rawMessage).toBe('protocol error: incomplete envelope');
  });

  it('refuses an empty body and undefined flags', async () => {
    expect((await failure(chunks(new Uint8Array(0), []))).rawMessage).toMatch(/holds no message/);
    const flagged = await failure(chunks(envelope(message, 0x82), [1]));
    expect(flagged.rawMessage).toMatch(/invalid message flags 0x82/);
  });

  it('refuses an announced size over the limit as soon as the header is read', async () => {
    const e = await failure(chunks(whole, [5]), message.length - 1);
    expect(e.code).toBe(Code.ResourceExhausted);
    expect(e.rawMessage).toBe(
      `message size ${message.length} is larger than the limit of ${message.length - 1} bytes`,
    );
  });
});

describe('the memory a body holds', () => {
  it('grows with the bytes that arrived, not with the size an envelope announces', async () => {
    const buffered = createLimiter({ max: 0, retryDelayMs: 1, describe: String });
    const req = request([envelope(new Uint8Array(3), 0, 4 * 1024 * 1024 - 1)], true);
    const reading = readBody(req as unknown as NodeRequest, { ...limits(4 << 20, buffered) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(buffered.used()).toBe(8);
    req.destroy();
    await expect(reading).rejects.toThrow(/closed the request before its body ended/);
    expect(buffered.used()).toBe(0);
  });

  it('refuses a body past the receiver-wide budget with UNAVAILABLE and RetryInfo', async () => {
    const buffered = createLimiter({ max: 10, retryDelayMs: 1500, describe: (m) => `${m} bytes` });
    const held = buffered.acquire(6);
    const e = await readBody(
      request([whole]) as unknown as NodeRequest,
      limits(1 << 20, buffered),
    ).then(
      () => undefined,
      (x: unknown) => x as ConnectError,
    );
    expect(e?.code).toBe(Code.Unavailable);
    expect(e?.rawMessage).toMatch(/receiver overloaded: 10 bytes, retry after 1500 ms/);
    expect(e?.details).toHaveLength(1);
    expect(buffered.used()).toBe(6);
    (held as () => void)();
  });

  it('gives up on a body that sends nothing for the idle timeout', async () => {
    vi.useFakeTimers();
    const idle: string[] = [];
    const req = request([whole.subarray(0, 3)], true);
    const reading = readBody(req as unknown as NodeRequest, {
      ...limits(),
      idleMs: 500,
      onIdle: (d) => idle.push(d),
    });
    const outcome = reading.then(
      () => undefined,
      (e: unknown) => e as ConnectError,
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(idle).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const e = await outcome;
    expect(e?.code).toBe(Code.DeadlineExceeded);
    expect(e?.rawMessage).toBe('request body idle: no bytes for 500 ms after 3 byte(s)');
    expect(idle).toHaveLength(1);
  });
});
