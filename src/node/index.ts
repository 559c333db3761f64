/**
 * The Node entry: the OpenTelemetry SDK exporters over native gRPC (HTTP/2, TLS and
 * mutual TLS) configured by OTEL_EXPORTER_OTLP_* variables, the transport itself, zlib
 * compression, and the variables' reader.
 */
export {
  type OtlpEnv,
  type OtlpEnvOptions,
  type OtlpEnvTls,
  type ReadOtlpEnvOptions,
  readOtlpEnv,
} from '../config/otlp-env.js';
export type { Signal } from '../core/signal-codec.js';
export { type ExporterEnv, readExporterEnv } from './env-config.js';
export { createGrpcTransport, type GrpcTransportOptions } from './grpc-transport.js';
export {
  type NodeExporterOptions,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from './otel-exporters.js';
export type { PemSource, TlsOptions } from './tls-options.js';
export {
  type GzipCompressionOptions,
  gzipCompression,
  zstdCompression,
} from './zlib-compression.js';
