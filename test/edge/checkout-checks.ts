// What the examples' /checkout route must produce at the receiver, checked item by item:
// the root span (HTTP semantic conventions), its children, its log records and metrics.
import { expect } from 'vitest';
import { attrs, hex, type TestReceiver, until } from './receiver-harness.js';

const SERVER = 2; // SPAN_KIND_SERVER
const INTERNAL = 1; // SPAN_KIND_INTERNAL
const UNSET = 0; // STATUS_CODE_UNSET

/** One /checkout request the test made. */
export interface Checkout {
  traceId: string;
  items: number;
  url: string;
}

/** Checks the spans and logs of each checkout, and that nothing else of its trace arrived. */
export function expectCheckouts(
  received: TestReceiver,
  checkouts: readonly Checkout[],
  service: { name: string; runtime: string },
): void {
  const spans = received.spans();
  const logs = received.logs();
  for (const checkout of checkouts) {
    const trace = spans.filter((s) => hex(s.span.traceId) === checkout.traceId);
    expect(trace).toHaveLength(checkout.items + 1);
    const roots = trace.filter((s) => s.span.parentSpanId.length === 0);
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.span.name).toBe('GET');
    expect(root.span.kind).toBe(SERVER);
    expect(root.span.status?.code ?? UNSET).toBe(UNSET);
    expect(attrs(root.origin.resource?.attributes)['service.name']).toBe(service.name);
    expect(root.origin.scope?.name).toBe('otlp-grpc-web/edge');
    const url = new URL(checkout.url);
    expect(attrs(root.span.attributes)).toMatchObject({
      'http.request.method': 'GET',
      'url.full': url.href,
      'url.path': '/checkout',
      'url.query': `items=${checkout.items}`,
      'url.scheme': 'http',
      'http.response.status_code': 200,
    });
    const rootId = hex(root.span.spanId);
    const children = trace
      .filter((s) => s !== root)
      .sort(
        (a, b) =>
          Number(attrs(a.span.attributes)['app.item.index']) -
          Number(attrs(b.span.attributes)['app.item.index']),
      );
    children.forEach((child, i) => {
      expect(child.span.name).toBe('reserve item');
      expect(child.span.kind).toBe(INTERNAL);
      expect(hex(child.span.parentSpanId)).toBe(rootId);
      expect(attrs(child.span.attributes)).toEqual({
        'app.item.index': i,
        'app.item.sku': `SKU-${1000 + i}`,
      });
      expect(child.span.endTimeUnixNano).toBeGreaterThanOrEqual(child.span.startTimeUnixNano);
    });

    const records = logs.filter((l) => hex(l.record.traceId) === checkout.traceId);
    expect(records).toHaveLength(checkout.items + 1);
    for (const { record, origin } of records) {
      expect(hex(record.spanId)).toBe(rootId);
      expect(attrs(origin.resource?.attributes)['service.name']).toBe(service.name);
    }
    const started = records.filter((l) => l.record.body?.value.value === 'checkout started');
    expect(started).toHaveLength(1);
    expect(started[0]!.record.severityNumber).toBe(9);
    expect(started[0]!.record.severityText).toBe('INFO');
    expect(attrs(started[0]!.record.attributes)).toEqual({
      'app.runtime': service.runtime,
      'app.items': checkout.items,
    });
    const reserved = records
      .filter((l) => l !== started[0])
      .map((l) => ({
        body: l.record.body?.value.value,
        severity: l.record.severityNumber,
        index: attrs(l.record.attributes)['app.item.index'],
      }))
      .sort((a, b) => Number(a.index) - Number(b.index));
    expect(reserved).toEqual(
      Array.from({ length: checkout.items }, (_, i) => ({
        body: `reserved SKU-${1000 + i}`,
        severity: 5,
        index: i,
      })),
    );
  }
}

/**
 * Checks the newest cumulative metric points: `app.checkouts` counts every checkout and
 * `app.checkout.items` has one observation per checkout summing to the items.
 */
export function expectCheckoutMetrics(
  received: TestReceiver,
  checkouts: readonly Checkout[],
  service: { name: string; runtime: string },
): void {
  const metrics = received.metrics();
  const newest = (name: string) => metrics.filter((m) => m.metric.name === name).at(-1);
  const counter = newest('app.checkouts');
  expect(counter, 'app.checkouts arrived').toBeDefined();
  expect(attrs(counter!.origin.resource?.attributes)['service.name']).toBe(service.name);
  expect(counter!.metric.unit).toBe('{checkout}');
  expect(counter!.metric.data.case).toBe('sum');
  if (counter!.metric.data.case !== 'sum') return;
  expect(counter!.metric.data.value.isMonotonic).toBe(true);
  const points = counter!.metric.data.value.dataPoints;
  expect(points).toHaveLength(1);
  expect(Number(points[0]!.value.value)).toBe(checkouts.length);
  expect(attrs(points[0]!.attributes)).toEqual({ 'app.runtime': service.runtime });

  const histogram = newest('app.checkout.items');
  expect(histogram?.metric.data.case).toBe('histogram');
  if (histogram?.metric.data.case !== 'histogram') return;
  const point = histogram.metric.data.value.dataPoints[0]!;
  expect(Number(point.count)).toBe(checkouts.length);
  expect(point.sum).toBe(checkouts.reduce((sum, c) => sum + c.items, 0));
}

/** Makes `/checkout?items=N` requests one after another; returns what each one was. */
export async function checkout(baseUrl: string, items: readonly number[]): Promise<Checkout[]> {
  const out: Checkout[] = [];
  for (const n of items) {
    const url = `${baseUrl}/checkout?items=${n}`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: number; traceId: string };
    expect(body.items).toBe(n);
    out.push({ traceId: body.traceId, items: n, url });
  }
  return out;
}

/**
 * Two checkouts (12 and 9 items) against a runtime serving an example with metrics: waits
 * for one export per signal per request, checks every item, that each call was gRPC-web
 * and OK, and that spans and logs (over the 1 KiB compression threshold) went with
 * `encoding` on the wire.
 */
export async function expectAllSignals(
  received: TestReceiver,
  baseUrl: string,
  service: { name: string; runtime: string },
  encoding: 'gzip' | 'identity',
): Promise<void> {
  const checkouts = await checkout(baseUrl, [12, 9]);
  await until(
    () => received.calls.filter((c) => c.status === 'ok').length === 6,
    'one export per signal for each of the two checkouts',
  );
  expect(received.calls.map((c) => `${c.service} ${c.protocol} ${c.status}`).sort()).toEqual([
    'logs grpc-web ok',
    'logs grpc-web ok',
    'metrics grpc-web ok',
    'metrics grpc-web ok',
    'trace grpc-web ok',
    'trace grpc-web ok',
  ]);
  expectCheckouts(received, checkouts, service);
  expectCheckoutMetrics(received, checkouts, service);
  for (const call of received.calls.filter((c) => c.service !== 'metrics')) {
    expect(call.encoding).toBe(encoding);
  }
}
