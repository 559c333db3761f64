import type { Logger } from './logger.js';
import type { TlsOptions } from './server/tls.js';

/** The port OTLP/gRPC uses by convention. */
export const DEFAULT_PORT = 4317;

/** OTLP's recommended limit on a request, 4 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Export answers are compressed in the request's encoding by default, as grpc-go (the
 * Collector) answers whatever `grpc-accept-encoding` says, so every client tested against
 * this receiver meets what it meets in production.
 */
export const COMPRESS_RESPONSES_DEFAULT = true;

/**
 * Defaults of the limits that bound the receiver's memory and connections. With them,
 * the receiver's RSS stays under about 512 MiB whatever clients send (README, "Limits").
 */
export const RECEIVER_LIMIT_DEFAULTS = {
  maxStoredItems: 10_000,
  maxStoredBytes: 64 * 1024 * 1024,
  maxBufferedBytes: 96 * 1024 * 1024,
  maxDecodedBytes: 64 * 1024 * 1024,
  maxConnections: 512,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
} as const;

/** Options for `startReceiver`. Every field is optional; see each default. */
export interface ReceiverOptions {
  /**
   * The address to bind. Loopback by default, so a development receiver is not exposed.
   * @default '127.0.0.1'
   */
  host?: string | undefined;
  /**
   * The port to bind; 0 picks a free one (read it back from `Receiver.port`).
   * @default 4317
   */
  port?: number | undefined;
  /**
   * Serve TLS (and mutual TLS with `clientCa`) instead of cleartext.
   * @default undefined (cleartext HTTP/2 and HTTP/1.1)
   */
  tls?: TlsOptions | undefined;
  /**
   * Browser origins allowed to call the receiver directly (CORS); `*` allows any.
   * @default [] (no CORS headers)
   */
  corsOrigins?: readonly string[] | undefined;
  /**
   * Largest request message accepted, before and after decompression; larger ones get
   * RESOURCE_EXHAUSTED without RetryInfo, which an exporter must not retry.
   * @default 4194304
   */
  maxMessageBytes?: number | undefined;
  /**
   * Export calls served at once; past it, calls get UNAVAILABLE with RetryInfo. 0 = no limit.
   * @default 0
   */
  maxInflight?: number | undefined;
  /**
   * The retry delay advertised to callers refused for overload.
   * @default 1000
   */
  retryDelayMs?: number | undefined;
  /**
   * Holds every Export call this long before storing it (for overload and shutdown tests).
   * @default 0
   */
  exportDelayMs?: number | undefined;
  /**
   * Require `x-api-key: <apiKey>` on every call.
   * @default undefined
   */
  apiKey?: string | undefined;
  /**
   * Require `authorization: Bearer <bearerToken>` on every call (either credential suffices
   * when both are set).
   * @default undefined
   */
  bearerToken?: string | undefined;
  /**
   * Append everything received to this JSON Lines file.
   * @default undefined (no file)
   */
  jsonlPath?: string | undefined;
  /**
   * Items kept in memory per signal for the query service; the oldest go first.
   * @default 10000
   */
  maxStoredItems?: number | undefined;
  /**
   * Estimated bytes kept in memory per signal for the query service (the requests'
   * buffers and decoded objects); the oldest go first. Eviction is not loss: the totals
   * and the JSONL file keep everything.
   * @default 67108864 (64 MiB)
   */
  maxStoredBytes?: number | undefined;
  /**
   * Memory the calls in progress may hold, all together: request bodies as they are
   * read, decompressed messages, decoded requests (estimated). Past it, calls get
   * UNAVAILABLE with RetryInfo.
   * @default 100663296 (96 MiB)
   */
  maxBufferedBytes?: number | undefined;
  /**
   * Estimated memory one decoded request may take (a 4 MiB request of ordinary spans
   * takes 25 to 40 MiB); a larger one, such as a few KB of gzip inflating to a million
   * empty attributes, gets RESOURCE_EXHAUSTED.
   * @default 67108864 (64 MiB)
   */
  maxDecodedBytes?: number | undefined;
  /**
   * Connections open at once; past it, new connections are closed (and it is logged).
   * @default 512
   */
  maxConnections?: number | undefined;
  /**
   * A new connection must complete its TLS handshake and send its request headers (or
   * HTTP/2 preface) within this many ms.
   * @default 10000
   */
  headersTimeoutMs?: number | undefined;
  /**
   * A request body that sends no bytes for this many ms is refused (DEADLINE_EXCEEDED).
   * @default 10000
   */
  bodyTimeoutMs?: number | undefined;
  /**
   * A connection with no traffic for this many ms is closed (HTTP/2: GOAWAY first).
   * @default 120000
   */
  idleTimeoutMs?: number | undefined;
  /**
   * Answer an Export call compressed in the request's encoding, as grpc-go (the
   * Collector) does whatever grpc-accept-encoding says, so clients are tested against
   * what they meet in production. False answers uncompressed.
   * @default true (COMPRESS_RESPONSES_DEFAULT)
   */
  compressResponses?: boolean | undefined;
  /**
   * Where diagnostics go.
   * @default warnings and errors to stderr
   */
  logger?: Logger | undefined;
  /**
   * How long `close()` waits for calls in flight before cutting the connections left.
   * @default 10000
   */
  shutdownGraceMs?: number | undefined;
}
