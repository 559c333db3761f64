#!/usr/bin/env node
// Node native gRPC, end to end: the same real ReadableSpans exported by our OTLPTraceExporter
// (createGrpcTransport) and by @opentelemetry/exporter-trace-otlp-grpc, interleaved over
// several rounds, against one receiver running in its own process on loopback.
// Budget (DESIGN.md): ours >= 1.5x the incumbent's spans/s.
// Options (env): BENCH_BATCHES (40), BENCH_BATCH (512), BENCH_ROUNDS (5), BENCH_CONCURRENCY (4).
import { spawn } from 'node:child_process';
import { OTLPTraceExporter as OtelGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createGrpcTransport } from '../dist/src/node/index.js';
import { OTLPTraceExporter } from '../dist/src/otel/index.js';

const batches = Number(process.env.BENCH_BATCHES ?? 40);
const batchSize = Number(process.env.BENCH_BATCH ?? 512);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

function makeSpans(n) {
  const spans = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench', 'service.version': '1.0.0' }),
    spanProcessors: [
      {
        onStart() {},
        onEnd: (s) => spans.push(s),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const tracer = provider.getTracer('bench', '1.0.0');
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan(`GET /api/items/${i % 50}`, {
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/items/{id}',
        'http.response.status_code': 200,
        'url.path': `/api/items/${i}`,
      },
    });
    span.addEvent('cache.miss', { 'cache.key': `k${i}` });
    span.end();
  }
  return spans;
}

async function startReceiver() {
  const child = spawn(
    process.execPath,
    [
      'dist/src/receiver/cli.js',
      '--port',
      '0',
      '--summary-interval-ms',
      '0',
      '--max-stored-items',
      '1000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

async function run(exporter, work) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < work.length) {
      const batch = work[next++];
      const result = await new Promise((resolve) => exporter.export(batch, resolve));
      if (result.code !== 0) throw new Error(`export failed: ${result.error?.message}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (work.length * batchSize) / ((performance.now() - started) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spans = makeSpans(batchSize);
const work = Array.from({ length: batches }, () => spans);
const receiver = await startReceiver();
const ours = new OTLPTraceExporter({
  url: receiver.url,
  transport: createGrpcTransport(),
  compression: 'none',
});
const otel = new OtelGrpcExporter({ url: receiver.url });
const rates = { ours: [], otel: [] };
try {
  await run(ours, work.slice(0, 4));
  await run(otel, work.slice(0, 4));
  for (let i = 0; i < rounds; i++) {
    rates.ours.push(await run(ours, work));
    rates.otel.push(await run(otel, work));
  }
} finally {
  await ours.shutdown();
  await otel.shutdown();
  await receiver.stop();
}
const o = Math.round(median(rates.ours));
const t = Math.round(median(rates.otel));
const ratio = Math.round((o / t) * 100) / 100;
console.log(
  `\nNode native gRPC end to end: ${batches} x ${batchSize} spans per round, concurrency ${concurrency}, median of ${rounds}`,
);
console.log(`exporter                                   spans/s`);
console.log(`ours (OTLPTraceExporter + createGrpcTransport)  ${String(o).padStart(8)}`);
console.log(`@opentelemetry/exporter-trace-otlp-grpc         ${String(t).padStart(8)}`);
console.log(`ratio ${ratio}x; budget >= 1.5x: ${ratio >= 1.5 ? 'MET' : 'NOT MET'}`);
console.log(
  JSON.stringify({
    bench: 'grpc-e2e',
    batches,
    batchSize,
    rounds,
    concurrency,
    ours: o,
    otel: t,
    ratio,
  }),
);
