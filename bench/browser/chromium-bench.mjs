#!/usr/bin/env node
// `node bench/browser/chromium-bench.mjs` (part of `npm run bench`, after `npm run build`):
// what each exporter costs the main thread of a real page, in Debian's Chromium over raw
// CDP (raw-cdp.mjs; BENCH_CDP=playwright for Playwright, whose DevTools Network domain
// inflates every request body's cost, see below). The page (page.mjs): OTel's BatchSpanProcessor, BENCH_SPANS spans (10,000)
// of 10 attributes and an event made in tasks of 500, then forceFlush. Cost = CDP
// Performance.getMetrics TaskDuration over the run, minus the same page with a no-op
// exporter, per 1,000 spans. Variants alternate within each of BENCH_ROUNDS rounds (7),
// a fresh browser context each run; medians. BENCH_PROFILE=ours-gzip (any variant) adds
// one CPU-profiled run and prints where that variant's main-thread time goes, by part
// (profile-breakdown.mjs); BENCH_PROFILE=a,b profiles several, BENCH_PROFILE_RUNS=n runs
// each. BENCH_ONLY=ours-x-... runs variations of one knob (variants.mjs). BENCH_BATCH sets maxExportBatchSize;
// BENCH_WARM=1 measures a second run in the same page (warm JIT).
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { startBackend } from './backends.mjs';
import { bundlePages } from './bundle-pages.mjs';
import { summarizeProfile } from './cpu-profile.mjs';
import { breakdownProfile } from './profile-breakdown.mjs';
import { launchRaw } from './raw-cdp.mjs';

const spans = Number(process.env.BENCH_SPANS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const taskSize = 500;
// BENCH_BATCH: the BatchSpanProcessor's maxExportBatchSize for every variant (SDK default 512).
const batch = Number(process.env.BENCH_BATCH ?? 0) || undefined;
const warm = process.env.BENCH_WARM === '1';
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
  // One knob changed at a time (variants.mjs), run only when named in BENCH_ONLY.
  ...[
    ['ours-x-src', 'x: as src (control)', {}],
    ['ours-x-arraybuffer', 'x: response.arrayBuffer()', { read: 'arrayBuffer' }],
    ['ours-x-reader', 'x: response body getReader()', { read: 'reader' }],
    ['ours-x-no-keepalive', 'x: never keepalive', { keepalive: false }],
    ['ours-x-no-deadline', 'x: no AbortSignal.timeout', { deadline: false }],
    ['ours-x-worker-copy', 'x: minimal Worker, copy+transfer', { compression: 'worker-copy' }],
    ['ours-x-worker-transfer', 'x: minimal Worker, transfer', { compression: 'worker-transfer' }],
    ['ours-x-worker-clone', 'x: minimal Worker, clone', { compression: 'worker-clone' }],
    ['ours-x-main-writer', 'x: main-thread gzip, writer/reader', { compression: 'main-writer' }],
    ['ours-x-main-response', 'x: main-thread gzip, Response()', { compression: 'main-response' }],
    ['ours-x-identity', 'x: identity', { compression: 'none' }],
    [
      'ours-x-best',
      'x: arrayBuffer, no deadline, Worker transfer',
      { read: 'arrayBuffer', deadline: false, compression: 'worker-transfer' },
    ],
    ['ours-x-no-read', 'x: response body not read', { read: 'none' }],
    [
      'ours-x-all',
      'x: arrayBuffer, no keepalive/deadline, transfer',
      { read: 'arrayBuffer', keepalive: false, deadline: false, compression: 'worker-transfer' },
    ],
    ['ours-x-no-fetch', 'x: gzip (Worker), no fetch', { send: false }],
    ['ours-x-no-fetch-identity', 'x: identity, no fetch', { send: false, compression: 'none' }],
  ].map(([name, label, x]) => ({ name, label, page: 'ours-x', x, extra: true })),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round1 = (n) => Math.round(n * 10) / 10;
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? [s[Math.floor((s.length - 1) / 4)], s[Math.ceil(((s.length - 1) * 3) / 4)]]
    : [];
};

const pages = await bundlePages();
// The profiled runs load an unminified build of the same page, so the profile names
// functions. BENCH_PROFILE=ours-gzip,noop: each named variant, BENCH_PROFILE_RUNS (1) runs.
const profileNames = process.env.BENCH_PROFILE?.split(',') ?? [];
const profiledVariants = VARIANTS.filter((v) => profileNames.includes(v.name));
const profileRuns = Number(process.env.BENCH_PROFILE_RUNS ?? 1);
if (profiledVariants.length) {
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
const chromiumArgs = [
  ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
];
// Chromium is driven over raw CDP (raw-cdp.mjs), not Playwright: Playwright's DevTools
// Network domain (always on) costs every request body main-thread time no user's page
// pays, about 18 ms per 285 KB body (fetch-cost.mjs), which charged OTel's uncompressed
// exporters 12x what it charged ours. BENCH_CDP=playwright measures the old way (wire
// bytes then counted from Playwright's request events).
const raw = process.env.BENCH_CDP !== 'playwright';
const browser = raw
  ? await launchRaw(chromiumBin, chromiumArgs)
  : await chromium.launch({ executablePath: chromiumBin, args: chromiumArgs });

/** A fresh context's page at `url`: { cdp.send, evaluate, counted(), close }. */
async function openPage(url) {
  if (raw) {
    const page = await browser.newPage(url);
    for (let i = 0; !(await page.evaluate(() => typeof window.bench === 'function')); i++) {
      if (i > 200) throw new Error(`no window.bench at ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return { cdp: page, evaluate: page.evaluate, counted: () => undefined, close: page.close };
  }
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
  const cdp = await context.newCDPSession(page);
  await page.goto(url);
  await page.waitForFunction(() => typeof window.bench === 'function');
  return {
    cdp,
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    counted: () => ({ wireBytes, requests }),
    close: () => context.close(),
  };
}

/** One run of a variant in a fresh context: main-thread ms, flush ms, wire bytes, arrivals. */
async function run(variant, profile = false) {
  const page = await openPage(`${origin}/${profile ? 'dev-' : ''}${variant.page}`);
  const { cdp } = page;
  try {
    await cdp.send('Performance.enable');
    const config = { spans, taskSize, url: backend.grpcWebUrl, httpUrl: backend.httpUrl };
    if (variant.compression) config.compression = variant.compression;
    if (variant.keepaliveWhenFits !== undefined)
      config.keepaliveWhenFits = variant.keepaliveWhenFits;
    if (variant.x) config.x = variant.x;
    if (batch) config.batch = batch;
    // BENCH_WARM=1: one unmeasured run in the same page first, so the measured one runs warm
    // JIT code, as a long-lived page does after its first exports (the default measures a
    // fresh page, whose first batches are cold).
    if (warm) await page.evaluate((c) => window.bench(c), config);
    const countedBefore = page.counted();
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
    const sinkBefore = backend.sinkTotals?.();
    const result = await page.evaluate((c) => window.bench(c), config);
    // Raw CDP sees no requests: ours report bytes sent (without the 5-byte envelope
    // prefixes) in their self-metrics, the OTLP/HTTP sink counts OTel's.
    const sinkAfter = backend.sinkTotals?.();
    const counted = page.counted();
    const { wireBytes, requests } =
      (counted && {
        wireBytes: counted.wireBytes - countedBefore.wireBytes,
        requests: counted.requests - countedBefore.requests,
      }) ??
      (result.metrics
        ? { wireBytes: result.metrics.bytesSent, requests: result.metrics.exports }
        : sinkBefore
          ? {
              wireBytes: sinkAfter.bytes - sinkBefore.bytes,
              requests: sinkAfter.requests - sinkBefore.requests,
            }
          : { wireBytes: Number.NaN, requests: Number.NaN });
    const after = await read();
    const taskMs = after.task - before.task;
    const cpuMs = after.cpu - before.cpu;
    const cpuProfile = profile ? (await cdp.send('Profiler.stop')).profile : undefined;
    const arrivedAfter = backend.arrived();
    const arrived = arrivedAfter === undefined ? undefined : arrivedAfter - arrivedBefore;
    return { taskMs, cpuMs, flushMs: result.flushMs, wireBytes, requests, arrived, cpuProfile };
  } finally {
    await page.close();
  }
}

// BENCH_ONLY=ours-gzip,otel-proto runs those (and the baseline) alone.
const only = process.env.BENCH_ONLY?.split(',');
VARIANTS.splice(
  0,
  VARIANTS.length,
  ...VARIANTS.filter((v) => (only ? v.name === 'noop' || only.includes(v.name) : !v.extra)),
);
const samples = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
try {
  await run(VARIANTS[1]); // warm-up: Chromium's first page, Envoy's first connection
  for (let r = 0; r < rounds; r++) {
    // Alternate the order each round, so no variant always runs first or last.
    const order = r % 2 ? [...VARIANTS].reverse() : VARIANTS;
    for (const variant of order) samples[variant.name].push(await run(variant));
  }
  for (const profiled of profiledVariants) {
    const profiles = [];
    const times = [];
    for (let i = 0; i < profileRuns; i++) {
      const { cpuProfile, taskMs, cpuMs } = await run(profiled, true);
      profiles.push(cpuProfile);
      times.push(`${round1(taskMs)} ms task / ${round1(cpuMs)} ms CPU`);
    }
    console.log(`\nCPU profile, ${profiled.label} (${times.join(', ')}), top self time:`);
    console.log(summarizeProfile(profiles[0], 25));
    const sources = { [`dev-${profiled.page}.js`]: pages[`dev-${profiled.page}`] };
    console.log(breakdownProfile(profiles, sources, { spans, top: 30 }));
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
    (s) =>
      s.arrived !== undefined && v.page !== 'noop' && v.x?.send !== false && s.arrived !== spans,
  );
  return {
    name: v.name,
    label: v.label,
    taskMsPer1000: round1(per1000(taskMs)),
    beyondSdkPer1000: v.name === 'noop' ? 0 : round1(median(beyond)),
    cpuBeyondSdkPer1000: v.name === 'noop' ? 0 : round1(median(beyondCpu)),
    // The middle half of the rounds' paired CPU figures, to judge a difference by.
    cpuIqr: v.name === 'noop' ? '' : quartiles(beyondCpu).map(round1).join('-'),
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
const ratio = (r, key) => (proto?.[key] > 0 ? (r[key] / proto[key]).toFixed(2) : 'n/a');
console.log(
  `${'exporter'.padEnd(38)} ${'task ms'.padStart(8)} ${'x proto'.padStart(8)} ${'CPU ms'.padStart(8)} ` +
    `${'x proto'.padStart(8)} ${'CPU IQR'.padStart(11)} ${'B/span'.padStart(7)} ${'requests'.padStart(8)} ${'flush->last answer ms'.padStart(22)}`,
);
for (const r of results.filter((x) => x.name !== 'noop')) {
  console.log(
    `${r.label.padEnd(38)} ${String(r.beyondSdkPer1000).padStart(8)} ${ratio(r, 'beyondSdkPer1000').padStart(8)} ` +
      `${String(r.cpuBeyondSdkPer1000).padStart(8)} ${ratio(r, 'cpuBeyondSdkPer1000').padStart(8)} ${r.cpuIqr.padStart(11)} ` +
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
