#!/usr/bin/env node
// `node bench/browser/fetch-cost.mjs`: what one fetch POST costs a page's main thread in
// Chromium, by body size, with and without the DevTools Network domain enabled. The
// Playwright-driven bench (BENCH_CDP=playwright) has it on (Playwright enables it for its
// request events), and then Chromium's inspector handles every request body on the
// renderer's main thread, which no user's page pays. Raw CDP (raw-cdp.mjs), so only the
// domains named here are on. Prints main-thread CPU (ThreadTime) and task time per fetch.
import { createServer } from 'node:http';
import { launchRaw } from './raw-cdp.mjs';

const chromiumBin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const sizes = (process.env.FETCH_SIZES ?? '100,24000,285000').split(',').map(Number);
const count = Number(process.env.FETCH_COUNT ?? 40);
const rounds = Number(process.env.FETCH_ROUNDS ?? 5);

const html = `<!doctype html><script>
window.post = async (size, n, keepalive) => {
  const body = new Uint8Array(size).map((_, i) => i * 7);
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 0));
    const r = await fetch('/sink', { method: 'POST', body, keepalive, headers: { 'content-type': 'application/grpc-web+proto' } });
    await r.arrayBuffer();
  }
};
</script>`;
const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  } else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchRaw(chromiumBin, [
  ...['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  '--disable-background-networking',
]);
const page = await browser.newPage(origin);
const send = (method, params) => page.send(method, params);
const metrics = async () => {
  const { metrics: m } = await send('Performance.getMetrics');
  const v = (name) => m.find((x) => x.name === name).value * 1000;
  return { task: v('TaskDuration'), cpu: v('ThreadTime') };
};

await send('Performance.enable');
await new Promise((r) => setTimeout(r, 1000));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const network of [false, true]) {
  await send(network ? 'Network.enable' : 'Network.disable');
  for (const keepalive of [false, true]) {
    for (const size of sizes) {
      if (keepalive && size > 65_536) continue;
      const samples = [];
      // one warm-up, then `rounds`
      for (let r = 0; r <= rounds; r++) {
        const before = await metrics();
        await send('Runtime.evaluate', {
          expression: `post(${size}, ${count}, ${keepalive})`,
          awaitPromise: true,
        });
        const after = await metrics();
        if (r)
          samples.push({
            cpu: (after.cpu - before.cpu) / count,
            task: (after.task - before.task) / count,
          });
      }
      rows.push({
        network,
        keepalive,
        size,
        cpuMsPerFetch: median(samples.map((s) => s.cpu)).toFixed(3),
        taskMsPerFetch: median(samples.map((s) => s.task)).toFixed(3),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
}
await browser.close();
server.close();
