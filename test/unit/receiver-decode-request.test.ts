import { create, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { decodeRequestBody } from '../../src/receiver/decode-request.js';
import { detectFormat } from '../../src/receiver/request-format.js';

// The envelope reader sees the body in whatever chunks HTTP/2 delivers: every split of a
// request must read the same, and every malformed body must fail the same way.

const message = toBinary(
  ExportMetricsServiceRequestSchema,
  create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'requests', unit: '1' }] }] }],
  }),
);

function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.length);
  out.set(data, 5);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `bytes` cut at the given offsets, as an async body. */
async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

const grpc = detectFormat('application/grpc')!;

function decode(body: AsyncIterable<Uint8Array>, readMaxBytes = 1 << 20) {
  return decodeRequestBody(ExportMetricsServiceRequestSchema, body, {
    format: grpc,
    compression: null,
    readMaxBytes,
    contentLength: null,
  });
}

async function failure(body: AsyncIterable<Uint8Array>, readMaxBytes?: number) {
  const error = await decode(body, readMaxBytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

describe('reading the envelope of a unary request', () => {
  const whole = envelope(message);

  it('reads the same message wherever the body is cut, once or byte by byte', async () => {
    for (let cut = 0; cut <= whole.length; cut++) {
      const r = await decode(chunks(whole, [cut]));
      expect(r.message?.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.name).toBe('requests');
      expect(r.bytes).toBe(message.length);
    }
    const bytewise = Array.from({ length: whole.length - 1 }, (_, i) => i + 1);
    expect((await decode(chunks(whole, bytewise))).bytes).toBe(message.length);
  });

  it('reads an empty message (a zero-length envelope)', async () => {
    const r = await decode(chunks(envelope(new Uint8Array(0)), [2]));
    expect(r.bytes).toBe(0);
    expect(r.message?.resourceMetrics).toEqual([]);
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
    let read = 0;
    async function* counted(): AsyncIterable<Uint8Array> {
      for await (const c of chunks(whole, [5])) {
        read++;
        yield c;
      }
    }
    const e = await failure(counted(), message.length - 1);
    expect(e.code).toBe(Code.ResourceExhausted);
    expect(e.rawMessage).toBe(
      `message size ${message.length} is larger than configured readMaxBytes ${message.length - 1}`,
    );
    expect(read).toBe(1);
  });
});
