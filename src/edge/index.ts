/**
 * `otlp-grpc-web/edge`: OpenTelemetry for edge workers (Cloudflare Workers, Vercel Edge,
 * Deno, Bun). A fetch-handler wrapper that creates each request's root span and sends its
 * spans, logs and (optionally) metrics once per request inside `ctx.waitUntil`, with no
 * timers, through gRPC-web configured from the runtime's env bindings. Tree-shakeable:
 * metrics live in their own module and are bundled only when imported.
 */
export {
  createEdgeExporters,
  type EdgeExporters,
  type EdgeExportersOptions,
  WAIT_UNTIL_BUDGET_MS,
} from './edge-exporters.js';
export { createEdgeMetrics, type EdgeMetrics, type EdgeMetricsOptions } from './edge-metrics.js';
export { type EdgeResourceOptions, edgeResource } from './edge-resource.js';
export {
  type BackgroundTasks,
  createBackgroundTasks,
  type Flushable,
  type FlushReport,
  flushAfterResponse,
  type WaitUntilContext,
} from './flush-after-response.js';
export {
  type FetchHandler,
  type InstrumentedHandler,
  type InstrumentFetchHandlerOptions,
  instrumentFetchHandler,
  type RequestExporters,
  type RequestTelemetry,
} from './instrument-fetch-handler.js';
export { requestAttributes } from './request-attributes.js';
export {
  createLogBuffer,
  createSpanBuffer,
  type ExporterLike,
  type LogBuffer,
  type SpanBuffer,
} from './request-buffers.js';
export { parentFromHeaders } from './traceparent.js';
