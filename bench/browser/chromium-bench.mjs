#!/usr/bin/env node
// `node bench/browser/chromium-bench.mjs` (part of `npm run bench`, after `npm run build`):
// what each exporter costs the main thread of a real page, in Debian's Chromium through
// Playwright. The page (page.mjs): OTel's BatchSpanProcessor, BENCH_SPANS spans (10,000)
// of 10 attributes and an event made in tasks of 500, then forceFlush. Cost = CDP
// Performance.getMetrics TaskDuration over the run, minus the same page with a no-op
// exporter, per 1,000 spans. Variants alternate within each of BENCH_ROUNDS rounds (7),
// a fresh browser context each run; medians. BENCH_PROFILE=ours-gzip (any variant) adds
// one CPU-profiled run and prints where that variant's main-thread time goes.
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { startBackend } from './backends.mjs';
import { bundlePages } from './bundle-pages.mjs';
import { summarizeProfile } from './cpu-profile.mjs';

const spans = Number(process.env.BENCH_SPANS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const taskSize = 500;
const chromiumBin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const VARIANTS = [
  { name: 'noop', label: 'no-op exporter (baseline)', page: 'noop' },
  { name: 'ours-gzip', label: 'ours, gRPC-web + gzip', page: 'ours', compression: 'gzip' },
  { name: 'ours-identity', label: 'ours, gRPC-web, identity', page: 'ours', compression: 'none' },
  { name: 'otel-proto', label: 'OTel exporter-trace-otlp-proto', page: 'otel-proto' },
  { name: 'otel-http', label: 'OTel exporter-trace-otlp-http', page: 'otel-http' },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round1 = (n) => Math.round(n * 10) / 10;

const pages = await bundlePages();
// The profiled run loads an unminified build of the same page, so the profile names functions.
const profiled = VARIANTS.find((v) => v.name === process.env.BENCH_PROFILE);
if (profiled) {
  for (const [name, js] of Object.entries(await bundlePages({ minify: false })))
    pages[`dev-${name}`] = js;
}
const server = createServer((req, res) => {
  const name = new URL(req.url, 'http://x').pathname.slice(1);
  if (name.endsWith('.js') && pages[name.slice(0, -3)]) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(pages[name.slice(0, -3)]);
  } else if (pages[name]) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><title>${name}</title><script type="module" src="/${name}.js"></script>`,
    );
  } else res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const backend = await startBackend(origin);
const browser = await chromium.launch({
  executablePath: chromiumBin,
  args: [
    ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
  ],
});

/** One run of a variant in a fresh context: main-thread ms, flush ms, wire bytes, arrivals. */
async function run(variant, profile = false) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let wireBytes = 0;
  let requests = 0;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(backend.grpcWebUrl) && !url.startsWith(backend.httpUrl)) return;
    if (request.method() !== 'POST') return;
    requests++;
    wireBytes += request.postDataBuffer()?.length ?? 0;
  });
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${origin}/${profile ? 'dev-' : ''}${variant.page}`);
    await page.waitForFunction(() => typeof window.bench === 'function');
    const arrivedBefore = backend.arrived();
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')
        .value;
    const before = await taskSeconds();
    const config = { spans, taskSize, url: backend.grpcWebUrl, httpUrl: backend.httpUrl };
    if (variant.compression) config.compression = variant.compression;
    const result = await page.evaluate((c) => window.bench(c), config);
    const taskMs = ((await taskSeconds()) - before) * 1000;
    const cpuProfile = profile ? (await cdp.send('Profiler.stop')).profile : undefined;
    const after = backend.arrived();
    const arrived = after === undefined ? undefined : after - arrivedBefore;
    return { taskMs, flushMs: result.flushMs, wireBytes, requests, arrived, cpuProfile };
  } finally {
    await context.close();
  }
}

const samples = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
try {
  await run(VARIANTS[1]); // warm-up: Chromium's first page, Envoy's first connection
  for (let r = 0; r < rounds; r++) {
    // Alternate the order each round, so no variant always runs first or last.
    const order = r % 2 ? [...VARIANTS].reverse() : VARIANTS;
    for (const variant of order) samples[variant.name].push(await run(variant));
  }
  if (profiled) {
    const { cpuProfile, taskMs } = await run(profiled, true);
    console.log(`\nCPU profile, ${profiled.label} (${round1(taskMs)} ms main-thread task time):`);
    console.log(summarizeProfile(cpuProfile, 25));
  }
} finally {
  await browser.close();
  await backend.close();
  await new Promise((resolve) => server.close(resolve));
}

const baseline = median(samples.noop.map((s) => s.taskMs));
const per1000 = (ms) => (ms / spans) * 1000;
const results = VARIANTS.map((v) => {
  const runs = samples[v.name];
  const taskMs = median(runs.map((s) => s.taskMs));
  // Per round, against that round's baseline: the paired figure moves less on a busy machine.
  const beyond = runs.map((s, i) => per1000(s.taskMs - samples.noop[i].taskMs));
  const lost = runs.filter(
    (s) => s.arrived !== undefined && v.page !== 'noop' && s.arrived !== spans,
  );
  return {
    name: v.name,
    label: v.label,
    taskMsPer1000: round1(per1000(taskMs)),
    beyondSdkPer1000: v.name === 'noop' ? 0 : round1(median(beyond)),
    flushMs: round1(median(runs.map((s) => s.flushMs))),
    bytesPerSpan: round1(median(runs.map((s) => s.wireBytes)) / spans),
    requests: median(runs.map((s) => s.requests)),
    arrivedShort: lost.map((s) => s.arrived),
  };
});
const proto = results.find((r) => r.name === 'otel-proto');
console.log(
  `\nChromium main thread: ${spans} spans (10 attributes, 1 event) in tasks of ${taskSize}, ` +
    `BatchSpanProcessor, median of ${rounds} alternating rounds; backend: ${backend.name}`,
);
console.log(`SDK alone (no-op exporter): ${round1(per1000(baseline))} ms per 1,000 spans`);
console.log(
  `${'exporter'.padEnd(32)} ${'ms/1k spans beyond SDK'.padStart(22)} ${'x OTel proto'.padStart(12)} ` +
    `${'B/span'.padStart(7)} ${'requests'.padStart(8)} ${'forceFlush->last answer ms'.padStart(27)}`,
);
for (const r of results.filter((x) => x.name !== 'noop')) {
  const ratio =
    proto.beyondSdkPer1000 > 0 ? (r.beyondSdkPer1000 / proto.beyondSdkPer1000).toFixed(2) : 'n/a';
  console.log(
    `${r.label.padEnd(32)} ${String(r.beyondSdkPer1000).padStart(22)} ${ratio.padStart(12)} ` +
      `${String(r.bytesPerSpan).padStart(7)} ${String(r.requests).padStart(8)} ${String(r.flushMs).padStart(27)}` +
      (r.arrivedShort.length ? `  LOST: arrived ${r.arrivedShort.join(', ')} of ${spans}` : ''),
  );
}
const ours = results.find((r) => r.name === 'ours-gzip');
const budget = ours.beyondSdkPer1000 <= 0.5 * proto.beyondSdkPer1000;
console.log(`budget ours (gzip) <= 0.5x OTel proto: ${budget ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({ bench: 'chromium-main-thread', spans, rounds, taskSize, results }));
if (results.some((r) => r.arrivedShort.length)) process.exitCode = 1;
