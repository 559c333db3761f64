import type * as http2 from 'node:http2';
import * as net from 'node:net';
import { gzipSync } from 'node:zlib';
import { toBinary } from '@bufbuild/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import {
  closeSession,
  connectSession,
  EXPORT_PATHS,
  envelope,
  type RawResponse,
  rawRequest,
} from '../helpers/raw-http2.js';

const MAX = 64 * 1024;
const good = toBinary(ExportTraceServiceRequestSchema, traceRequest(2));

let receiver: Receiver;
let session: http2.ClientHttp2Session;

beforeAll(async () => {
  receiver = await startReceiver({ port: 0, maxMessageBytes: MAX });
  session = await connectSession(receiver.url);
});
afterAll(async () => {
  await closeSession(session);
  await receiver.close();
});

/** After every bad request, a good one on the same connection still succeeds. */
afterEach(async () => {
  const before = receiver.stats().traces?.itemsAccepted ?? 0n;
  const res = await rawRequest(session, { path: EXPORT_PATHS.traces, body: envelope(good) });
  expect(res.status).toBe(200);
  expect(res.grpcStatus).toBe(Code.Ok);
  expect(receiver.stats().traces?.itemsAccepted).toBe(before + 2n);
});

function exportTraces(body: Uint8Array | Uint8Array[], headers: Record<string, string> = {}) {
  return rawRequest(session, { path: EXPORT_PATHS.traces, body, headers });
}

function errorsByCode(): Record<string, bigint> {
  return { ...receiver.stats().traces?.errorsByCode };
}

function expectStatus(res: RawResponse, code: Code, message: RegExp): void {
  expect(res.status).toBe(200);
  expect(res.grpcStatus).toBe(code);
  expect(res.grpcMessage).toMatch(message);
}

describe('malformed gRPC requests', () => {
  it('answers INVALID_ARGUMENT for an envelope cut short, and counts it', async () => {
    const before = errorsByCode().invalid_argument ?? 0n;
    const res = await exportTraces(envelope(good.subarray(0, 10), 0, good.length));
    expectStatus(res, Code.InvalidArgument, /incomplete envelope/);
    expect(errorsByCode().invalid_argument).toBe(before + 1n);
  });

  it('answers INVALID_ARGUMENT naming the problem for a truncated protobuf', async () => {
    const res = await exportTraces(envelope(good.subarray(0, good.length - 7)));
    expectStatus(
      res,
      Code.InvalidArgument,
      /cannot decode opentelemetry\.proto\.collector\.trace\.v1\.ExportTraceServiceRequest from protobuf/,
    );
  });

  it('answers INVALID_ARGUMENT for garbage bytes inside an envelope', async () => {
    const res = await exportTraces(envelope(new Uint8Array(64).fill(0xff)));
    expectStatus(res, Code.InvalidArgument, /cannot decode/);
  });

  it('answers INVALID_ARGUMENT for a body shorter than an envelope header', async () => {
    const res = await exportTraces(Uint8Array.of(0x00, 0x01, 0x02));
    expectStatus(res, Code.InvalidArgument, /incomplete envelope/);
  });

  it('answers INVALID_ARGUMENT for an empty body', async () => {
    const res = await exportTraces([]);
    expectStatus(res, Code.InvalidArgument, /no message/);
  });

  it('answers INVALID_ARGUMENT for two messages in a unary call', async () => {
    const res = await exportTraces([envelope(good), envelope(good)]);
    expectStatus(res, Code.InvalidArgument, /more than one request message/);
  });

  it('answers INVALID_ARGUMENT for undefined envelope flags', async () => {
    const res = await exportTraces(envelope(good, 0x80));
    expectStatus(res, Code.InvalidArgument, /invalid message flags 0x80/);
  });

  it('answers INVALID_ARGUMENT for a bad grpc-timeout', async () => {
    const res = await exportTraces(envelope(good), { 'grpc-timeout': 'soon' });
    expectStatus(res, Code.InvalidArgument, /grpc timeout/);
  });
});

describe('size limit', () => {
  it('answers RESOURCE_EXHAUSTED without RetryInfo for a message over the limit', async () => {
    const before = errorsByCode().resource_exhausted ?? 0n;
    const big = toBinary(ExportTraceServiceRequestSchema, traceRequest(1, { padding: MAX }));
    const res = await exportTraces(envelope(big));
    expectStatus(res, Code.ResourceExhausted, new RegExp(`${MAX}`));
    expect(res.statusDetails).toBeUndefined();
    expect(errorsByCode().resource_exhausted).toBe(before + 1n);
  });

  it('answers RESOURCE_EXHAUSTED for a small gzip message that inflates past the limit', async () => {
    const bomb = gzipSync(new Uint8Array(MAX * 4));
    expect(bomb.length).toBeLessThan(MAX);
    const res = await exportTraces(envelope(bomb, 1), { 'grpc-encoding': 'gzip' });
    expectStatus(res, Code.ResourceExhausted, /after gzip decompression/);
    expect(res.statusDetails).toBeUndefined();
  });
});

describe('compression errors', () => {
  it('answers INVALID_ARGUMENT for a compressed flag over bytes that are not gzip', async () => {
    const res = await exportTraces(envelope(good, 1), { 'grpc-encoding': 'gzip' });
    expectStatus(res, Code.InvalidArgument, /gzip decompression failed/);
  });

  it('answers INVALID_ARGUMENT for a gzip stream cut short', async () => {
    const zipped = gzipSync(good);
    const res = await exportTraces(envelope(zipped.subarray(0, zipped.length - 12), 1), {
      'grpc-encoding': 'gzip',
    });
    expectStatus(res, Code.InvalidArgument, /gzip decompression failed/);
  });

  it('answers INVALID_ARGUMENT for a compressed flag without grpc-encoding', async () => {
    const res = await exportTraces(envelope(gzipSync(good), 1));
    expectStatus(res, Code.InvalidArgument, /no grpc-encoding/i);
  });

  it('answers UNIMPLEMENTED listing what it accepts for an unknown encoding', async () => {
    const res = await exportTraces(envelope(good, 1), { 'grpc-encoding': 'zstd' });
    expectStatus(res, Code.Unimplemented, /unknown compression "zstd"/);
    expect(res.headers['grpc-accept-encoding'] ?? res.trailers['grpc-accept-encoding']).toBe(
      'gzip',
    );
  });
});

describe('wrong protocol', () => {
  it('answers HTTP 415 for a content-type no protocol serves', async () => {
    const res = await exportTraces(envelope(good), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.grpcStatus).toBeUndefined();
  });

  it('answers UNIMPLEMENTED for an unknown method', async () => {
    const res = await rawRequest(session, {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Nope',
      body: envelope(good),
    });
    expectStatus(res, Code.Unimplemented, /unknown method/);
  });

  it('answers UNIMPLEMENTED for an unknown service in gRPC-web, 404 in Connect', async () => {
    const web = await rawRequest(session, {
      path: '/no.Such/Method',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: envelope(good),
    });
    expectStatus(web, Code.Unimplemented, /unknown method/);
    const connect = await rawRequest(session, {
      path: '/no.Such/Method',
      headers: { 'content-type': 'application/proto' },
      body: good,
    });
    expect(connect.status).toBe(404);
  });

  it('answers HTTP 405 for GET', async () => {
    const res = await rawRequest(session, { path: EXPORT_PATHS.traces, method: 'GET' });
    expect(res.status).toBe(405);
  });
});

describe('other protocols carry the same codes', () => {
  it('gRPC-web: INVALID_ARGUMENT in the trailer frame for garbage', async () => {
    const res = await exportTraces(envelope(new Uint8Array(16).fill(0xff)), {
      'content-type': 'application/grpc-web+proto',
    });
    expect(res.status).toBe(200);
    const text = Buffer.from(res.body.subarray(5)).toString('latin1');
    expect(res.body[0]).toBe(0x80);
    expect(text).toMatch(/grpc-status: ?3/);
    expect(decodeURIComponent(text)).toMatch(/cannot decode/);
  });

  it('Connect: HTTP 400 with code invalid_argument for garbage', async () => {
    const res = await exportTraces(new Uint8Array(16).fill(0xff), {
      'content-type': 'application/proto',
    });
    expect(res.status).toBe(400);
    const error = JSON.parse(Buffer.from(res.body).toString('utf8'));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/cannot decode/);
  });

  it('Connect JSON: HTTP 400 for JSON that is not the request type', async () => {
    const res = await exportTraces(new TextEncoder().encode('{"resourceSpans": 7}'), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(Buffer.from(res.body).toString('utf8')).code).toBe('invalid_argument');
  });
});

describe('broken connections', () => {
  function sendRaw(bytes: Uint8Array): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(receiver.port, '127.0.0.1', () => socket.end(bytes));
      let got = '';
      socket.on('data', (d) => {
        got += d.toString('latin1');
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(got));
    });
  }

  it('drops garbage that is neither HTTP/1.1 nor HTTP/2', async () => {
    const reply = await sendRaw(
      Uint8Array.of(0x16, 0x03, 0x01, 0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a),
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });

  it('survives an HTTP/2 preface followed by garbage frames', async () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
    await sendRaw(Buffer.concat([preface, Buffer.alloc(64, 0xab)]));
  });
});
