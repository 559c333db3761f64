// A real OTLP gRPC backend for the Envoy tests: an HTTP/2 server (h2c, or TLS with ALPN h2)
// running connect-node's TraceService, recording every request and every raw HTTP request,
// with a behaviour chosen per call by the `x-behavior` request header.
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import {
  type ExportTraceServiceRequest,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** One Export call as the backend saw it. */
export interface SeenCall {
  request: ExportTraceServiceRequest;
  headers: Headers;
  /** Set when the call was cancelled (e.g. Envoy reset the stream at its deadline). */
  aborted: boolean;
}

/** One raw HTTP request as it reached the backend, before any gRPC handling. */
export interface SeenRaw {
  method: string;
  path: string;
  contentType: string | undefined;
  grpcTimeout: string | undefined;
}

export interface TestUpstream {
  port: number;
  calls: SeenCall[];
  raw: SeenRaw[];
  close(): Promise<void>;
}

export interface TestUpstreamOptions {
  /** Serve TLS (PEM strings) instead of h2c. */
  tls?: { cert: string; key: string };
  /** Behaviour for calls without an `x-behavior` header, e.g. 'unavailable' for a sick backend. */
  behavior?: string;
}

/** Starts the backend on 127.0.0.1:0. */
export async function startTestUpstream(options: TestUpstreamOptions = {}): Promise<TestUpstream> {
  const calls: SeenCall[] = [];
  const raw: SeenRaw[] = [];
  const adapter = connectNodeAdapter({
    routes(router) {
      router.service(TraceService, {
        async export(request, context) {
          const call: SeenCall = { request, headers: context.requestHeader, aborted: false };
          calls.push(call);
          context.signal.addEventListener('abort', () => {
            call.aborted = true;
          });
          switch (context.requestHeader.get('x-behavior') ?? options.behavior) {
            case 'unavailable':
              throw new ConnectError('collector draining', Code.Unavailable, undefined, [
                {
                  desc: RetryInfoSchema,
                  value: { retryDelay: create(DurationSchema, { seconds: 3n }) },
                },
              ]);
            case 'retry-info':
              throw new ConnectError('slow down', Code.ResourceExhausted, undefined, [
                {
                  desc: RetryInfoSchema,
                  value: {
                    retryDelay: create(DurationSchema, { seconds: 1n, nanos: 500_000_000 }),
                  },
                },
              ]);
            case 'sleep':
              // Longer than any deadline a test sets; ends early when the call is cancelled.
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 10_000);
                context.signal.addEventListener('abort', () => {
                  clearTimeout(timer);
                  resolve();
                });
              });
              return {};
            case 'partial':
              return { partialSuccess: { rejectedSpans: 3n, errorMessage: 'three spans too old' } };
            default:
              return {};
          }
        },
      });
    },
  });
  const handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void => {
    raw.push({
      method: req.method,
      path: req.url,
      contentType: req.headers['content-type'],
      grpcTimeout: req.headers['grpc-timeout']?.toString(),
    });
    const behavior = req.headers['x-behavior'] ?? options.behavior;
    if (behavior === 'trailers-only-unavailable') {
      // What grpc-go servers such as the OpenTelemetry Collector send for an early error:
      // one HEADERS frame carrying the status and END_STREAM.
      res.stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '14',
          'grpc-message': 'memory limiter refused the data',
        },
        { endStream: true },
      );
      req.resume();
      return;
    }
    // 'sleep' plays a backend that ignores deadlines, so only the proxy can end the call.
    if (behavior === 'sleep') delete req.headers['grpc-timeout'];
    adapter(req, res);
  };
  const server = options.tls
    ? http2.createSecureServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    raw,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 127.0.0.1 port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http2.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Frames one message as a gRPC(-web) data envelope. */
export function envelope(message: Uint8Array, compressed = false): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + message.length);
  out[0] = compressed ? 1 : 0;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/**
 * A valid ExportTraceServiceRequest encoding of exactly `size` bytes (size >= 2^21 + 6):
 * a single unknown length-delimited field, which protobuf parsers keep and skip.
 */
export function messageOfSize(size: number): Uint8Array {
  const payload = size - 2 - 4; // 2-byte tag (field 1000, wire type 2) + 4-byte length varint
  if (payload < 2 ** 21 || payload >= 2 ** 28) throw new Error(`size ${size} out of range`);
  const out = new Uint8Array(size);
  out.set([0xc2, 0x3e]); // (1000 << 3) | 2 = 8002 as a varint
  let n = payload;
  for (let i = 2; i < 6; i++) {
    out[i] = (n & 0x7f) | (i < 5 ? 0x80 : 0);
    n >>>= 7;
  }
  out.fill(0x61, 6);
  return out;
}
