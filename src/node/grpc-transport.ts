import * as http2 from 'node:http2';
import { DEADLINE_EXCEEDED, INVALID_ARGUMENT } from '../core/code.js';
import type { Compression } from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Transport, TransportRequest, TransportResult } from '../core/transport.js';
import { acceptEncoding, FLAG_COMPRESSED, requestHeaders } from '../protocol/index.js';
import { readResponse, streamFailure } from './read-response.js';
import { createSessionPool, type SessionPool } from './session-pool.js';
import { resolveTlsOptions, type TlsOptions } from './tls-options.js';
import { createTurnGate } from './turn-gate.js';
import { zlibDecoders } from './zlib-compression.js';

/** Options of {@link createGrpcTransport}. */
export interface GrpcTransportOptions {
  /**
   * TLS for `https://` endpoints: a private CA, a client certificate for mutual TLS.
   * `http://` endpoints are plaintext HTTP/2 (h2c) and ignore this.
   * @default undefined (Node's root CAs, no client certificate)
   */
  tls?: TlsOptions;
  /**
   * How long to wait for a connection (TCP, and the TLS handshake for https) before the
   * call fails with UNAVAILABLE, which the pipeline retries. The call's own deadline
   * still applies and wins when it is shorter.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * While calls are in flight, a PING goes out after this long without a sign of life;
   * a session unused for this long is verified with a PING before its next call.
   * Idle sessions are not pinged (servers treat that as abuse). Infinity disables PINGs.
   * @default 30000
   */
  keepaliveIntervalMs?: number;
  /**
   * How long a PING may go unanswered before the connection counts as dead: it is
   * closed, its calls fail with UNAVAILABLE and the next call reconnects.
   * @default 10000
   */
  keepaliveTimeoutMs?: number;
  /**
   * A session with no call for this long is closed; the next call reconnects.
   * @default 60000
   */
  idleTimeoutMs?: number;
  /**
   * The encodings responses may come in, advertised in `grpc-accept-encoding`. The
   * OpenTelemetry Collector (grpc-go) answers in the request's encoding whatever this says.
   * @default gzip, and zstd where node:zlib has it (Node 22.15+)
   */
  decoders?: readonly Compression[];
}

/**
 * Native gRPC over HTTP/2 with node:http2, for Node services exporting straight to an
 * OTLP/gRPC backend (port 4317) without a gRPC-web proxy. Sessions are pooled per origin
 * (see {@link SessionPool}) and never keep the process alive while idle; `close()` ends
 * them gracefully. A later call opens a new session, so closing early loses nothing.
 *
 * Never throws from `send`: connection failures (refused, reset, GOAWAY, TLS) become
 * UNAVAILABLE naming the cause, the local deadline DEADLINE_EXCEEDED. Throws
 * OtlpError(InvalidArgument) here for unusable options (unreadable certificate files).
 */
export function createGrpcTransport(options: GrpcTransportOptions = {}): Transport {
  const pool = createSessionPool({
    connectTimeoutMs: duration(options, 'connectTimeoutMs', 10_000),
    keepaliveIntervalMs: duration(options, 'keepaliveIntervalMs', 30_000),
    keepaliveTimeoutMs: duration(options, 'keepaliveTimeoutMs', 10_000),
    idleTimeoutMs: duration(options, 'idleTimeoutMs', 60_000),
    tls: resolveTlsOptions(options.tls),
  });
  const decoders = options.decoders ?? zlibDecoders();
  const reading: Reading = { decoders, accept: acceptEncoding(decoders) };
  let last: { url: string; target: Target | TransportResult } | undefined;
  return {
    name: 'grpc',
    turn: createTurnGate(),
    send(request) {
      if (last?.url !== request.url) last = { url: request.url, target: parseTarget(request.url) };
      const target = last.target;
      return 'origin' in target
        ? send(pool, target, request, reading)
        : Promise.resolve({ ...target });
    },
    close: () => pool.close(),
  };
}

/** The decoders for responses, and the `grpc-accept-encoding` naming them. */
interface Reading {
  decoders: readonly Compression[];
  accept: string;
}

interface Target {
  origin: string;
  scheme: string;
  authority: string;
  /** Path prefix of the URL without a trailing slash, usually "". */
  base: string;
}

function parseTarget(url: string): Target | TransportResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { code: INVALID_ARGUMENT, message: `invalid endpoint URL ${JSON.stringify(url)}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return {
      code: INVALID_ARGUMENT,
      message: `endpoint URL ${JSON.stringify(url)} must start with http:// (h2c) or https:// (TLS)`,
    };
  }
  return {
    origin: parsed.origin,
    scheme: parsed.protocol.slice(0, -1),
    authority: parsed.host,
    base: parsed.pathname.replace(/\/+$/, ''),
  };
}

function send(
  pool: SessionPool,
  target: Target,
  request: TransportRequest,
  reading: Reading,
): Promise<TransportResult> {
  return new Promise((resolve) => {
    let stream: http2.ClientHttp2Stream | undefined;
    let settled = false;
    const finish = (result: TransportResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const ms = Math.max(0, request.timeoutMs);
    const deadline = setTimeout(
      () => {
        stream?.close(http2.constants.NGHTTP2_CANCEL);
        finish({ code: DEADLINE_EXCEEDED, message: `deadline exceeded after ${ms} ms` });
      },
      Math.min(ms, 2 ** 31 - 1),
    ).unref();

    const headers: http2.OutgoingHttpHeaders = {
      ...requestHeaders(request, false, reading.accept),
      ':method': 'POST',
      ':path': target.base + request.path,
      ':authority': target.authority,
      ':scheme': target.scheme,
    };
    // The 5-byte prefix goes out as its own write: copying a 4 MiB body behind it would
    // cost more than the extra DATA frame (bench/grpc-e2e-bench.mjs).
    const prefix = new Uint8Array(5);
    prefix[0] = request.encoding === 'identity' ? 0 : FLAG_COMPRESSED;
    new DataView(prefix.buffer).setUint32(1, request.body.length);
    // A refused stream was never processed: one transparent retry, as gRPC clients do,
    // hides a server restart or a GOAWAY that crossed our request.
    const attempt = (retries: number) => {
      pool.request(target.origin, headers).then(
        (opened) => {
          if (settled) {
            opened.close(http2.constants.NGHTTP2_CANCEL);
            return;
          }
          stream = opened;
          void readResponse(opened, target.origin, reading.decoders).then(({ result, refused }) => {
            if (refused && retries > 0 && !settled) attempt(retries - 1);
            else finish(result);
          });
          opened.write(prefix);
          opened.end(request.body);
        },
        (error: unknown) => finish(streamFailure(error, target.origin)),
      );
    };
    attempt(1);
  });
}

function duration(
  options: GrpcTransportOptions,
  name: keyof Omit<GrpcTransportOptions, 'tls'>,
  fallback: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new OtlpError(
      `${name} must be a non-negative number of milliseconds, got ${String(value)}`,
      INVALID_ARGUMENT,
    );
  }
  return value;
}
