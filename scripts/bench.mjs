#!/usr/bin/env node
// `npm run bench`: items/s of the load generator against the receiver on loopback, per
// transport and compression, median of several runs. The receiver runs in this process;
// each load run is a separate `otlp-loadgen` process, as a user would run it.
// Options (env): BENCH_RUNS (default 5), BENCH_SPANS (default 50000), BENCH_BATCH (512),
// BENCH_CONCURRENCY (4).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startReceiver } from '../dist/src/receiver/index.js';

const run = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const spans = Number(process.env.BENCH_SPANS ?? 50_000);
const batch = Number(process.env.BENCH_BATCH ?? 512);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const receiver = await startReceiver({ port: 0, maxStoredItems: 1000 });
const results = [];
try {
  for (const transport of ['grpc', 'grpc-web']) {
    for (const compression of ['none', 'gzip']) {
      const rates = [];
      let wire = 0;
      let raw = 0;
      for (let i = 0; i < runs; i++) {
        const { stdout } = await run(process.execPath, [
          'dist/src/loadgen/cli.js',
          ...['--transport', transport, '--url', receiver.url, '--traces', String(spans)],
          ...['--batch', String(batch), '--compression', compression],
          ...['--concurrency', String(concurrency), '--seed', String(i + 1)],
        ]);
        const summary = JSON.parse(stdout.trim().split('\n').at(-1));
        rates.push(summary.itemsPerSecond);
        wire = summary.bytesSent;
        raw = summary.bytesUncompressed;
      }
      results.push({
        transport,
        compression,
        spansPerSecond: median(rates),
        min: Math.min(...rates),
        max: Math.max(...rates),
        wireBytesPerSpan: Math.round((wire / spans) * 10) / 10,
        compressionRatio: Math.round((raw / wire) * 100) / 100,
      });
    }
  }
} finally {
  await receiver.close();
}

console.log(
  `\nloopback export throughput: ${spans} spans/run, batch ${batch}, concurrency ${concurrency}, median of ${runs}`,
);
console.log('transport  compression  spans/s (median)  [min..max]          wire B/span  ratio');
for (const r of results) {
  console.log(
    `${r.transport.padEnd(10)} ${r.compression.padEnd(12)} ${String(r.spansPerSecond).padStart(16)}  ` +
      `[${r.min}..${r.max}]`.padEnd(20) +
      `${String(r.wireBytesPerSpan).padStart(11)}  ${r.compressionRatio}`,
  );
}
console.log(
  JSON.stringify({ bench: 'loadgen-throughput', runs, spans, batch, concurrency, results }),
);
