import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Real OpenTelemetry SDK objects for otlp-loadgen: spans from a BasicTracerProvider, log
 * records from a LoggerProvider, metrics collected from a MeterProvider. The load then
 * goes through the same OTel exporters users run (encoder included), so it measures what
 * they get; values come from a seeded PRNG (ids too), so a run is reproducible.
 */

const RESOURCE = resourceFromAttributes({
  'service.name': 'shop-frontend',
  'service.version': '1.4.2',
  'deployment.environment.name': 'loadgen',
  'telemetry.sdk.language': 'nodejs',
});
const SCOPE = ['otlp-loadgen', '0.1.0'] as const;
const routes = ['/api/cart', '/api/checkout', '/api/products/{id}', '/api/users/{id}', '/health'];
const methods = ['GET', 'GET', 'GET', 'POST', 'PUT'];
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0';

function hexId(random: () => number, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += ((random() * 256) | 0).toString(16).padStart(2, '0');
  return s.replace(/^00/, '01'); // never all-zero
}

/**
 * `count` finished spans shaped like HTTP traffic: traces of a server span with a database
 * and an internal child, semantic-convention attributes, the odd error with an exception
 * event.
 */
export function sdkSpans(count: number, random: () => number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: RESOURCE,
    idGenerator: {
      generateTraceId: () => hexId(random, 16),
      generateSpanId: () => hexId(random, 8),
    },
    spanProcessors: [
      {
        onStart() {},
        onEnd: (span) => void spans.push(span),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const tracer = provider.getTracer(...SCOPE);
  while (spans.length < count) {
    const route = routes[(random() * routes.length) | 0]!;
    const method = methods[(random() * methods.length) | 0]!;
    const failed = random() < 0.05;
    const root = tracer.startSpan(`${method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'http.route': route,
        'url.path': route.replace('{id}', String((random() * 1e5) | 0)),
        'http.response.status_code': failed ? 500 : 200,
        'user_agent.original': USER_AGENT,
      },
    });
    const ctx = trace.setSpan(context.active(), root);
    const children: [string, SpanKind, Attributes][] = [
      [
        `SELECT shop.${route.split('/')[2]}`,
        SpanKind.CLIENT,
        { 'db.system.name': 'postgresql', 'db.response.returned_rows': (random() * 50) | 0 },
      ],
      ['render', SpanKind.INTERNAL, {}],
    ];
    for (const [name, kind, attributes] of children) {
      if (spans.length + 1 >= count) break;
      tracer.startSpan(name, { kind, attributes }, ctx).end();
    }
    if (failed) {
      root.addEvent('exception', {
        'exception.type': 'TimeoutError',
        'exception.message': 'upstream timed out',
      });
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
    }
    root.end();
  }
  return spans;
}

const levels = [
  [SeverityNumber.DEBUG, 'DEBUG'],
  [SeverityNumber.INFO, 'INFO'],
  [SeverityNumber.INFO, 'INFO'],
  [SeverityNumber.WARN, 'WARN'],
  [SeverityNumber.ERROR, 'ERROR'],
] as const;

/** `count` emitted log records across severities, half of them inside a span. */
export function sdkLogs(count: number, random: () => number): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  const provider = new LoggerProvider({
    resource: RESOURCE,
    processors: [
      {
        onEmit: (record) => void records.push(record as ReadableLogRecord),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const logger = provider.getLogger(...SCOPE);
  for (let i = 0; i < count; i++) {
    const [severityNumber, severityText] = levels[(random() * levels.length) | 0]!;
    const spanContext = {
      traceId: hexId(random, 16),
      spanId: hexId(random, 8),
      traceFlags: 1,
    };
    const ctx = random() < 0.5 ? trace.setSpanContext(context.active(), spanContext) : undefined;
    logger.emit({
      severityNumber,
      severityText,
      body: `request ${i} handled in ${(random() * 300) | 0} ms`,
      attributes: { 'code.function.name': 'handleRequest', 'thread.id': (random() * 8) | 0 },
      ...(ctx ? { context: ctx } : {}),
    });
  }
  return records;
}

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * One collection of `count` data points, as a PeriodicExportingMetricReader would hand it
 * to the exporter: a request counter (sum), a latency histogram and a memory gauge, each
 * over distinct attribute sets.
 */
export async function sdkMetrics(count: number, random: () => number): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: RESOURCE, readers: [reader] });
  const meter = provider.getMeter(...SCOPE);
  const requests = meter.createCounter('http.server.requests');
  const latency = meter.createHistogram('http.server.request.duration', { unit: 's' });
  const memory = meter.createGauge('process.memory.usage', { unit: 'By' });
  for (let i = 0; i < count; i++) {
    const attributes = { 'http.route': routes[i % routes.length]!, 'loadgen.series': i };
    if (i % 3 === 0) requests.add(1 + ((random() * 5) | 0), attributes);
    else if (i % 3 === 1) latency.record(random() * 2, attributes);
    else memory.record((random() * 2 ** 30) | 0, attributes);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}
