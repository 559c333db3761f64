import type { SecureContext } from 'node:tls';
import type { OtlpEnv } from '../config/otlp-env.js';
import { INVALID_ARGUMENT } from '../core/code.js';
import type { Compression } from '../core/compression.js';
import { checkEndpointUrl } from '../core/endpoint-url.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Signal } from '../core/signal-codec.js';
import type { Transport } from '../core/transport.js';
import type { ExporterDefaults } from '../otel/exporter-defaults.js';
import type { OtlpExporterOptions } from '../otel/exporter-options.js';
import { OtlpLogExporterBase } from '../otel/log-exporter.js';
import { OtlpMetricExporterBase, type OtlpMetricExporterOptions } from '../otel/metric-exporter.js';
import { checkOptions, mergeHeaders } from '../otel/otel-options.js';
import { OtlpTraceExporterBase } from '../otel/trace-exporter.js';
import { createDefaultClock } from '../runtime/default-runtime.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import { readExporterEnv } from './env-config.js';
import { createGrpcTransport } from './grpc-transport.js';
import { fromOtelOptions, type OtelCompatOptions } from './otel-compat.js';
import type { TlsOptions } from './tls-options.js';
import { gzipCompression, zstdCompression } from './zlib-compression.js';

/**
 * `@grpc/grpc-js` ChannelCredentials, as OpenTelemetry's gRPC exporters take them
 * (`credentials`): `credentials.createSsl(...)` or `credentials.createInsecure()`. Read
 * without grpc-js: `_isSecure()`, and the TLS context createSsl keeps.
 */
export interface ChannelCredentialsLike {
  _isSecure(): boolean;
  secureContext?: SecureContext;
}

/** Options of the `otlp-grpc-web/node` exporters. */
export interface NodeExporterOptions extends OtlpExporterOptions, OtelCompatOptions {
  /**
   * Where the OTEL_EXPORTER_OTLP_* variables are read from.
   * @default process.env
   */
  env?: OtlpEnv;
  /**
   * gRPC channel credentials, as in OpenTelemetry's gRPC exporters: secure ones send over
   * TLS (an http:// URL becomes https://) with their certificates, insecure ones in
   * plaintext (https:// becomes http://). They apply to the native gRPC transport.
   * @default undefined (TLS for https:// URLs, with the environment's certificate files)
   */
  credentials?: ChannelCredentialsLike;
}

/**
 * The options a Node exporter hands to the shared exporter: the environment's settings
 * under the explicit ones (an explicit option always wins; headers merge by name), native
 * gRPC by default with the environment's TLS files or the given `credentials`, and zlib
 * for "gzip" (faster than CompressionStream in Node).
 */
function nodeOptions<O extends OtlpExporterOptions>(
  signal: Signal,
  options: O & { env?: OtlpEnv; credentials?: ChannelCredentialsLike } & OtelCompatOptions,
): O {
  const { env = process.env, credentials, ...given } = fromOtelOptions(options);
  const explicit = checkOptions(given as O);
  const fromEnv = readExporterEnv(signal, env, {
    strict: explicit.strict ?? false,
    explicitTransport: explicit.transport !== undefined,
  });
  const merged = { ...fromEnv.options, ...explicit } as O;
  const headers = mergeHeaders(fromEnv.options.headers, explicit.headers);
  if (headers) merged.headers = headers;
  let tls: TlsOptions | undefined = fromEnv.tls;
  if (credentials) {
    if (typeof credentials._isSecure !== 'function') {
      throw new OtlpError(
        'option "credentials": expected @grpc/grpc-js ChannelCredentials (credentials.createSsl() or createInsecure())',
        INVALID_ARGUMENT,
      );
    }
    const secure = credentials._isSecure();
    const urls = [merged.url ?? 'http://localhost:4317'].flat();
    (merged as OtlpExporterOptions).url = urls.map((url) =>
      url.replace(/^https?:/i, secure ? 'https:' : 'http:'),
    );
    if (secure && credentials.secureContext) {
      tls = { ...tls, secureContext: credentials.secureContext };
    }
  }
  for (const url of [merged.url ?? []].flat()) checkEndpointUrl(url);
  return {
    ...merged,
    transport: transportFor(merged.transport, tls),
    compression: compressionFor(merged.compression) ?? 'none',
  };
}

function transportFor(
  transport: OtlpExporterOptions['transport'],
  tls: TlsOptions | undefined,
): Transport {
  if (transport === undefined || transport === 'grpc') {
    return createGrpcTransport(tls ? { tls } : {});
  }
  return transport === 'grpc-web' ? createGrpcWebTransport() : transport;
}

/**
 * The defaults of the `otlp-grpc-web/node` exporters. {@link nodeOptions} resolves the
 * transport and compression first (the environment's TLS files, zlib), so these apply to
 * what it leaves open.
 */
const nodeDefaults: ExporterDefaults = {
  transport: (name) => transportFor(name, undefined),
  compression: compressionFor,
  runtime: createDefaultClock,
  // No page in Node: never hidden, never unloading.
  page: () => ({
    inPage: false,
    keepalive: () => false,
    unloading: () => false,
    close() {},
  }),
  unloadCompression: () => undefined,
};

function compressionFor(compression: OtlpExporterOptions['compression']): Compression | undefined {
  if (compression === 'none') return undefined;
  if (compression === undefined || compression === 'gzip') return gzipCompression();
  if (compression === 'zstd') {
    // gzip for a collector that refuses zstd (it says so with UNIMPLEMENTED), and for a
    // Node without zstd in zlib (before 22.15): compressed beats not compressed.
    const zstd = zstdCompression();
    return zstd ? { ...zstd, fallback: gzipCompression() } : gzipCompression();
  }
  return compression;
}

/**
 * The OpenTelemetry SDK SpanExporter for Node services: native gRPC over HTTP/2 to an
 * OTLP/gRPC backend (port 4317, no proxy), configured by options or by the
 * OTEL_EXPORTER_OTLP_* / OTEL_EXPORTER_OTLP_TRACES_* variables, options winning.
 */
export class OTLPTraceExporter extends OtlpTraceExporterBase {
  constructor(options: NodeExporterOptions = {}) {
    super(nodeOptions('traces', options), nodeDefaults);
  }
}

/**
 * The OpenTelemetry SDK PushMetricExporter for Node services (see
 * {@link OTLPTraceExporter}); also reads OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE.
 */
export class OTLPMetricExporter extends OtlpMetricExporterBase {
  constructor(
    options: OtlpMetricExporterOptions &
      Pick<NodeExporterOptions, 'env' | 'credentials' | 'metadata'> = {},
  ) {
    super(nodeOptions('metrics', options), nodeDefaults);
  }
}

/** The OpenTelemetry SDK LogRecordExporter for Node services (see {@link OTLPTraceExporter}). */
export class OTLPLogExporter extends OtlpLogExporterBase {
  constructor(options: NodeExporterOptions = {}) {
    super(nodeOptions('logs', options), nodeDefaults);
  }
}
