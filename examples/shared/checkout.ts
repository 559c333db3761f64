// The demo handler every example serves, so each runtime example is only its wiring and
// every runtime is tested on the same telemetry. Routes:
//   GET /checkout?items=N  N child spans ("reserve item"), N+1 log records, and, when the
//                          wrapper has metrics, a counter and a histogram
//   GET /fail              a 503 (the root span gets error status)
//   GET /boom              throws (the root span records the exception)
import type { InstrumentedHandler, RequestTelemetry } from 'otlp-grpc-web/edge';

type Instruments = {
  checkouts: ReturnType<NonNullable<RequestTelemetry['meter']>['createCounter']>;
  items: ReturnType<NonNullable<RequestTelemetry['meter']>['createHistogram']>;
};

// Instruments are made once per meter (per isolate), not per request.
const instruments = new WeakMap<object, Instruments>();

function instrumentsOf(otel: RequestTelemetry): Instruments | undefined {
  const meter = otel.meter;
  if (!meter) return undefined;
  let found = instruments.get(meter);
  if (!found) {
    found = {
      checkouts: meter.createCounter('app.checkouts', { unit: '{checkout}' }),
      items: meter.createHistogram('app.checkout.items', { unit: '{item}' }),
    };
    instruments.set(meter, found);
  }
  return found;
}

/** Handles one request of the demo shop; `runtime` names the example in attributes. */
export function checkoutHandler<Env>(runtime: string): InstrumentedHandler<Env> {
  return (request, _env, _ctx, otel) => {
    const url = new URL(request.url);
    if (url.pathname === '/boom') throw new Error('boom: the handler failed');
    if (url.pathname === '/fail') return new Response('inventory unavailable', { status: 503 });
    if (url.pathname !== '/checkout') return new Response('not found', { status: 404 });

    const count = Math.min(Math.max(Number(url.searchParams.get('items') ?? '1') | 0, 0), 100);
    otel.log('info', 'checkout started', { 'app.runtime': runtime, 'app.items': count });
    for (let i = 0; i < count; i++) {
      const span = otel.startSpan('reserve item', {
        attributes: { 'app.item.index': i, 'app.item.sku': `SKU-${1000 + i}` },
      });
      otel.log('debug', `reserved SKU-${1000 + i}`, { 'app.item.index': i });
      span.end();
    }
    const metrics = instrumentsOf(otel);
    metrics?.checkouts.add(1, { 'app.runtime': runtime });
    metrics?.items.record(count, { 'app.runtime': runtime });
    return Response.json({ ok: true, items: count, traceId: otel.span.spanContext().traceId });
  };
}
