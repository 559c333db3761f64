// The span every benchmark uses: a server span as HTTP instrumentation makes it, with 10
// attributes, 2 events and 1 link, ended at once. Shared by the encode and end-to-end
// benchmarks so their per-span figures describe the same data.
import { SpanKind } from '@opentelemetry/api';

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const LINKED = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  isRemote: true,
};

/** Starts and ends one benchmark span on `tracer`; `i` varies its values. */
export function makeSpan(tracer, i) {
  const span = tracer.startSpan(`GET /api/orders/{id}`, {
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
    links: [{ context: LINKED, attributes: { 'link.kind': 'follows_from' } }],
  });
  span.addEvent('cache.miss', { 'cache.key': `order:${1000 + i}` });
  span.addEvent('db.query', { 'db.rows': 1 });
  span.end();
}

/** Service resource attributes, as a typical Node service has them. */
export const RESOURCE = {
  'service.name': 'checkout',
  'service.version': '2.14.0',
  'deployment.environment.name': 'production',
  'telemetry.sdk.language': 'nodejs',
  'host.name': 'web-7f9c8d-abcde',
};

/**
 * `n` ended benchmark spans, collected straight from a BasicTracerProvider (no export),
 * under the scope `name`/`version`: the real ReadableSpans the encoders get.
 */
export async function collectSpans(n, name = 'bench', version = '1.0.0') {
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const spans = [];
  const collector = {
    onStart() {},
    onEnd: (s) => spans.push(s),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [collector],
  });
  const tracer = provider.getTracer(name, version);
  for (let i = 0; i < n; i++) makeSpan(tracer, i);
  return spans;
}
