/**
 * otlp-grpc-web: OTLP exporters for browsers, edge workers and Node.
 *
 * This entry runs anywhere fetch does (browsers, Cloudflare Workers, Deno, Bun, Vercel
 * Edge, Node): the OpenTelemetry SDK exporters, the low-level client for pre-built
 * requests, the gRPC-web transport and CompressionStream compression. Node's native gRPC
 * transport lives in `otlp-grpc-web/node`, the receiver in `otlp-grpc-web/receiver`, and
 * what custom transports and pipelines build on (the export core, the queue, the
 * transport and runtime seams) in `otlp-grpc-web/extend`. Everything is tree-shakeable:
 * an app pays only for what it imports.
 */
export {
  createOtlpClient,
  type EncodedRequest,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  type LogsRequestInput,
  type MetricsRequestInput,
  type OtlpClient,
  type OtlpClientOptions,
  type SignalClient,
  type TraceRequestInput,
} from './client/index.js';
export {
  type OtlpEnv,
  type OtlpEnvOptions,
  type OtlpEnvTls,
  type ReadOtlpEnvOptions,
  readOtlpEnv,
} from './config/otlp-env.js';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from './core/circuit-breaker.js';
export { Code, codeName } from './core/code.js';
export type { Compression, GzipCompressionOptions } from './core/compression.js';
export type { HeadersOption } from './core/export-options.js';
export type { ExportOutcome } from './core/export-outcome.js';
export { isOtlpError, OtlpError, type OtlpErrorDetails } from './core/otlp-error.js';
export {
  type MeterLike,
  type ObservationLike,
  recordSelfMetrics,
  type SelfMetricsSource,
} from './core/record-self-metrics.js';
export type { RetryOptions } from './core/retry-policy.js';
export type { DropReason, SelfMetricsSnapshot } from './core/self-metrics.js';
export type { Signal } from './core/signal-codec.js';
export type { DurableMetrics } from './core/spill.js';
export { USER_AGENT, VERSION } from './core/version.js';
export {
  exporterUrlPattern,
  type OtlpExporterOptions,
  type OtlpMetricExporterOptions,
  type TemporalityPreference,
} from './otel/index.js';
export {
  createDurableQueue,
  type DurableQueue,
  type DurableQueueOptions,
} from './web/durable/index.js';
export {
  createGrpcWebTransport,
  type GrpcWebTransportOptions,
  gzipCompression,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
  pickCompression,
  type WorkerCompressionOptions,
  workerCompression,
  zstdCompression,
} from './web/index.js';
