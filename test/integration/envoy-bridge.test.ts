// Real traffic through a real Envoy (envoy/envoy.yaml's structure, ports 0) to a real
// HTTP/2 gRPC backend: gRPC-web via connect-node's client and via raw fetch.
import { gzipSync } from 'node:zlib';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { compressionGzip, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { envoyDefaults } from '../../src/envoy/envoy-options.js';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import {
  envelope,
  messageOfSize,
  startTestUpstream,
  type TestUpstream,
  TRACE_EXPORT_PATH,
} from './envoy-upstream.js';

const ORIGIN = 'http://app.test:5173';
let upstream: TestUpstream;
let envoy: RunningEnvoy;

beforeAll(async () => {
  // In CI a missing Envoy fails here with findEnvoy's explanation; locally it installs.
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  upstream = await startTestUpstream();
  envoy = await startEnvoy({
    envoyPath,
    port: 0,
    upstreams: [`127.0.0.1:${upstream.port}`],
    corsOrigins: [ORIGIN],
  });
});

afterAll(async () => {
  await envoy?.stop();
  await upstream?.close();
});

beforeEach(() => {
  upstream.calls.length = 0;
  upstream.raw.length = 0;
});

const request = create(ExportTraceServiceRequestSchema, {
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: Array.from({ length: 40 }, (_, i) => ({
            name: `GET /checkout ${i}`,
            traceId: new Uint8Array(16).fill(7),
            spanId: new Uint8Array(8).fill(i + 1),
          })),
        },
      ],
    },
  ],
});
const requestBytes = toBinary(ExportTraceServiceRequestSchema, request);

function client(options: { gzip?: boolean; http2?: boolean } = {}) {
  const transport = createGrpcWebTransport({
    baseUrl: envoy.url,
    httpVersion: options.http2 ? '2' : '1.1',
    ...(options.gzip ? { sendCompression: compressionGzip, compressMinBytes: 0 } : {}),
  });
  return createClient(TraceService, transport);
}

/**
 * The gRPC status of a gRPC-web response: from the headers (Trailers-Only) or from the
 * trailer frame (flag 0x80) at the end of the body.
 */
async function grpcStatus(response: Response): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  for (const [key, value] of response.headers) if (key.startsWith('grpc-')) status.set(key, value);
  const body = new Uint8Array(await response.arrayBuffer());
  for (let at = 0; at + 5 <= body.length; ) {
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0);
    if (body[at]! & 0x80) {
      const text = new TextDecoder().decode(body.subarray(at + 5, at + 5 + length));
      for (const line of text.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0)
          status.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
    at += 5 + length;
  }
  return status;
}

/** A gRPC-web POST as a browser's fetch would send it. */
function post(
  body: Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
  path = TRACE_EXPORT_PATH,
) {
  return fetch(`${envoy.url}${path}`, {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      'content-type': 'application/grpc-web+proto',
      'x-grpc-web': '1',
      ...headers,
    },
    body,
  });
}

describe('gRPC-web through Envoy to a native gRPC backend', () => {
  it('exports over HTTP/1.1; the backend gets native gRPC with the same message', async () => {
    const response = await client().export(request, { headers: { 'x-behavior': 'partial' } });
    expect(response.partialSuccess?.rejectedSpans).toBe(3n);
    expect(upstream.calls).toHaveLength(1);
    expect(toBinary(ExportTraceServiceRequestSchema, upstream.calls[0]!.request)).toEqual(
      requestBytes,
    );
    // The grpc_web filter turned the call into plain gRPC for the backend.
    expect(upstream.raw[0]).toEqual({
      method: 'POST',
      path: TRACE_EXPORT_PATH,
      contentType: 'application/grpc',
      grpcTimeout: undefined,
    });
  });

  it('exports over HTTP/2 (h2c) too', async () => {
    await client({ http2: true }).export(request);
    expect(upstream.calls).toHaveLength(1);
  });

  it('passes gzip through; the backend decodes the same message', async () => {
    await client({ gzip: true }).export(request);
    expect(upstream.calls[0]!.headers.get('grpc-encoding')).toBe('gzip');
    expect(toBinary(ExportTraceServiceRequestSchema, upstream.calls[0]!.request)).toEqual(
      requestBytes,
    );

    const response = await post(envelope(gzipSync(requestBytes), true), {
      'grpc-encoding': 'gzip',
    });
    expect((await grpcStatus(response)).get('grpc-status')).toBe('0');
    expect(upstream.calls[1]!.headers.get('grpc-encoding')).toBe('gzip');
    expect(toBinary(ExportTraceServiceRequestSchema, upstream.calls[1]!.request)).toEqual(
      requestBytes,
    );
  });

  it('passes an error status with grpc-status-details-bin (RetryInfo) through', async () => {
    const error = await client()
      .export(request, { headers: { 'x-behavior': 'unavailable' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    const connectError = error as ConnectError;
    expect(connectError.code).toBe(Code.Unavailable);
    expect(connectError.rawMessage).toBe('collector draining');
    expect(connectError.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(3n);

    const response = await post(envelope(requestBytes), { 'x-behavior': 'retry-info' });
    expect(response.status).toBe(200);
    const trailers = await grpcStatus(response);
    expect(trailers.get('grpc-status')).toBe('8');
    const details = trailers.get('grpc-status-details-bin');
    expect(details).not.toBeNull();
    const status = fromBinary(StatusSchema, Buffer.from(details!, 'base64'));
    expect(status.code).toBe(8);
    expect(status.details[0]?.typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
    // An error response carries CORS headers, so the page can read the status.
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain(
      'grpc-status-details-bin',
    );
  });

  it('answers a preflight from an allowed origin itself, with the gRPC-web headers', async () => {
    const response = await fetch(`${envoy.url}${TRACE_EXPORT_PATH}`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-grpc-web,grpc-timeout,grpc-encoding',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers')!.split(',');
    for (const header of [
      'content-type',
      'x-grpc-web',
      'x-user-agent',
      'grpc-timeout',
      'grpc-encoding',
      'grpc-accept-encoding',
      'authorization',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(upstream.raw).toEqual([]);

    const ok = await post(envelope(requestBytes));
    const exposed = ok.headers.get('access-control-expose-headers')!.split(',');
    for (const header of [
      'grpc-status',
      'grpc-message',
      'grpc-status-details-bin',
      'grpc-encoding',
    ]) {
      expect(exposed).toContain(header);
    }
  });

  it('gives a disallowed origin no allow-origin, and never forwards its preflight', async () => {
    const preflight = await fetch(`${envoy.url}${TRACE_EXPORT_PATH}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await post(envelope(requestBytes), { origin: 'https://evil.test' });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(upstream.raw.map((r) => r.method)).toEqual(['POST']);
  });

  it('answers a path outside the OTLP services with UNIMPLEMENTED, never reaching the backend', async () => {
    const response = await post(envelope(requestBytes), {}, '/grpc.health.v1.Health/Check');
    expect((await grpcStatus(response)).get('grpc-status')).toBe('12');
    expect(upstream.raw).toEqual([]);
  });

  it('honours grpc-timeout: a slow backend call ends with DEADLINE_EXCEEDED and is cancelled', async () => {
    const response = await post(envelope(requestBytes), {
      'x-behavior': 'sleep',
      'grpc-timeout': '300m',
    });
    expect(response.status).toBe(200);
    const status = await grpcStatus(response);
    expect(status.get('grpc-status')).toBe('4');
    expect(status.get('grpc-message')).toContain('deadline exceeded at the proxy');
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    // Envoy forwarded the deadline and, when it passed, reset the backend's stream.
    expect(upstream.raw[0]?.grpcTimeout).toMatch(/^\d+m$/);
    await expect.poll(() => upstream.calls[0]?.aborted).toBe(true);
  });

  it('accepts a message of exactly the limit and refuses one byte more with RESOURCE_EXHAUSTED', async () => {
    const limit = envoyDefaults.maxRequestBytes;
    const fits = await post(envelope(messageOfSize(limit)));
    expect((await grpcStatus(fits)).get('grpc-status')).toBe('0');
    expect(upstream.calls).toHaveLength(1);

    const tooBig = await post(envelope(messageOfSize(limit + 1)));
    expect(tooBig.status).toBe(200);
    const status = await grpcStatus(tooBig);
    expect(status.get('grpc-status')).toBe('8');
    expect(status.get('grpc-message')).toBe(
      `request message larger than ${limit} bytes (proxy limit)`,
    );
    expect(tooBig.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(upstream.calls).toHaveLength(1);

    // Over HTTP/2 too, where the 64 KiB stream window and 32 KiB connection buffers apply.
    await client({ http2: true }).export(
      fromBinary(ExportTraceServiceRequestSchema, messageOfSize(limit)),
    );
    expect(upstream.calls).toHaveLength(2);

    // Connect clients see the same code and message.
    const error = await client()
      .export(fromBinary(ExportTraceServiceRequestSchema, messageOfSize(limit + 1)))
      .catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe(Code.ResourceExhausted);
  });
});
