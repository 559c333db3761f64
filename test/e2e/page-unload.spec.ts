import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { bundleApps } from '../../bench/browser/bundle-pages.mjs';
import { type Envoy, type Receiver, requireChromium, startStack } from './stack.js';

// Page unload loses nothing silently: spans pending in the SDK's BatchSpanProcessor when
// the user navigates away either arrive at the receiver (through a real Envoy) or are
// counted by the exporter, and the two add up to what was pending.
test.describe.configure({ mode: 'serial' });

let server: Server;
let origin: string;
let receiver: Receiver;
let envoy: Envoy;

test.beforeAll(async () => {
  requireChromium();
  const { page } = await bundleApps(
    { page: readFileSync('test/e2e/unload-page.mjs', 'utf8') },
    { resolveDir: 'test/e2e' },
  );
  server = createServer((req, res) => {
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(page);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>unload</title><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  ({ receiver, envoy } = await startStack(origin));
});

test.afterAll(async () => {
  await envoy?.stop();
  await receiver?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Counts = { itemsSent: number; droppedByReason: Record<string, number> };
const arrived = () => Number(receiver.stats().traces?.itemsAccepted ?? 0n);

/** Leaves `spans` pending, navigates away, and returns what arrived and what was counted. */
async function unload(
  page: import('@playwright/test').Page,
  options: { spans: number; valueBytes?: number; compression: 'gzip' | 'none' },
) {
  const before = arrived();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'pend' in window);
  await page.evaluate(
    (o) => {
      localStorage.clear();
      (window as unknown as { pend(o: unknown): void }).pend(o);
    },
    { url: envoy.url, ...options },
  );
  await page.goto(`${origin}/next`);
  const counts = JSON.parse(
    (await page.evaluate(() => localStorage.getItem('unload'))) ?? 'null',
  ) as Counts;
  expect(counts, 'the page stored its counts as it went').not.toBeNull();
  const counted = Object.values(counts.droppedByReason).reduce((a, b) => a + b, 0);
  await expect.poll(() => arrived() - before + counted, { timeout: 10_000 }).toBe(options.spans);
  return { arrived: arrived() - before, counted, dropped: counts.droppedByReason };
}

test('1,500 small spans pending at navigation all arrive, compressed', async ({ page }) => {
  const result = await unload(page, { spans: 1500, compression: 'gzip' });
  expect(result).toMatchObject({ arrived: 1500, counted: 0 });
});

test('300 spans of ~330 B pending at navigation all arrive, compressed', async ({ page }) => {
  const result = await unload(page, { spans: 300, valueBytes: 290, compression: 'gzip' });
  expect(result).toMatchObject({ arrived: 300, counted: 0 });
});

test('300 spans of ~330 B uncompressed: what passes the 64 KiB budget is counted', async ({
  page,
}) => {
  const result = await unload(page, { spans: 300, valueBytes: 290, compression: 'none' });
  expect(result.counted).toBeGreaterThan(0);
  expect(result.dropped.unload).toBe(result.counted);
  expect(result.arrived + result.counted).toBe(300);
});
