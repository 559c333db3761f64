import { expect, type Page, test } from '@playwright/test';
import {
  buildDemo,
  type Envoy,
  type Receiver,
  requireChromium,
  serveDemo,
  startStack,
} from './stack.js';

// The browser path for real: the built demo page in Debian's Chromium, exporting with the OTel
// web SDK and this package's exporters through a real Envoy to the real receiver. Every check
// is made at the receiver, item by item.
test.describe.configure({ mode: 'serial' });

let demo: Awaited<ReturnType<typeof serveDemo>>;
let receiver: Receiver;
let envoy: Envoy;

test.beforeAll(async () => {
  requireChromium();
  await buildDemo();
  demo = await serveDemo();
  ({ receiver, envoy } = await startStack(demo.origin));
});

test.afterAll(async () => {
  await envoy?.stop();
  await receiver?.close();
  await demo?.close();
});

type DemoWindow = {
  demo: {
    userClickTrace(): Promise<void>;
    burst(n: number): void;
    logEachSeverity(): void;
    recordMetrics(): void;
    telemetry: { flush(): Promise<unknown> };
  };
};

async function open(page: Page, otlp: string, via: 'envoy' | 'receiver') {
  receiver.sinks.clear();
  const url = `${demo.origin}/?otlp=${encodeURIComponent(otlp)}&query=${encodeURIComponent(receiver.url)}&via=${via}`;
  await page.goto(url);
  await expect(page.locator('#receiver-status')).toHaveText('receiver: up');
}

const spans = () =>
  receiver.sinks
    .listSpans({ afterSeq: 0n, limit: 10_000, traceIdHex: '' } as never)
    .spans.map((s) => s.span!);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
type StoredSpan = ReturnType<typeof spans>[number];
/** An attribute's value (string, bigint, ...), undefined when the span has no such key. */
const attr = (s: StoredSpan, key: string) =>
  s.attributes.find((a) => a.key === key)?.value?.value.value;

async function produceEverything(page: Page) {
  await page.evaluate(async () => {
    const { demo } = window as unknown as DemoWindow;
    await demo.userClickTrace();
    demo.burst(50);
    demo.logEachSeverity();
    demo.recordMetrics();
    await demo.telemetry.flush();
  });
}

async function expectEverything() {
  await expect.poll(() => spans().length).toBe(55);
  const byName = new Map(spans().map((s) => [s.name, s]));
  const root = byName.get('user.click checkout')!;
  const api = byName.get('api.POST /checkout')!;
  expect(hex(byName.get('payment.authorize')!.parentSpanId)).toBe(hex(api.spanId));
  for (const child of ['cart.validate', 'api.POST /checkout', 'ui.render receipt']) {
    expect(hex(byName.get(child)!.parentSpanId), child).toBe(hex(root.spanId));
    expect(hex(byName.get(child)!.traceId)).toBe(hex(root.traceId));
  }
  expect(spans().filter((s) => s.name.startsWith('burst.item '))).toHaveLength(49);
  const logs = receiver.sinks.listLogs({ afterSeq: 0n, limit: 100, traceIdHex: '' } as never).logs;
  expect(logs.map((l) => l.logRecord!.severityNumber)).toEqual([1, 5, 9, 13, 17, 21]);
  const metrics = receiver.sinks.listMetrics({
    afterSeq: 0n,
    limit: 100,
    traceIdHex: '',
  } as never).metrics;
  expect(new Set(metrics.map((m) => m.metric!.name))).toEqual(
    new Set(['demo.clicks', 'demo.task.duration']),
  );
}

test('every signal arrives through Envoy, item by item, and the live view shows it', async ({
  page,
}, info) => {
  await open(page, envoy.url, 'envoy');
  await produceEverything(page);
  await expectEverything();
  await expect(page.locator('#totals tr[data-signal="traces"] .accepted')).toHaveText('55');
  await expect(page.locator('.trace .span-row').first()).toBeVisible();
  const shot = info.outputPath('live-view.png');
  await page.screenshot({ path: shot, fullPage: true });
  await info.attach('live view', { path: shot, contentType: 'image/png' });
});

test('the same flows straight to the receiver own gRPC-web (the fallback)', async ({ page }) => {
  await open(page, receiver.url, 'receiver');
  await produceEverything(page);
  await expectEverything();
});

test('gzip is on the wire through Envoy, and every span is decoded', async ({ page }) => {
  await open(page, envoy.url, 'envoy');
  const encodings: string[] = [];
  const bodies: Buffer[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/opentelemetry.proto.collector.trace.v1.TraceService/Export')) {
      encodings.push(r.headers()['grpc-encoding'] ?? 'identity');
      const body = r.postDataBuffer();
      if (body) bodies.push(body);
    }
  });
  await page.evaluate(async () => {
    const { demo } = window as unknown as DemoWindow;
    demo.burst(200);
    await demo.telemetry.flush();
  });
  await expect.poll(() => spans().length).toBe(200);
  expect(encodings).toContain('gzip');
  // The bytes themselves: a gRPC envelope flagged compressed (1) around a gzip stream (1f 8b).
  const gzipped = bodies.filter((b) => b[0] === 1 && b[5] === 0x1f && b[6] === 0x8b);
  expect(gzipped.length).toBeGreaterThan(0);
});

test('spans pending when the user navigates away still arrive', async ({ page }) => {
  await open(page, envoy.url, 'envoy');
  await page.evaluate(() => (window as unknown as DemoWindow).demo.burst(300));
  await page.goto('about:blank');
  await expect.poll(() => spans().length, { timeout: 10_000 }).toBe(300);
});

test('a page from an origin Envoy does not allow is refused', async ({ page }) => {
  const other = await serveDemo();
  try {
    receiver.sinks.clear();
    await page.goto(
      `${other.origin}/?otlp=${encodeURIComponent(envoy.url)}&query=${encodeURIComponent(receiver.url)}`,
    );
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const outcome = await page.evaluate(async () => {
      const { demo } = window as unknown as DemoWindow;
      demo.burst(10);
      // The export is refused by CORS, so the SDK's flush reports a failure.
      return demo.telemetry.flush().then(
        () => 'flushed',
        (e: unknown) => `failed: ${String(e)}`,
      );
    });
    expect(outcome).toMatch(/^failed: /);
    await expect.poll(() => failed.some((u) => u.includes('TraceService/Export'))).toBe(true);
    expect(spans()).toHaveLength(0);
    expect(receiver.stats().traces!.requests).toBe(0n);
  } finally {
    await other.close();
  }
});

test('receiver stopped mid-run and restarted: nothing is lost', async ({ page }) => {
  await open(page, envoy.url, 'envoy');
  const port = receiver.port;
  await receiver.close();
  const row = page.locator('#self-metrics tr[data-signal="traces"]');
  // The batch processor's timer hands the first burst to the exporter, which retries...
  await page.evaluate(() => (window as unknown as DemoWindow).demo.burst(40));
  await expect(row.locator('.retries')).not.toHaveText('0', { timeout: 8_000 });
  // ...and while it does, later spans wait in the SDK: the panel shows that queue grow.
  await page.evaluate(() => (window as unknown as DemoWindow).demo.burst(25));
  await expect(row.locator('.sdk-queued')).toHaveText('25', { timeout: 3_000 });
  const { startReceiver } = await import('../../dist/src/receiver/index.js');
  receiver = await startReceiver({ port, corsOrigins: [demo.origin], maxStoredItems: 10_000 });
  await expect.poll(() => spans().length, { timeout: 15_000 }).toBe(65);
  expect(new Set(spans().map((s) => hex(s.spanId))).size).toBe(65);
  expect(
    spans()
      .filter((s) => s.name.startsWith('burst of '))
      .map((s) => s.name)
      .sort(),
  ).toEqual(['burst of 25', 'burst of 40']);
  // Recovery: both queues empty again, nothing dropped.
  await expect(row.locator('.sdk-queued')).toHaveText('0');
  await expect(row.locator('.queued')).toHaveText('0');
  await expect(row.locator('.dropped')).toHaveText('0');
});

// "Never instrument our own export requests": the demo registers instrumentation-fetch with
// `ignoreUrls: [exporterUrlPattern(otlpUrl), queryUrlPattern(queryUrl)]`. App traffic must become
// spans; the exporters' requests (and the live view's polling) must not, or every export would
// make a span that makes another export, forever.
test('app fetches are traced, export requests never: no export -> span -> export loop', async ({
  page,
}) => {
  const ownUrl = /\/opentelemetry\.proto\.collector\.|\/otlpgrpcweb\.query\.v1\.QueryService\//;
  const own = { exports: 0, queries: 0 };
  page.on('requestfinished', (r) => {
    if (r.url().includes('/opentelemetry.proto.collector.')) own.exports++;
    if (r.url().includes('/otlpgrpcweb.query.v1.QueryService/')) own.queries++;
  });
  await open(page, envoy.url, 'envoy');

  await page.click('#btn-fetch');
  await expect(page.locator('#fetch-status')).toHaveText('GET /products.json: 200, 3 products');
  await page.click('#btn-click');
  await page.click('#btn-logs');
  await page.click('#btn-metrics');

  // (a) The app's request arrived as a fetch CLIENT span naming the fetched path.
  const appUrl = `${demo.origin}/products.json`;
  const withUrl = () => spans().filter((s) => attr(s, 'url.full') !== undefined);
  await expect.poll(() => withUrl().filter((s) => attr(s, 'url.full') === appUrl).length).toBe(1);
  const fetchSpan = withUrl().find((s) => attr(s, 'url.full') === appUrl)!;
  expect(fetchSpan.name).toBe('GET');
  expect(fetchSpan.kind).toBe(3); // SPAN_KIND_CLIENT
  expect(attr(fetchSpan, 'http.request.method')).toBe('GET');
  expect(attr(fetchSpan, 'http.response.status_code')).toBe(200n);
  await expect.poll(() => spans().filter((s) => s.name === 'user.click checkout').length).toBe(1);
  await expect
    .poll(
      () =>
        receiver.sinks.listLogs({ afterSeq: 0n, limit: 100, traceIdHex: '' } as never).logs.length,
    )
    .toBe(6);

  // More export rounds: each burst is one more trace export, awaited at the receiver. A span
  // made by export N's request would be in export N+1 (its fetch span ends ~300 ms after the
  // response, the batch processor exports after 500 ms). Meanwhile metrics export every second
  // and the live view polls every 700 ms.
  const totals = () => receiver.stats();
  const start = { traces: totals().traces!.requests, metrics: totals().metrics!.requests };
  const exportsBefore = own.exports;
  const queriesBefore = own.queries;
  await page.fill('#burst-n', '3');
  for (let round = 1; round <= 3; round++) {
    const sent = totals().traces!.requests;
    await page.click('#btn-burst');
    await expect.poll(() => totals().traces!.requests).toBeGreaterThan(sent);
    await expect.poll(() => spans().filter((s) => s.name === 'burst of 3').length).toBe(round);
  }
  await expect.poll(() => totals().metrics!.requests).toBeGreaterThanOrEqual(start.metrics + 2n);
  expect(totals().traces!.requests).toBeGreaterThanOrEqual(start.traces + 3n);
  // The requests that must not be traced did happen, several times, in this window.
  expect(own.exports - exportsBefore).toBeGreaterThanOrEqual(5);
  expect(own.queries - queriesBefore).toBeGreaterThanOrEqual(4);

  // (b) No span names an export or query URL in any attribute; the app fetch is the only span
  // with a URL; and nothing arrived beyond what the page made: 1 fetch + 5 click + 3 x 3 burst.
  const leaks = spans().flatMap((s) =>
    s.attributes
      .filter((a) => a.value?.value.case === 'stringValue' && ownUrl.test(a.value.value.value))
      .map((a) => `${s.name} ${a.key}=${a.value!.value.value}`),
  );
  expect(leaks).toEqual([]);
  expect(withUrl().map((s) => attr(s, 'url.full'))).toEqual([appUrl]);
  expect(spans()).toHaveLength(15);
  // The panels agree and hold still after the last export (a loop would keep them moving): the
  // exporter's own count (self-metrics) and the receiver's, read through the live view.
  const received = String(spans().length);
  await expect(page.locator('#self-metrics tr[data-signal="traces"] .sent')).toHaveText(received);
  await expect(page.locator('#totals tr[data-signal="traces"] .accepted')).toHaveText(received);
});
