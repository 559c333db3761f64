import {
  type Context,
  type Meter,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { OtlpEnv } from '../config/otlp-env.js';
import { VERSION } from '../core/version.js';
import { createEdgeExporters } from './edge-exporters.js';
import type { EdgeMetrics } from './edge-metrics.js';
import { type EdgeResourceOptions, edgeResource } from './edge-resource.js';
import {
  type FlushReport,
  flushAfterResponse,
  type WaitUntilContext,
} from './flush-after-response.js';
import { requestAttributes } from './request-attributes.js';
import { createLogBuffer, createSpanBuffer, type ExporterLike } from './request-buffers.js';
import { parentFromHeaders } from './traceparent.js';

/** The instrumentation scope of the root span and of `otel.log`. */
const SCOPE = 'otlp-grpc-web/edge';

/** Severities of {@link RequestTelemetry.log}, with their OTel SeverityNumbers. */
const SEVERITY = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;

/**
 * What a handler gets to record telemetry of its request. Edge runtimes have no context
 * manager by default, so the request's context is passed explicitly: spans from
 * `startSpan` and records from `log` belong to the request's trace.
 */
export interface RequestTelemetry {
  /** The request's root span (kind SERVER); ended by the wrapper. */
  readonly span: Span;
  /** A context holding {@link span}, for `tracer.startSpan(name, options, context)`. */
  readonly context: Context;
  readonly tracer: Tracer;
  readonly logger: Logger;
  /** A meter, when the wrapper was given `metrics`. */
  readonly meter: Meter | undefined;
  /** Starts a child span of the root span; end it before the response is returned. */
  startSpan(name: string, options?: SpanOptions): Span;
  /** Emits a log record in the request's trace. */
  log(severity: keyof typeof SEVERITY, body: string, attributes?: AnyValueMap): void;
}

/** A Workers-style fetch handler that also gets the request's {@link RequestTelemetry}. */
export type InstrumentedHandler<Env> = (
  request: Request,
  env: Env,
  ctx: WaitUntilContext,
  otel: RequestTelemetry,
) => Response | Promise<Response>;

/** The handler {@link instrumentFetchHandler} returns: `export default { fetch: it }`. */
export type FetchHandler<Env> = (
  request: Request,
  env: Env,
  ctx: WaitUntilContext,
) => Promise<Response>;

/**
 * Where a request's spans and logs go: {@link createEdgeExporters}'s result, or any SDK
 * exporters (`never[]`: any batch type will do).
 */
export interface RequestExporters {
  traces: ExporterLike<never[]>;
  logs: ExporterLike<never[]>;
}

/** Options of {@link instrumentFetchHandler}. */
export interface InstrumentFetchHandlerOptions<Env> extends EdgeResourceOptions {
  /**
   * Where spans and logs go, made once per `env` object (per isolate).
   * @default (env) => createEdgeExporters(env), configured by OTEL_EXPORTER_OTLP_* bindings
   */
  exporters?: (env: Env) => RequestExporters;
  /**
   * Metrics, made once per `env`, flushed with every request. Pass
   * `(env) => createEdgeMetrics(env, { serviceName })`.
   * @default undefined (no metrics, and no metrics SDK in the bundle)
   */
  metrics?: (env: Env) => EdgeMetrics;
  /** Called in waitUntil with each request's flush reports (self-metrics per request). @default undefined */
  onFlush?: (reports: FlushReport[], env: Env) => void;
  /** The root span's name. @default the HTTP method, as semantic conventions say without a route */
  spanName?: (request: Request) => string;
}

/**
 * Wraps a fetch handler so every request gets a root SERVER span following the HTTP
 * semantic conventions (http.request.method, url.full, url.path, http.response.status_code,
 * error status on a throw or a 5xx), continues the trace of an incoming `traceparent`, and
 * sends its spans and logs once, after the response, inside `ctx.waitUntil`: no timers,
 * so it runs on Cloudflare Workers, Vercel Edge, Deno and Bun alike.
 *
 * Telemetry providers are per request (requests in one isolate run concurrently and must
 * not mix), exporters per isolate. Nothing global is registered.
 *
 * @example
 * export default {
 *   fetch: instrumentFetchHandler((request, env, ctx, otel) => {
 *     otel.log('info', 'hello');
 *     return new Response('hi');
 *   }, { serviceName: 'my-worker' }),
 * };
 */
export function instrumentFetchHandler<Env extends object>(
  handler: InstrumentedHandler<Env>,
  options: InstrumentFetchHandlerOptions<Env>,
): FetchHandler<Env> {
  const resource = edgeResource(options);
  const makeExporters = options.exporters ?? ((env: Env) => createEdgeExporters(env as OtlpEnv));
  const perEnv = new WeakMap<Env, { exporters: RequestExporters; metrics?: EdgeMetrics }>();
  const sinksFor = (env: Env) => {
    let sinks = perEnv.get(env);
    if (!sinks) {
      const metrics = options.metrics?.(env);
      sinks = { exporters: makeExporters(env), ...(metrics ? { metrics } : {}) };
      perEnv.set(env, sinks);
    }
    return sinks;
  };

  return async (request, env, ctx) => {
    const { exporters, metrics } = sinksFor(env);
    const spans = createSpanBuffer(exporters.traces);
    const logs = createLogBuffer(exporters.logs);
    const tracer = new BasicTracerProvider({ resource, spanProcessors: [spans] }).getTracer(
      SCOPE,
      VERSION,
    );
    const logger = new LoggerProvider({ resource, processors: [logs] }).getLogger(SCOPE, VERSION);
    const parent = parentFromHeaders(request.headers);
    const span = tracer.startSpan(
      options.spanName?.(request) ?? request.method,
      { kind: SpanKind.SERVER, attributes: requestAttributes(request) },
      parent,
    );
    const context = trace.setSpan(parent, span);
    const otel: RequestTelemetry = {
      span,
      context,
      tracer,
      logger,
      meter: metrics?.getMeter(SCOPE, VERSION),
      startSpan: (name, spanOptions) => tracer.startSpan(name, spanOptions, context),
      log(severity, body, attributes) {
        logger.emit({
          severityNumber: SEVERITY[severity],
          severityText: severity.toUpperCase(),
          body,
          ...(attributes ? { attributes } : {}),
          context,
        });
      },
    };
    try {
      const response = await handler(request, env, ctx, otel);
      span.setAttribute('http.response.status_code', response.status);
      // Semantic conventions: a server span is an error for 5xx only (4xx is the client's).
      if (response.status >= 500) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      span.recordException(e);
      span.setAttribute('error.type', e.name || '_OTHER');
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
      throw error;
    } finally {
      span.end();
      const flushing = flushAfterResponse(ctx, spans, logs, ...(metrics ? [metrics] : []));
      const onFlush = options.onFlush;
      if (onFlush) ctx.waitUntil(flushing.then((reports) => onFlush(reports, env)));
    }
  };
}
