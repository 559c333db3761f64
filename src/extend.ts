/**
 * `otlp-grpc-web/extend`: what custom transports, runtimes and pipelines build on, kept
 * out of the main entry so that its API is the exporters, the client and their options.
 *
 * - {@link Transport}: one seam, `send(request) -> result`, that the gRPC-web (fetch) and
 *   native gRPC (HTTP/2) transports implement; a custom one (another HTTP client, a test
 *   double, a service binding) plugs into every exporter as `transport: myTransport`.
 * - {@link Runtime}: clock, timers and randomness, injected so retry and batching run on
 *   a fake clock in tests.
 * - {@link createExportCore}: one signal's export path for serialized requests (compress,
 *   send, interpret, retry, keepalive budget, self-metrics), as the SDK exporters use it.
 * - {@link SpillFactory}: what the `durable` option takes (`createDurableQueue` is one): it
 *   is offered each request the core would drop after its retries.
 * - {@link createPipeline}: the core plus a queue and batching, as `createOtlpClient` uses it;
 *   {@link SignalCodec} tells it how to count, size and encode queued values.
 *
 * These are stable enough to build on, but follow the package's minor versions more
 * closely than the main entry does.
 */
export { createExportCore, type ExportCore } from './core/export-core.js';
export type { ExportOptions } from './core/export-options.js';
export { mergeOutcomes } from './core/export-outcome.js';
export { createPipeline, type Pipeline, type PipelineOptions } from './core/pipeline.js';
export { DEFAULT_RETRY, decideRetry, isRetryable } from './core/retry-policy.js';
export type { ExportRuntime, Runtime, Timer } from './core/runtime.js';
export type { EncodedRequest, ServiceCodec, SignalCodec } from './core/signal-codec.js';
export type { Spill, SpillFactory } from './core/spill.js';
export type { Transport, TransportRequest, TransportResult } from './core/transport.js';
export type { ExporterDefaults, PageLifecycle } from './otel/exporter-defaults.js';
export { createDefaultClock, createDefaultRuntime } from './runtime/default-runtime.js';
