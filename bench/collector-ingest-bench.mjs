#!/usr/bin/env node
// Receiver ingest against the OpenTelemetry Collector's OTLP receiver, spans/s per core of
// server CPU: the same load generator (otlp-loadgen, native gRPC, real SDK spans through
// the OTel exporters) against the project's receiver (otlp-receiver CLI) and against the
// Collector 0.165 (collector/: otlp receiver -> nop exporter, nothing stored), each in its
// own process on loopback, alternated run by run. A server's CPU time is utime + stime of
// its process (/proc/<pid>/stat) over the load run, so the load generator's own cost and
// the machine's other work do not count; spans/s per core = spans / server CPU seconds.
// Budget (DESIGN.md): the receiver >= 1x the Collector.
// CPU time comes in 10 ms ticks: 150,000 spans keep that under 2 % of a run.
// Options (env): BENCH_RUNS (5), BENCH_SPANS (150000), BENCH_BATCH (512), BENCH_CONCURRENCY (4).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ensureCollector } from '../scripts/build-collector.mjs';
import { startCollector } from '../scripts/run-collector.mjs';
import { startReceiverProcess } from './receiver-process.mjs';

const run = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const spans = Number(process.env.BENCH_SPANS ?? 150_000);
const batch = Number(process.env.BENCH_BATCH ?? 512);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
// Linux reports process CPU time in clock ticks, USER_HZ = 100 on every Linux ABI.
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid`, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** One load run against `server`: its CPU seconds and the wall time, nothing lost. */
async function load(server, compression, seed) {
  const before = cpuSeconds(server.pid());
  const started = performance.now();
  const { stdout } = await run(process.execPath, [
    'dist/src/loadgen/cli.js',
    ...['--transport', 'grpc', '--url', server.url, '--traces', String(spans)],
    ...['--batch', String(batch), '--compression', compression],
    ...['--concurrency', String(concurrency), '--seed', String(seed)],
  ]);
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid()) - before;
  const summary = JSON.parse(stdout.trim().split('\n').at(-1));
  if (summary.traces.sent !== spans) {
    throw new Error(`lost spans: ${JSON.stringify(summary.traces)}`);
  }
  return { perCore: spans / cpu, cpu, wall };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const receiver = await startReceiverProcess();
const collector = await startCollector(ensureCollector());
const results = [];
try {
  for (const compression of ['none', 'gzip']) {
    const rates = { receiver: [], collector: [] };
    // One warm-up run each, then alternated runs.
    await load(receiver, compression, 99);
    await load(collector, compression, 99);
    for (let i = 0; i < runs; i++) {
      rates.receiver.push((await load(receiver, compression, i + 1)).perCore);
      rates.collector.push((await load(collector, compression, i + 1)).perCore);
    }
    const r = Math.round(median(rates.receiver));
    const c = Math.round(median(rates.collector));
    results.push({
      compression,
      receiver: r,
      collector: c,
      ratio: Math.round((r / c) * 100) / 100,
      pairedRatio:
        Math.round(median(rates.receiver.map((x, i) => x / rates.collector[i])) * 100) / 100,
      receiverRuns: rates.receiver.map(Math.round),
      collectorRuns: rates.collector.map(Math.round),
    });
  }
} finally {
  await receiver.stop();
  await collector.stop();
}

console.log(
  `\nreceiver ingest, spans/s per core of server CPU (otlp-loadgen, native gRPC, ${spans} spans/run, batch ${batch}, concurrency ${concurrency}, median of ${runs})`,
);
console.log('compression  otlp-receiver  Collector 0.165  ratio (paired)');
for (const r of results) {
  console.log(
    `${r.compression.padEnd(12)} ${String(r.receiver).padStart(13)}  ${String(r.collector).padStart(15)}  ${r.ratio}x (${r.pairedRatio}x)`,
  );
}
const worst = Math.min(...results.map((r) => r.ratio));
console.log(`budget: receiver >= 1x the Collector per core: ${worst >= 1 ? 'MET' : 'NOT MET'}`);
console.log(
  JSON.stringify({ bench: 'collector-ingest', spans, batch, concurrency, runs, results }),
);
