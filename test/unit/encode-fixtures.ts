// Real OpenTelemetry SDK objects for the encoder and exporter tests and the encode bench:
// spans from a BasicTracerProvider, metrics from a MeterProvider, logs from a
// LoggerProvider. Not a test file itself (no .test.ts suffix).
import {
  type Attributes,
  context,
  createTraceState,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Attribute values of every type OTel span attributes allow, edge cases included. */
export const EVERY_ATTRIBUTE: Attributes = {
  'str.ascii': 'hello',
  'str.empty': '',
  'str.unicode': 'héllo wörld ✓ 日本語 🚀',
  'str.lone-surrogate': 'a\ud800b',
  'str.long': 'x'.repeat(300),
  'int.zero': 0,
  'int.small': 42,
  'int.negative': -7,
  'int.big': 2 ** 40 + 3,
  'int.max-safe': Number.MAX_SAFE_INTEGER,
  'int.min-safe': Number.MIN_SAFE_INTEGER,
  'int.pow60': 2 ** 60,
  'double.pi': Math.PI,
  'double.negative': -0.5,
  'double.infinity': Number.POSITIVE_INFINITY,
  'double.nan': Number.NaN,
  'double.huge': 2 ** 64,
  'bool.true': true,
  'bool.false': false,
  'array.str': ['a', 'b', null, 'ü'],
  'array.int': [1, -2, 3],
  'array.double': [1.5, 2.25],
  'array.bool': [true, false],
  'array.empty': [],
  '10': 'integer-like key sorts first',
};

function tracerProvider(serviceName: string, limits = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'service.version': '1.0.0',
      'host.cpus': 8,
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeCountLimit: 64, eventCountLimit: 4, linkCountLimit: 3, ...limits },
  });
  return { exporter, provider };
}

/**
 * Spans covering every field: all attribute types, events (with and without attributes),
 * links (trace state, attributes), error status with message, local and remote parents,
 * every kind, dropped attributes/events/links, two resources and three scopes.
 */
export function makeEverySpan(): ReadableSpan[] {
  const a = tracerProvider('service-a', { attributeCountLimit: 30 });
  const b = tracerProvider('service-b');
  const tracer1 = a.provider.getTracer('scope-one', '1.2.3', { schemaUrl: 'https://x/1.0' });
  const tracer2 = a.provider.getTracer('scope-two');
  const tracer3 = b.provider.getTracer('scope-three', '0.0.1');

  const root = tracer1.startSpan('root ✓', { kind: SpanKind.SERVER, attributes: EVERY_ATTRIBUTE });
  root.setAttributes({ extra1: 1, extra2: 2, extra3: 3, extra4: 4, extra5: 5, extra6: 6 });
  // The SDK keeps the newest events and links: overflow first, the interesting ones last.
  for (let i = 0; i < 6; i++) root.addEvent(`overflow ${i}`);
  root.addEvent('plain event');
  root.addEvent('event with attributes', { 'ev.str': 'v', 'ev.int': 1, 'ev.arr': [1, 2] });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom: ünïcode' });
  const rootCtx = trace.setSpan(context.active(), root);

  const remote = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=value,other=x'),
  });
  const links = [0, 1, 2, 3, 4].map((i) => ({
    context: {
      traceId: `0af7651916cd43dd8448eb211c8031${i}c`,
      spanId: `b7ad6b716920333${i}`,
      traceFlags: i % 2 ? TraceFlags.NONE : TraceFlags.SAMPLED,
      isRemote: i % 2 === 0,
      ...(i === 4 ? { traceState: createTraceState('k=v') } : {}),
    },
    ...(i !== 3 ? { attributes: { 'link.index': i, 'link.name': `l${i}` } } : {}),
  }));
  const spans: Span[] = [
    tracer1.startSpan('child client', { kind: SpanKind.CLIENT, links }, rootCtx),
    tracer1.startSpan('remote child', { kind: SpanKind.CONSUMER }, remote),
    tracer2.startSpan('producer', { kind: SpanKind.PRODUCER, attributes: { k: 'v' } }, rootCtx),
    tracer2.startSpan('internal'),
    tracer3.startSpan('other resource', { kind: SpanKind.SERVER }),
  ];
  spans[0]!.setStatus({ code: SpanStatusCode.OK });
  for (const span of spans) span.end();
  root.end();
  // Interleave the two providers' spans, so grouping matters.
  const fromA = a.exporter.getFinishedSpans();
  const fromB = b.exporter.getFinishedSpans();
  return [fromA[0]!, fromB[0]!, ...fromA.slice(1)];
}

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/**
 * `count` realistic spans, as a browser or service produces them: HTTP server and client
 * spans with semantic-convention attributes, database spans with a query, some events and
 * exceptions, parent/child trees, one resource and two scopes.
 */
export function makeRealisticSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'service.version': '2.14.0',
      'deployment.environment.name': 'production',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': '2.12.1',
      'host.name': 'web-7f9c8d-abcde',
      'process.pid': 4242,
      'cloud.region': 'eu-west-1',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-fetch', '0.57.0');
  const db = provider.getTracer('@opentelemetry/instrumentation-pg', '0.50.0');
  let made = 0;
  for (let i = 0; made < count; i++) {
    const server = http.startSpan(`GET /api/orders/{id}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.path': `/api/orders/${1000 + i}`,
        'url.scheme': 'https',
        'http.route': '/api/orders/{id}',
        'http.response.status_code': i % 17 === 0 ? 500 : 200,
        'server.address': 'shop.example.com',
        'server.port': 443,
        'user_agent.original': USER_AGENT,
        'network.protocol.version': '2',
        'client.address': `10.0.${i % 256}.${(i * 7) % 256}`,
      },
    });
    made++;
    const ctx = trace.setSpan(context.active(), server);
    if (made < count) {
      const query = db.startSpan(
        'SELECT orders',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': 'shop',
            'db.query.text': 'SELECT id, status, total, currency FROM orders WHERE id = $1 LIMIT 1',
            'db.response.returned_rows': 1,
            'server.address': 'db.internal',
            'server.port': 5432,
          },
        },
        ctx,
      );
      query.end();
      made++;
    }
    if (made < count) {
      const client = http.startSpan(
        'POST',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': 'POST',
            'url.full': `https://payments.internal/v1/charges?order=${1000 + i}`,
            'http.response.status_code': 201,
            'http.request.body.size': 512 + i,
            'server.address': 'payments.internal',
          },
        },
        ctx,
      );
      client.addEvent('request sent', { 'retry.count': 0 });
      if (i % 10 === 0) {
        client.recordException(new Error(`payment declined for order ${1000 + i}`));
        client.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
      }
      client.end();
      made++;
    }
    server.end();
  }
  return exporter.getFinishedSpans().slice(0, count);
}

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/**
 * One collection from a real MeterProvider: int and double counters, an up-down counter
 * (negative values), an explicit-bucket histogram, an exponential histogram (positive and
 * negative buckets), a synchronous gauge and observable gauge and counter, two scopes.
 */
export async function makeEveryMetric(
  temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-fixture', 'host.cpus': 4 }),
    readers: [reader],
    views: [
      {
        instrumentName: 'exp.latency',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('meter-one', '3.2.1', { schemaUrl: 'https://m/1.0' });
  const other = provider.getMeter('meter-two');
  const { ValueType } = await import('@opentelemetry/api');
  const requests = meter.createCounter('http.requests', {
    description: 'Requests served',
    unit: '{request}',
    valueType: ValueType.INT,
  });
  requests.add(3, { route: '/a', code: 200 });
  requests.add(2, { route: '/b', code: 500 });
  requests.add(2 ** 40, { route: '/big' });
  meter.createCounter('bytes.double').add(1.25, { dir: 'in' });
  const queue = meter.createUpDownCounter('queue.depth', { valueType: ValueType.INT });
  queue.add(5);
  queue.add(-12, { q: 'neg' });
  const latency = meter.createHistogram('http.latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [0, 5, 10, 25, 50, 100] },
  });
  for (const v of [1, 3, 7, 12, 30, 75, 250, 0.5]) latency.record(v, { route: '/a' });
  latency.record(9000, { route: 'ü' });
  const exp = meter.createHistogram('exp.latency', { unit: 's' });
  for (const v of [0.001, 0.02, 0.3, 4, 50, 600, 0, -2, -0.25]) exp.record(v);
  exp.record(1e6, { big: true });
  meter.createGauge('temperature').record(21.5, { room: 'lab' });
  other
    .createObservableGauge('memory.used', { valueType: ValueType.INT })
    .addCallback((r) => r.observe(123456789, { kind: 'heap' }));
  other.createObservableCounter('cpu.time').addCallback((r) => r.observe(12.5, { cpu: 0 }));
  other.createObservableUpDownCounter('threads').addCallback((r) => r.observe(-3));
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`metric collection failed: ${String(errors[0])}`);
  await provider.shutdown();
  return resourceMetrics;
}

/**
 * Log records from a real LoggerProvider: every body type (string, map, array, bytes,
 * number, none), every attribute type incl. nested maps and bytes, severity, event name,
 * trace context from an active span, scope attributes, two scopes.
 */
export function makeEveryLog(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-fixture' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('logger-one', '1.0.0', {
    schemaUrl: 'https://l/1.0',
    attributes: { 'scope.attr': 'yes', 'scope.n': 2 },
  });
  const plain = provider.getLogger('logger-two');
  const span = tracerProvider('logs').provider.getTracer('t').startSpan('active');
  const spanCtx = trace.setSpan(context.active(), span);
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'a string body ✓',
    attributes: {
      ...(EVERY_ATTRIBUTE as Record<string, string>),
      'nested.map': { a: 1, b: [true, 'x'], c: { d: null } },
    },
    context: spanCtx,
    eventName: 'order.placed',
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    body: { message: 'map body', code: 7, bytes: new Uint8Array([0, 1, 255]) },
    timestamp: new Date(1_700_000_000_123),
  });
  plain.emit({ body: ['array', 1, 2.5, false, null, new Uint8Array([9])] });
  plain.emit({ body: new Uint8Array([1, 2, 3]), severityText: 'custom' });
  plain.emit({ body: 12345, attributes: { 'bytes.attr': new Uint8Array([7, 8]) } });
  plain.emit({ attributes: { only: 'attributes' } });
  span.end();
  return exporter.getFinishedLogRecords();
}
