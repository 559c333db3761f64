import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { startReceiver } from '../../dist/src/receiver/index.js';
import type { SelfMetricsSnapshot } from '../../src/core/self-metrics.js';
import {
  buildDemo,
  type Envoy,
  type Receiver,
  requireChromium,
  serveDemo,
  startStack,
} from './stack.js';

// The durable queue for real: the built demo page in durable mode (?durable=1) in Debian's
// Chromium, its IndexedDB, Web Locks and online events, through a real Envoy to the real
// receiver, which is stopped and started to play a backend outage. Every check is made at
// the receiver, span by span: every span arrives, none twice.
test.describe.configure({ mode: 'serial' });

let demo: Awaited<ReturnType<typeof serveDemo>>;
let receiver: Receiver;
let envoy: Envoy;
let receiverPort = 0;

test.beforeAll(async () => {
  requireChromium();
  await buildDemo();
  demo = await serveDemo();
  ({ receiver, envoy } = await startStack(demo.origin));
  receiverPort = receiver.port;
});

test.afterAll(async () => {
  await envoy?.stop();
  await receiver?.close();
  await demo?.close();
});

type DemoWindow = {
  demo: {
    burst(n: number, payloadBytes?: number): void;
    telemetry: {
      flush(): Promise<unknown>;
      exporters: { traces: { metrics(): SelfMetricsSnapshot } };
      errors: { reason: string; signal: string; items: number; message: string }[];
    };
  };
};

const backendDown = () => receiver.close();
async function backendUp() {
  receiver = await startReceiver({
    port: receiverPort,
    corsOrigins: [demo.origin],
    maxStoredItems: 10_000,
  });
}

// A short export deadline: a failed export gives up (and is stored) after one retry or two.
const pageUrl = (extra = '') =>
  `${demo.origin}/?otlp=${encodeURIComponent(envoy.url)}&query=${encodeURIComponent(receiver.url)}&durable=1&timeout=1500${extra}`;

/** Span ids at the receiver, one entry per span received (a duplicate shows twice). */
const received = () =>
  receiver.sinks
    .listSpans({ afterSeq: 0n, limit: 10_000, traceIdHex: '' } as never)
    .spans.map((s) => Buffer.from(s.span!.spanId).toString('hex'));
const unique = () => new Set(received()).size;

const burst = (page: Page, n: number) =>
  page.evaluate(async (n) => {
    const { demo } = window as unknown as DemoWindow;
    demo.burst(n);
    // An export dropped (quota test) fails the SDK's flush; the counters tell the rest.
    await demo.telemetry.flush().catch(() => {});
  }, n);
const metrics = (page: Page) =>
  page.evaluate(() => (window as unknown as DemoWindow).demo.telemetry.exporters.traces.metrics());
const durable = async (page: Page) => (await metrics(page)).durable!;
const dropped = async (page: Page) =>
  Object.values((await metrics(page)).droppedByReason).reduce((a, b) => a + b, 0);

/** Opens the demo in durable mode with nothing stored and nothing received. */
async function fresh(context: BrowserContext, extra = '') {
  const page = await context.newPage();
  await page.goto(pageUrl(extra));
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.deleteDatabase('otlp-grpc-web-demo');
        r.onsuccess = r.onblocked = resolve;
        r.onerror = reject;
      }),
  );
  await page.goto(pageUrl(extra));
  receiver.sinks.clear();
  return page;
}

test('offline for 30 s while spans are made, then online: every span arrives', async ({
  context,
}, info) => {
  const page = await fresh(context);
  await context.setOffline(true);
  for (let i = 0; i < 6; i++) {
    await burst(page, 10);
    await page.waitForTimeout(5_000);
  }
  expect((await durable(page)).storedItems).toBe(60);
  // Stored at once, not after retries: nothing is sent while the page knows it is offline.
  expect((await metrics(page)).retries).toBe(0);
  expect(received()).toHaveLength(0);
  await context.setOffline(false);
  await expect.poll(() => received().length, { timeout: 15_000 }).toBe(60);
  await expect.poll(async () => (await durable(page)).replayedItems).toBe(60);
  expect(unique()).toBe(60);
  expect(await dropped(page)).toBe(0);
  await expect(page.locator('#self-metrics tr[data-signal="traces"] .replayed')).toHaveText('60');
  const shot = info.outputPath('durable-replayed.png');
  await page.screenshot({ path: shot, fullPage: true });
  await info.attach('live view after the replay', { path: shot, contentType: 'image/png' });
});

test('backend down, page reloaded twice, backend up: every span arrives, none twice', async ({
  context,
}) => {
  const page = await fresh(context);
  await backendDown();
  await burst(page, 20);
  await expect.poll(async () => (await durable(page)).storedItems).toBe(20);
  for (const n of [5, 7]) {
    await page.reload();
    // This load's replay tried and failed (the request stays stored), then new spans fail too.
    await expect.poll(async () => (await metrics(page)).exportsFailed).toBeGreaterThan(0);
    await burst(page, n);
    await expect.poll(async () => (await durable(page)).storedItems).toBe(n);
  }
  await backendUp();
  // A successful export replays what is stored.
  await burst(page, 1);
  await expect.poll(async () => (await durable(page)).replayedItems, { timeout: 15_000 }).toBe(32);
  expect(received()).toHaveLength(33);
  expect(unique()).toBe(33);
  expect(await dropped(page)).toBe(0);
});

test('navigate away with more pending than the keepalive budget: now + next visit + counted == pending', async ({
  context,
}) => {
  // The SDK holds every span until the page goes (batchDelay), then flushes them with
  // keepalive: 400 spans of ~500 bytes, about three times the 64 KiB keepalive budget.
  const page = await fresh(context, '&batchDelay=600000');
  const pending = 400;
  await page.evaluate((n) => (window as unknown as DemoWindow).demo.burst(n, 500), pending);
  await page.goto('about:blank');
  // What the keepalive budget let through as the page went.
  let last = -1;
  await expect
    .poll(
      () => {
        const n = received().length;
        const settled = n > 0 && n === last;
        last = n;
        return settled;
      },
      { intervals: [500] },
    )
    .toBe(true);
  const now = received().length;
  expect(now).toBeGreaterThan(0);
  expect(now).toBeLessThan(pending);
  // The next visit replays what was stored at unload.
  await page.goto(pageUrl());
  await expect
    .poll(async () => received().length + (await dropped(page)), { timeout: 15_000 })
    .toBe(pending);
  const next = (await durable(page)).replayedItems;
  expect(now + next + (await dropped(page))).toBe(pending);
  expect(unique()).toBe(received().length);
});

test('two tabs of the same origin: no request replayed twice', async ({ context }) => {
  const a = await fresh(context);
  const b = await context.newPage();
  await b.goto(pageUrl());
  await backendDown();
  await burst(a, 30);
  await burst(b, 20);
  await expect.poll(async () => (await durable(a)).storedItems).toBe(30);
  await expect.poll(async () => (await durable(b)).storedItems).toBe(20);
  await backendUp();
  // Both tabs come back online at once, and both try to replay everything stored.
  await Promise.all(
    [a, b].map((tab) => tab.evaluate(() => window.dispatchEvent(new Event('online')))),
  );
  await expect
    .poll(async () => (await durable(a)).replayedItems + (await durable(b)).replayedItems, {
      timeout: 15_000,
    })
    .toBe(50);
  expect(received()).toHaveLength(50);
  expect(unique()).toBe(50);
});

test('quota exceeded: drops counted, said once, and the page keeps working', async ({
  context,
}) => {
  const page = await fresh(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: demo.origin, quotaSize: 1 });
  try {
    await backendDown();
    await burst(page, 10);
    await expect.poll(() => dropped(page)).toBe(10);
    await burst(page, 4);
    await expect.poll(() => dropped(page)).toBe(14);
    expect(await durable(page)).toMatchObject({ storedItems: 0, refusedItems: 14 });
    const notices = await page.evaluate(() =>
      (window as unknown as DemoWindow).demo.telemetry.errors.filter(
        (e) => e.reason === 'durable_unavailable' && e.signal === 'traces',
      ),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/QuotaExceeded/);
    await backendUp();
    await burst(page, 3);
    await expect.poll(() => received().length).toBe(3);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: demo.origin });
  }
});
