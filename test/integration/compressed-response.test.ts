import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ExportTraceServiceResponseSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import type { Transport } from '../../src/core/transport.js';
import { createGrpcTransport } from '../../src/node/index.js';
import { decodePartialSuccess } from '../../src/protocol/index.js';
import { createGrpcWebTransport } from '../../src/web/index.js';
import { envelope } from '../helpers/raw-http2.js';

// Servers that answer as grpc-go does (the OpenTelemetry Collector): the response message
// compressed in the request's encoding, whatever grpc-accept-encoding said. `x-answer`
// picks the message: a partial_success, or `big` bytes of zeros (a gzip bomb).
const PATH = `/${TraceService.typeName}/Export`;
const partial = toBinary(
  ExportTraceServiceResponseSchema,
  create(ExportTraceServiceResponseSchema, {
    partialSuccess: { rejectedSpans: 2n, errorMessage: 'two spans too old' },
  }),
);

interface Answer {
  encoding: string;
  frames: Uint8Array[];
}

function answer(headers: Record<string, string | string[] | undefined>): Answer {
  const asked = String(headers['x-encoding'] ?? headers['grpc-encoding'] ?? 'identity');
  const big = Number(headers['x-big'] ?? 0);
  const message = big ? new Uint8Array(big) : partial;
  if (asked === 'identity') return { encoding: asked, frames: [envelope(message)] };
  const packed = asked === 'gzip' ? zlib.gzipSync(message) : message;
  return { encoding: asked, frames: [envelope(packed, 1)] };
}

const accepted: string[] = [];
let h2: http2.Http2Server;
let h1: http.Server;
let grpcUrl = '';
let webUrl = '';

beforeAll(async () => {
  h2 = http2.createServer((req, res) => {
    accepted.push(String(req.headers['grpc-accept-encoding']));
    req.resume();
    req.on('end', () => {
      const { encoding, frames } = answer(req.headers);
      res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-encoding': encoding });
      for (const frame of frames) res.write(frame);
      res.addTrailers({ 'grpc-status': '0' });
      res.end();
    });
  });
  h1 = http.createServer((req, res) => {
    accepted.push(String(req.headers['grpc-accept-encoding']));
    req.resume();
    req.on('end', () => {
      const { encoding, frames } = answer(req.headers);
      res.writeHead(200, {
        'content-type': 'application/grpc-web+proto',
        'grpc-encoding': encoding,
      });
      for (const frame of frames) res.write(frame);
      res.end(envelope(new TextEncoder().encode('grpc-status: 0\r\n'), 0x80));
    });
  });
  for (const server of [h2, h1]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  grpcUrl = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
  webUrl = `http://127.0.0.1:${(h1.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const server of [h2, h1]) await new Promise((resolve) => server.close(resolve));
});

const transports: [string, () => Transport, () => string][] = [
  ['native gRPC', () => createGrpcTransport(), () => grpcUrl],
  ['gRPC-web', () => createGrpcWebTransport(), () => webUrl],
];

describe.each(transports)('compressed responses (%s)', (_name, make, url) => {
  const send = async (headers: Record<string, string>, encoding = 'gzip') => {
    const transport = make();
    try {
      return await transport.send({
        url: url(),
        path: PATH,
        body: zlib.gzipSync(new Uint8Array(0)),
        encoding,
        headers,
        timeoutMs: 10_000,
      });
    } finally {
      await transport.close();
    }
  };

  it('advertises gzip and reads a gzip answer: partial_success arrives', async () => {
    accepted.length = 0;
    const result = await send({});
    expect(accepted).toEqual(['identity,gzip']);
    expect(result).toMatchObject({ code: Code.Ok, httpStatus: 200 });
    expect(result.responseUnread).toBeUndefined();
    expect(decodePartialSuccess(result.body!)).toEqual({
      rejected: 2,
      message: 'two spans too old',
    });
  });

  it('keeps an OK in an encoding it cannot decode as OK, the message unread', async () => {
    const result = await send({ 'x-encoding': 'snappy' });
    expect(result).toEqual({
      code: Code.Ok,
      message: '',
      httpStatus: 200,
      responseUnread: 'snappy response message unread: not decodable here',
    });
  });

  it('fails, not retryable, when the message inflates past 4 MiB', async () => {
    const result = await send({ 'x-big': String(4 * 1024 * 1024 + 1) });
    expect(result).toMatchObject({
      code: Code.ResourceExhausted,
      message: 'gzip response message exceeds the response limit of 4194304 bytes',
    });
    expect(result.body).toBeUndefined();
  });

  it('fails when the response body itself passes 4 MiB', async () => {
    const result = await send({ 'x-big': String(4 * 1024 * 1024), 'x-encoding': 'identity' });
    expect(result).toMatchObject({
      code: Code.ResourceExhausted,
      message: 'response body exceeds the response limit of 4194304 bytes',
    });
  });
});
