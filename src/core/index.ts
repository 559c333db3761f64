export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from './circuit-breaker.js';
export { Code, codeName } from './code.js';
export type { Compression } from './compression.js';
export { createExportCore, type ExportCore, type ExportOutcome } from './export-core.js';
export type { ExportOptions, HeadersOption } from './export-options.js';
export { isOtlpError, OtlpError } from './otlp-error.js';
export { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';
export {
  type MeterLike,
  type ObservationLike,
  recordSelfMetrics,
  type SelfMetricsSource,
} from './record-self-metrics.js';
export { DEFAULT_RETRY, decideRetry, isRetryable, type RetryOptions } from './retry-policy.js';
export type { Runtime, Timer } from './runtime.js';
export type { DropReason, SelfMetricsSnapshot } from './self-metrics.js';
export type { Signal, SignalCodec } from './signal-codec.js';
export type { Transport, TransportRequest, TransportResult } from './transport.js';
export { USER_AGENT, VERSION } from './version.js';
