import type { Compression } from '../core/compression.js';
import type { ExportOptions } from '../core/export-options.js';
import type { ExportRuntime } from '../core/runtime.js';
import type { Transport } from '../core/transport.js';

/**
 * Options of the three OpenTelemetry SDK exporters. The names OTel's own exporters use
 * (`url`, `headers`, `timeoutMillis`, `compression`, `concurrencyLimit`) mean the same
 * here, so switching is a change of import; the export path's own options (retry, circuit
 * breaker, limits, self-metrics hooks) pass through as well.
 */
export interface OtlpExporterOptions
  extends Omit<
    ExportOptions,
    'codec' | 'transport' | 'endpoints' | 'runtime' | 'compression' | 'timeoutMs'
  > {
  /**
   * Base URL of the OTLP endpoint (no `/v1/traces` path: gRPC names the method), or
   * several: exports rotate across them and a retry fails over to the next. Browsers reach
   * native gRPC backends through a gRPC-web proxy such as the repository's Envoy config;
   * the project's receiver answers gRPC-web itself.
   * @default 'http://localhost:4317' (the OTLP/gRPC port, where the receiver listens)
   */
  url?: string | readonly string[];
  /**
   * How requests travel: `'grpc-web'` (fetch), `'grpc'` (native gRPC over HTTP/2, only
   * from `otlp-grpc-web/node`, so that no Node code reaches browser bundles), or a
   * {@link Transport} such as `createGrpcWebTransport({ fetch })`.
   * @default 'grpc-web' from `otlp-grpc-web`, 'grpc' from `otlp-grpc-web/node`
   */
  transport?: 'grpc-web' | 'grpc' | Transport;
  /**
   * Request compression: a name, or a {@link Compression} (e.g. zlib on Node). "gzip" uses
   * the runtime's CompressionStream and falls back to none where there is none. OTLP
   * protobuf shrinks about 9x (bench/encode-bench.mjs: 201 KB -> 23 KB for 512 spans), which
   * matters on uplinks and for the 64 KiB keepalive budget at page unload. In a page it
   * runs in a Worker (in Chromium that saved the page's main thread 5.4 ms of CPU per
   * 1,000 spans against gzip on it, which cost more than sending uncompressed;
   * bench/browser). Needs a backend (and a CORS policy) that accepts `grpc-encoding:
   * gzip`, as the OpenTelemetry Collector does.
   * @default 'gzip'
   */
  compression?: 'gzip' | 'zstd' | 'none' | Compression;
  /**
   * Longest string encoded, in UTF-8 bytes; longer ones are cut at a code point boundary
   * and counted (`metrics().encode.truncatedStrings`), so one huge value cannot push a
   * whole batch past the 4 MiB request limit.
   * @default 1048576
   */
  maxStringBytes?: number;
  /**
   * Deepest nesting of arrays and maps in an attribute value or log body; deeper (or
   * cyclic) values are encoded as empty values and counted (`metrics().encode.droppedValues`).
   * @default 8
   */
  maxAttributeDepth?: number;
  /**
   * Deadline of one export, retries included, in milliseconds.
   * @default 10000
   */
  timeoutMillis?: number;
  /**
   * How many exports may be in flight at once, as in OpenTelemetry's exporters. One more
   * fails at once (FAILED, counted as `queue_full`, reported through onError) instead of
   * piling up requests behind a backend that does not answer.
   * @default 30
   */
  concurrencyLimit?: number;
  /** Clock, sleep and randomness (injected in tests). @default createDefaultClock() */
  runtime?: ExportRuntime;
  /**
   * Throw an OtlpError(InvalidArgument) for an option this exporter does not honour (an
   * OpenTelemetry option with no meaning here, or a misspelled key) and, in Node, for a
   * malformed OTEL_EXPORTER_OTLP_* variable, instead of warning and going on with the
   * default.
   * @default false
   */
  strict?: boolean;
}

/**
 * OTel's ExportResult: code 0 is ExportResultCode.SUCCESS, 1 is FAILED; a failure carries
 * the {@link OtlpError} with the final gRPC code.
 */
export interface ExportResult {
  code: 0 | 1;
  error?: Error;
}
