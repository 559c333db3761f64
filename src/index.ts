/**
 * otlp-grpc-web: OTLP exporters for browsers, edge workers and Node.
 *
 * This entry runs anywhere fetch does (browsers, Cloudflare Workers, Deno, Bun, Vercel
 * Edge, Node): the OpenTelemetry SDK exporters, the low-level client for pre-built
 * requests, the gRPC-web transport and CompressionStream compression. Node's native gRPC
 * transport lives in `otlp-grpc-web/node`, the receiver in `otlp-grpc-web/receiver`.
 * Everything is tree-shakeable: an app pays only for what it imports.
 */
export {
  createOtlpClient,
  type EncodedRequest,
  type ExportResult as ClientExportResult,
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
  type OtlpSignal,
  readOtlpEnv,
} from './config/otlp-env.js';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from './core/circuit-breaker.js';
export { Code, codeName } from './core/code.js';
export type { Compression } from './core/compression.js';
export { createExportCore, type ExportCore, type ExportOutcome } from './core/export-core.js';
export type { ExportOptions, HeadersOption } from './core/export-options.js';
export { isOtlpError, OtlpError } from './core/otlp-error.js';
export type { Pipeline, PipelineOptions } from './core/pipeline.js';
export { createPipeline } from './core/pipeline.js';
export {
  type MeterLike,
  type ObservationLike,
  recordSelfMetrics,
  type SelfMetricsSource,
} from './core/record-self-metrics.js';
export type { RetryOptions } from './core/retry-policy.js';
export type { Runtime, Timer } from './core/runtime.js';
export type {
  DropReason,
  SelfMetricsSnapshot,
} from './core/self-metrics.js';
export type { Signal, SignalCodec } from './core/signal-codec.js';
export type { Transport, TransportRequest, TransportResult } from './core/transport.js';
export { USER_AGENT, VERSION } from './core/version.js';
export {
  type ExportResult,
  exporterUrlPattern,
  type OtlpExporterOptions,
  type OtlpMetricExporterOptions,
  type TemporalityPreference,
} from './otel/index.js';
export { createDefaultRuntime } from './runtime/default-runtime.js';
export {
  createGrpcWebTransport,
  type GrpcWebTransportOptions,
  gzipCompression,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
  pickCompression,
  zstdCompression,
} from './web/index.js';
