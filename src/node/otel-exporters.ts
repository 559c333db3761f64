import type { OtlpEnv, OtlpSignal } from '../config/otlp-env.js';
import type { Transport } from '../core/transport.js';
import type { OtlpExporterOptions } from '../otel/exporter-options.js';
import { OTLPLogExporter as WebLogExporter } from '../otel/log-exporter.js';
import {
  type OtlpMetricExporterOptions,
  OTLPMetricExporter as WebMetricExporter,
} from '../otel/metric-exporter.js';
import { OTLPTraceExporter as WebTraceExporter } from '../otel/trace-exporter.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import { readExporterEnv } from './env-config.js';
import { createGrpcTransport } from './grpc-transport.js';
import { gzipCompression, zstdCompression } from './zlib-compression.js';

/** Options of the `otlp-grpc-web/node` exporters. */
export interface NodeExporterOptions extends OtlpExporterOptions {
  /**
   * Where the OTEL_EXPORTER_OTLP_* variables are read from.
   * @default process.env
   */
  env?: OtlpEnv;
}

/**
 * The options a Node exporter hands to the shared exporter: the environment's settings
 * under the explicit ones (an explicit option always wins; headers merge by name), native
 * gRPC by default with
 * the environment's TLS files, and zlib for "gzip" (faster than CompressionStream in Node).
 */
function nodeOptions<O extends OtlpExporterOptions>(
  signal: OtlpSignal,
  options: O & { env?: OtlpEnv },
): O {
  const { env = process.env, ...explicit } = options;
  const fromEnv = readExporterEnv(signal, env);
  if (fromEnv.protocolError && explicit.transport === undefined) throw fromEnv.protocolError;
  const merged = { ...fromEnv.options, ...explicit } as O;
  const { headers: given } = explicit;
  const fromVariables = fromEnv.options.headers;
  // Headers merge by name, as in OpenTelemetry's exporters: the environment's (an API
  // key, say) under the explicit ones, which win for a name both set.
  if (fromVariables && given) {
    merged.headers =
      typeof given === 'function'
        ? async () => ({ ...fromVariables, ...(await given()) })
        : { ...fromVariables, ...given };
  }
  return {
    ...merged,
    transport: transportFor(merged.transport, fromEnv.tls),
    compression: compressionFor(merged.compression),
  };
}

function transportFor(
  transport: OtlpExporterOptions['transport'],
  tls: ReturnType<typeof readExporterEnv>['tls'],
): Transport | 'grpc-web' | 'grpc' {
  if (transport === undefined || transport === 'grpc') {
    return createGrpcTransport(tls ? { tls } : {});
  }
  return transport === 'grpc-web' ? createGrpcWebTransport() : transport;
}

function compressionFor(
  compression: OtlpExporterOptions['compression'],
): OtlpExporterOptions['compression'] {
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
export class OTLPTraceExporter extends WebTraceExporter {
  constructor(options: NodeExporterOptions = {}) {
    super(nodeOptions('traces', options));
  }
}

/**
 * The OpenTelemetry SDK PushMetricExporter for Node services (see
 * {@link OTLPTraceExporter}); also reads OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE.
 */
export class OTLPMetricExporter extends WebMetricExporter {
  constructor(options: OtlpMetricExporterOptions & { env?: OtlpEnv } = {}) {
    super(nodeOptions('metrics', options));
  }
}

/** The OpenTelemetry SDK LogRecordExporter for Node services (see {@link OTLPTraceExporter}). */
export class OTLPLogExporter extends WebLogExporter {
  constructor(options: NodeExporterOptions = {}) {
    super(nodeOptions('logs', options));
  }
}
