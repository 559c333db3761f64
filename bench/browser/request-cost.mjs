#!/usr/bin/env node
// `node bench/browser/request-cost.mjs` (after `npx tsc -p tsconfig.build.json`): the
// main-thread CPU of one export request's steps in Chromium, apart from the encoder, so
// chromium-bench's per-request cost can be split: a plain fetch of the same bytes, this
// package's gRPC-web transport (headers, deadline, keepalive, capped response read,
// interpret), compression in the Worker and on the main thread (Response vs writer/reader),
// and the Worker plus the transport together. One real 512-span request (encoded by the
// exporter in the page), through Envoy to the receiver as in chromium-bench; raw CDP.
import { createServer } from 'node:http';
import { startBackend } from './backends.mjs';
import { bundleApps } from './bundle-pages.mjs';
import { launchRaw } from './raw-cdp.mjs';

const chromiumBin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const count = Number(process.env.REQ_COUNT ?? 30);
const rounds = Number(process.env.REQ_ROUNDS ?? 5);
const PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const source = `
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createGrpcWebTransport, gzipCompression, OTLPTraceExporter, pickCompression } from 'otlp-grpc-web';
import { encodeEnvelope } from '../../dist/src/protocol/envelope.js';
import { variantCompression, variantTransport } from './variants.mjs';

const spans = [];
const provider = new BasicTracerProvider({ spanProcessors: [{
  onStart() {}, onEnd: (s) => spans.push(s), forceFlush: async () => {}, shutdown: async () => {},
}] });
const tracer = provider.getTracer('request-cost', '1.0.0');
for (let i = 0; i < 512; i++) {
  const span = tracer.startSpan('GET /api/orders/{id}', { attributes: {
    'http.request.method': 'GET', 'url.full': 'https://shop.example.com/api/orders/' + (1000 + i),
    'url.path': '/api/orders/' + (1000 + i), 'http.route': '/api/orders/{id}',
    'http.response.status_code': i % 17 === 0 ? 500 : 200, 'server.address': 'shop.example.com',
    'server.port': 443, 'user_agent.original': navigator.userAgent,
    'http.response_content_length': 1000 + (i % 500), 'session.id': 's-' + (i % 64) } });
  span.addEvent('fetchStart', { 'cache.hit': i % 3 === 0 });
  span.end();
}
let raw;
const capture = { name: 'capture', send: async (r) => { raw = r.body; return { code: 0, message: '' }; }, close: async () => {} };
await new Promise((done) => new OTLPTraceExporter({ url: 'http://x', transport: capture, compression: 'none' }).export(spans, done));
const gz = await gzipCompression().compress(raw);
const transport = createGrpcWebTransport();
const worker = pickCompression('gzip');
const mainResponse = variantCompression('main-response');
const mainWriter = gzipCompression();
const nextTask = () => new Promise((r) => setTimeout(r, 0));
const request = (url, body, encoding, keepalive) =>
  ({ url, path: '${PATH}', body, encoding, headers: {}, timeoutMs: 10000, keepalive });
const STEPS = {
  'nothing (the setTimeout task alone)': async () => {},
  'fetch, gzip body (plain)': async (url) => {
    const r = await fetch(url + '${PATH}', { method: 'POST', body: encodeEnvelope(1, gz),
      headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'grpc-encoding': 'gzip' } });
    await r.arrayBuffer();
  },
  'transport.send, gzip body, keepalive': async (url) => check(await transport.send(request(url, gz, 'gzip', true))),
  'transport.send, gzip body': async (url) => check(await transport.send(request(url, gz, 'gzip', false))),
  'transport.send, identity body': async (url) => check(await transport.send(request(url, raw, 'identity', false))),
  'Worker gzip (compress only)': async () => { await worker.compress(raw); },
  'main-thread gzip, Response()': async () => { await mainResponse.compress(raw); },
  'main-thread gzip, writer/reader': async () => { await mainWriter.compress(raw); },
  'Worker gzip + transport.send, keepalive': async (url) =>
    check(await transport.send(request(url, await worker.compress(raw), 'gzip', true))),
};
// One knob each (variants.mjs): how the response is read, the deadline signal, how bytes
// reach the Worker.
const knobs = {
  'x transport: as src (body reader)': variantTransport({}),
  'x transport: TransformStream + Response (before 2026-12-03)': variantTransport({ read: 'piped' }),
  'x transport: response.arrayBuffer()': variantTransport({ read: 'arrayBuffer' }),
  'x transport: body getReader()': variantTransport({ read: 'reader' }),
  'x transport: no AbortSignal.timeout': variantTransport({ deadline: false }),
  'x transport: AbortController + setTimeout': variantTransport({ deadline: 'controller' }),
};
for (const [name, t] of Object.entries(knobs))
  STEPS[name + ', gzip, keepalive'] = async (url) => check(await t.send(request(url, gz, 'gzip', true)));
for (const send of ['copy', 'transfer', 'clone']) {
  const c = variantCompression('worker-' + send);
  // transfer detaches what it is given: a fresh copy each time, made before the step is timed? No:
  // within it, as the encoder would hand over a fresh buffer; the copy is charged to every variant.
  STEPS['x Worker (minimal), ' + send + ' (+ a copy for all)'] = async () => { await c.compress(raw.slice()); };
}
const check = (result) => { if (result.code) throw new Error(result.code + ' ' + result.message); };
window.steps = Object.keys(STEPS);
window.sizes = { raw: raw.length, gz: gz.length };
window.step = async ({ name, n, url }) => {
  for (let i = 0; i < n; i++) { await nextTask(); await STEPS[name](url); }
};
`;

const { page: js } = await bundleApps({ page: source }, { resolveDir: import.meta.dirname });
const server = createServer((req, res) => {
  if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><script type="module" src="/page.js"></script>');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const backend = await startBackend(origin);
const browser = await launchRaw(chromiumBin, [
  ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  '--disable-background-networking',
]);
try {
  const page = await browser.newPage(origin);
  for (let i = 0; !(await page.evaluate(() => typeof window.step === 'function')); i++) {
    if (i > 400) throw new Error('page did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  await page.send('Performance.enable');
  const steps = await page.evaluate(() => window.steps);
  const sizes = await page.evaluate(() => window.sizes);
  const metrics = async () => {
    const { metrics: m } = await page.send('Performance.getMetrics');
    const v = (name) => m.find((x) => x.name === name).value * 1000;
    return { task: v('TaskDuration'), cpu: v('ThreadTime') };
  };
  const samples = Object.fromEntries(steps.map((s) => [s, []]));
  // A warm-up pass, then `rounds` passes over all steps (alternating order).
  for (let r = 0; r <= rounds; r++) {
    for (const name of r % 2 ? [...steps].reverse() : steps) {
      const before = await metrics();
      await page.evaluate((a) => window.step(a), { name, n: count, url: backend.grpcWebUrl });
      const after = await metrics();
      if (r)
        samples[name].push({
          cpu: (after.cpu - before.cpu) / count,
          task: (after.task - before.task) / count,
        });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    `main-thread cost per request step, 512 spans (${sizes.raw} B, gzip ${sizes.gz} B), ` +
      `${count} per pass, median of ${rounds} passes (includes one setTimeout task per step)`,
  );
  for (const name of steps) {
    const cpu = median(samples[name].map((s) => s.cpu));
    const task = median(samples[name].map((s) => s.task));
    console.log(
      `${name.padEnd(42)} CPU ${cpu.toFixed(3).padStart(7)} ms   task ${task.toFixed(3).padStart(7)} ms`,
    );
  }
} finally {
  await browser.close();
  await backend.close();
  server.close();
}
