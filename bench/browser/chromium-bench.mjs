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
  {
    name: 'ours-gzip-main-thread',
    label: 'ours, gzip on the main thread',
    page: 'ours',
    compression: 'main-thread',
  },
  {
    name: 'ours-gzip-unload-only',
    label: 'ours, gzip, keepalive at unload only',
    page: 'ours',
    compression: 'gzip',
    keepaliveWhenFits: false,
  },
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
    // TaskDuration: main-thread task time (wall clock inside tasks), the measure;
    // ThreadTime: the main thread's CPU time, which a busy machine's descheduling does not
    // inflate.
    const read = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name) => metrics.find((m) => m.name === name).value * 1000;
      return { task: value('TaskDuration'), cpu: value('ThreadTime') };
    };
    const before = await read();
    const config = { spans, taskSize, url: backend.grpcWebUrl, httpUrl: backend.httpUrl };
    if (variant.compression) config.compression = variant.compression;
    if (variant.keepaliveWhenFits !== undefined)
      config.keepaliveWhenFits = variant.keepaliveWhenFits;
    const result = await page.evaluate((c) => window.bench(c), config);
    const after = await read();
    const taskMs = after.task - before.task;
    const cpuMs = after.cpu - before.cpu;
    const cpuProfile = profile ? (await cdp.send('Profiler.stop')).profile : undefined;
    const arrivedAfter = backend.arrived();
    const arrived = arrivedAfter === undefined ? undefined : arrivedAfter - arrivedBefore;
    return { taskMs, cpuMs, flushMs: result.flushMs, wireBytes, requests, arrived, cpuProfile };
  } finally {
    await context.close();
  }
}

// BENCH_ONLY=ours-gzip,otel-proto runs those (and the baseline) alone.
const only = process.env.BENCH_ONLY?.split(',');
if (only)
  VARIANTS.splice(
    0,
    VARIANTS.length,
    ...VARIANTS.filter((v) => v.name === 'noop' || only.includes(v.name)),
  );
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

const per1000 = (ms) => (ms / spans) * 1000;
const results = VARIANTS.map((v) => {
  const runs = samples[v.name];
  const taskMs = median(runs.map((s) => s.taskMs));
  // Per round, against that round's baseline: the paired figure moves less on a busy machine.
  const beyond = runs.map((s, i) => per1000(s.taskMs - samples.noop[i].taskMs));
  const beyondCpu = runs.map((s, i) => per1000(s.cpuMs - samples.noop[i].cpuMs));
  const lost = runs.filter(
    (s) => s.arrived !== undefined && v.page !== 'noop' && s.arrived !== spans,
  );
  return {
    name: v.name,
    label: v.label,
    taskMsPer1000: round1(per1000(taskMs)),
    beyondSdkPer1000: v.name === 'noop' ? 0 : round1(median(beyond)),
    cpuBeyondSdkPer1000: v.name === 'noop' ? 0 : round1(median(beyondCpu)),
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
const noop = results.find((r) => r.name === 'noop');
console.log(
  `SDK alone (no-op exporter): ${noop.taskMsPer1000} ms task time per 1,000 spans; ` +
    'columns: main-thread cost per 1,000 spans beyond it, median of the rounds paired with the baseline',
);
const ratio = (r, key) => (proto[key] > 0 ? (r[key] / proto[key]).toFixed(2) : 'n/a');
console.log(
  `${'exporter'.padEnd(38)} ${'task ms'.padStart(8)} ${'x proto'.padStart(8)} ${'CPU ms'.padStart(8)} ` +
    `${'x proto'.padStart(8)} ${'B/span'.padStart(7)} ${'requests'.padStart(8)} ${'flush->last answer ms'.padStart(22)}`,
);
for (const r of results.filter((x) => x.name !== 'noop')) {
  console.log(
    `${r.label.padEnd(38)} ${String(r.beyondSdkPer1000).padStart(8)} ${ratio(r, 'beyondSdkPer1000').padStart(8)} ` +
      `${String(r.cpuBeyondSdkPer1000).padStart(8)} ${ratio(r, 'cpuBeyondSdkPer1000').padStart(8)} ` +
      `${String(r.bytesPerSpan).padStart(7)} ${String(r.requests).padStart(8)} ${String(r.flushMs).padStart(22)}` +
      (r.arrivedShort.length ? `  LOST: arrived ${r.arrivedShort.join(', ')} of ${spans}` : ''),
  );
}
const ours = results.find((r) => r.name === 'ours-gzip');
if (ours && proto) {
  const met = (key) => (ours[key] <= 0.5 * proto[key] ? 'met' : 'NOT met');
  console.log(
    `budget ours (gzip) <= 0.5x OTel proto: task time ${met('beyondSdkPer1000')}, CPU ${met('cpuBeyondSdkPer1000')}`,
  );
}
console.log(JSON.stringify({ bench: 'chromium-main-thread', spans, rounds, taskSize, results }));
if (results.some((r) => r.arrivedShort.length)) process.exitCode = 1;
