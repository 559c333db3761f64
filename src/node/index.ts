/**
 * The Node entry: native gRPC over HTTP/2 (TLS and mutual TLS), zlib compression, and
 * the OTEL_EXPORTER_OTLP_* environment variables.
 */
export {
  type OtlpEnv,
  type OtlpEnvOptions,
  type OtlpEnvTls,
  type OtlpSignal,
  readOtlpEnv,
} from './env-config.js';
export { createGrpcTransport, type GrpcTransportOptions } from './grpc-transport.js';
export type { PemSource, TlsOptions } from './tls-options.js';
export {
  type GzipCompressionOptions,
  gzipCompression,
  zstdCompression,
} from './zlib-compression.js';
