#!/usr/bin/env node
// Node native gRPC, end to end, as users run it: a BasicTracerProvider makes spans (10
// attributes, 2 events, 1 link; bench/span-workload.mjs) and the SDK's real
// BatchSpanProcessor hands them to the exporter, ours (OTLPTraceExporter +
// createGrpcTransport) or @opentelemetry/exporter-trace-otlp-grpc, interleaved over
// several rounds, against one backend in its own process on loopback: the real
// OpenTelemetry Collector (collector/, otlp receiver -> nop exporter), a neutral backend
// nobody here wrote, or with BENCH_BACKEND=receiver the project's receiver. A round makes
// BENCH_SPANS spans in chunks of 512 (yielding between chunks so exports overlap), then
// forceFlush; spans/s = spans / time to the end of the flush, every span counted as
// exported (a loss fails the bench). Also reports wire bytes per span.
// Budget (DESIGN.md): ours >= 1.5x the incumbent's spans/s.
// Each exporter runs in a fresh process per round (alternating ours, OTel, and a no-op
// exporter that gives the SDK's own ceiling), so none pays for another's garbage or JIT
// state. Reports the ratio of medians, the median of paired-round ratios, and each
// exporter's cost per span beyond the SDK's (1/rate - 1/ceiling).
// Options (env): BENCH_SPANS (20480), BENCH_ROUNDS (7), BENCH_BATCH (512),
// BENCH_BACKEND (collector | receiver; collector).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OTLPTraceExporter as OtelGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createGrpcTransport } from '../dist/src/node/index.js';
import { OTLPTraceExporter } from '../dist/src/web/index.js';
import { ensureCollector } from '../scripts/build-collector.mjs';
import { startCollector } from '../scripts/run-collector.mjs';
import { startReceiverProcess } from './receiver-process.mjs';
import { makeSpan, RESOURCE } from './span-workload.mjs';

const total = Number(process.env.BENCH_SPANS ?? 20480);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const batch = Number(process.env.BENCH_BATCH ?? 512);
const backend = process.env.BENCH_BACKEND ?? 'collector';

// Counts what the processor hands over and what failed, around the real exporter.
function counting(exporter) {
  const c = { exported: 0, failed: 0 };
  const inflight = new Set();
  return {
    counts: c,
    // BatchSpanProcessor.forceFlush does not wait for an export its timer started.
    settle: async () => {
      while (inflight.size > 0) await Promise.all(inflight);
    },
    exporter: {
      export(spans, done) {
        let finish;
        const p = new Promise((r) => {
          finish = r;
        });
        inflight.add(p);
        exporter.export(spans, (result) => {
          if (result.code === 0) c.exported += spans.length;
          else c.failed += spans.length;
          inflight.delete(p);
          finish();
          done(result);
        });
      },
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
      shutdown: () => exporter.shutdown(),
    },
  };
}

// The ceiling: what the SDK alone (span creation and BatchSpanProcessor) sustains when
// exporting costs nothing. 1/rate - 1/ceiling is then each exporter's cost per span.
function noopExporter() {
  return {
    export: (_spans, done) => setImmediate(() => done({ code: 0 })),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

function pipeline(exporter) {
  const wrapped = counting(exporter);
  const processor = new BatchSpanProcessor(wrapped.exporter, {
    maxExportBatchSize: batch,
    maxQueueSize: total,
    scheduledDelayMillis: 5,
    exportTimeoutMillis: 30_000,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer('bench', '1.0.0'), processor, provider, ...wrapped };
}

async function round(p, n) {
  const before = p.counts.exported;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    makeSpan(p.tracer, i);
    if (i % 512 === 511) await new Promise(setImmediate);
  }
  await p.processor.forceFlush();
  await p.settle();
  const seconds = (performance.now() - started) / 1000;
  if (p.counts.failed > 0 || p.counts.exported - before !== n) {
    throw new Error(
      `lost spans: exported ${p.counts.exported - before} of ${n}, failed ${p.counts.failed}`,
    );
  }
  return n / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One exporter in one fresh process: no JIT or GC debt from the other exporter's rounds.
async function worker(which, url) {
  // forceFlush hands every queued batch over at once; both exporters refuse more than
  // concurrencyLimit (default 30) in flight, so both get room for a whole round.
  const concurrencyLimit = Math.ceil(total / batch) + 1;
  const exporter =
    which === 'ours'
      ? new OTLPTraceExporter({
          url,
          transport: createGrpcTransport(),
          compression: 'none',
          concurrencyLimit,
        })
      : which === 'otel'
        ? new OtelGrpcExporter({ url, concurrencyLimit })
        : noopExporter();
  const p = pipeline(exporter);
  const rates = [];
  try {
    await round(p, 4096); // warm-up
    for (let i = 0; i < rounds; i++) rates.push(await round(p, total));
  } finally {
    await p.provider.shutdown();
  }
  const m = which === 'ours' ? exporter.metrics() : undefined;
  return { rates, bytesPerSpan: m ? Math.round(m.bytesSent / m.itemsSent) : undefined };
}

if (process.env.BENCH_WORKER) {
  const result = await worker(process.env.BENCH_WORKER, process.env.BENCH_URL);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

function runWorker(which, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_WORKER: which, BENCH_URL: url, BENCH_ROUNDS: '3' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)))
        : reject(new Error(`${which} worker exited ${code}`)),
    );
  });
}

if (backend !== 'collector' && backend !== 'receiver') {
  throw new Error(`BENCH_BACKEND must be collector or receiver, got ${backend}`);
}
const server =
  backend === 'collector' ? await startCollector(ensureCollector()) : await startReceiverProcess();
const rates = { ours: [], otel: [], noop: [] };
let bytesPerSpan;
try {
  // Alternating fresh processes, each measuring 3 rounds after a warm-up (its median counts).
  for (let i = 0; i < rounds; i++) {
    const o = await runWorker('ours', server.url);
    rates.ours.push(median(o.rates));
    bytesPerSpan = o.bytesPerSpan;
    rates.otel.push(median((await runWorker('otel', server.url)).rates));
    rates.noop.push(median((await runWorker('noop', server.url)).rates));
  }
} finally {
  await server.stop();
}
const backendName =
  backend === 'collector' ? 'the OpenTelemetry Collector 0.165 (nop exporter)' : 'the receiver';
const o = Math.round(median(rates.ours));
const t = Math.round(median(rates.otel));
const ceiling = Math.round(median(rates.noop));
const ratio = Math.round((o / t) * 100) / 100;
// Each ours round runs right before an OTel round: the median of the pair ratios is less
// sensitive to the machine's load drifting during the run.
const pairedRatio = Math.round(median(rates.ours.map((r, i) => r / rates.otel[i])) * 100) / 100;
// Microseconds per span the exporter adds to the SDK's own cost.
const costUs = (rate) => Math.round((1e6 / rate - 1e6 / ceiling) * 100) / 100;
const exporterCostRatio = Math.round((costUs(t) / costUs(o)) * 100) / 100;
console.log(
  `\nNode native gRPC end to end under BatchSpanProcessor, to ${backendName}: ${total} spans per round (batch ${batch}), median of ${rounds}, each round a fresh process`,
);
console.log('exporter                                         spans/s');
console.log(`ours (OTLPTraceExporter + createGrpcTransport)  ${String(o).padStart(8)}`);
console.log(`@opentelemetry/exporter-trace-otlp-grpc         ${String(t).padStart(8)}`);
console.log(`SDK alone (no-op exporter), the ceiling     ${String(ceiling).padStart(8)}`);
console.log(
  `ratio ${ratio}x (median of paired rounds ${pairedRatio}x); budget >= 1.5x: ${ratio >= 1.5 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `exporter cost per span beyond the SDK's: ours ${costUs(o)} us, otel ${costUs(t)} us (${exporterCostRatio}x)`,
);
console.log(
  JSON.stringify({
    bench: 'grpc-e2e',
    backend,
    processor: 'BatchSpanProcessor',
    spans: total,
    batch,
    rounds,
    ours: o,
    otel: t,
    ratio,
    pairedRatio,
    sdkCeiling: ceiling,
    oursCostUsPerSpan: costUs(o),
    otelCostUsPerSpan: costUs(t),
    exporterCostRatio,
    oursRates: rates.ours.map(Math.round),
    otelRates: rates.otel.map(Math.round),
    noopRates: rates.noop.map(Math.round),
    ...(bytesPerSpan === undefined ? {} : { oursWireBytesPerSpan: bytesPerSpan }),
  }),
);
