// Like grpc-go (the Collector's server), the receiver can answer an Export call in the
// request's encoding whatever grpc-accept-encoding says (by default), so clients meet here
// what they meet in production; an option turns it off.
import type * as http2 from 'node:http2';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import { type Receiver, type ReceiverOptions, startReceiver } from '../../src/receiver/index.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import { connectSession, EXPORT_PATHS, envelope, rawRequest } from '../helpers/raw-http2.js';
import { gzipEnvelope } from '../helpers/receiver-attacks.js';

// One invalid span, so the response carries partial_success and is not empty.
const request = toBinary(ExportTraceServiceRequestSchema, traceRequest(2, { invalid: 1 }));
const gzipHeaders = { 'grpc-encoding': 'gzip', 'grpc-accept-encoding': 'identity' };

let receiver: Receiver | undefined;
let session: http2.ClientHttp2Session | undefined;

async function start(options: ReceiverOptions): Promise<http2.ClientHttp2Session> {
  receiver = await startReceiver({ port: 0, ...options });
  session = await connectSession(receiver.url);
  return session;
}

afterEach(async () => {
  session?.destroy();
  await receiver?.close();
  receiver = undefined;
});

/** The message of a one-envelope body, gunzipped when its flag says so. */
function message(body: Uint8Array): { compressed: boolean; data: Uint8Array } {
  const length = new DataView(body.buffer, body.byteOffset).getUint32(1);
  const data = body.subarray(5, 5 + length);
  const compressed = body[0] === 1;
  return { compressed, data: compressed ? new Uint8Array(gunzipSync(data)) : data };
}

function rejectedSpans(data: Uint8Array): bigint | undefined {
  return fromBinary(ExportTraceServiceResponseSchema, data).partialSuccess?.rejectedSpans;
}

describe('response compression on', () => {
  it('answers a gzip gRPC request gzipped, whatever grpc-accept-encoding says', async () => {
    const s = await start({ compressResponses: true });
    const res = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: gzipEnvelope(gzipSync(request)),
      headers: gzipHeaders,
    });
    expect(res.grpcStatus).toBe(Code.Ok);
    expect(res.headers['grpc-encoding']).toBe('gzip');
    const m = message(res.body);
    expect(m.compressed).toBe(true);
    expect(rejectedSpans(m.data)).toBe(1n);
  });

  it('answers a gzip gRPC-web request gzipped, the trailer frame left plain', async () => {
    await start({ compressResponses: true });
    const res = await fetch(`${receiver!.url}${EXPORT_PATHS.traces}`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto', ...gzipHeaders },
      body: gzipEnvelope(gzipSync(request)),
    });
    expect(res.headers.get('grpc-encoding')).toBe('gzip');
    const body = new Uint8Array(await res.arrayBuffer());
    const m = message(body);
    expect(m.compressed).toBe(true);
    expect(rejectedSpans(m.data)).toBe(1n);
    const length = new DataView(body.buffer).getUint32(1);
    const trailer = body.subarray(5 + length);
    expect(trailer[0]).toBe(0x80);
    expect(new TextDecoder().decode(trailer.subarray(5))).toMatch(/grpc-status: 0/);
  });

  it('answers an uncompressed request uncompressed', async () => {
    const s = await start({ compressResponses: true });
    const res = await rawRequest(s, { path: EXPORT_PATHS.traces, body: envelope(request) });
    expect(res.headers['grpc-encoding']).toBeUndefined();
    expect(message(res.body).compressed).toBe(false);
  });
});

describe('response compression off', () => {
  it('answers a gzip request uncompressed', async () => {
    const s = await start({ compressResponses: false });
    const res = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: gzipEnvelope(gzipSync(request)),
      headers: gzipHeaders,
    });
    expect(res.grpcStatus).toBe(Code.Ok);
    expect(res.headers['grpc-encoding']).toBeUndefined();
    const m = message(res.body);
    expect(m.compressed).toBe(false);
    expect(rejectedSpans(m.data)).toBe(1n);
  });

  it('is not the default: by default the answer is compressed, as grpc-go does', async () => {
    const s = await start({});
    const res = await rawRequest(s, {
      path: EXPORT_PATHS.traces,
      body: gzipEnvelope(gzipSync(request)),
      headers: gzipHeaders,
    });
    expect(res.headers['grpc-encoding']).toBe('gzip');
    expect(message(res.body).compressed).toBe(true);
  });
});
