#!/usr/bin/env node
// Browser bundle sizes, side by side with the incumbents: esbuild (bundle, minify, ESM,
// platform browser, tree shaking) of the fixture apps in bench/size/, gzip -9. The
// OpenTelemetry SDK packages are external in every fixture: they are the app's, not the
// exporter's. Exits 1 when a budget (DESIGN.md) is exceeded. `--top N` lists the N
// biggest inputs of each of our bundles (minified bytes, from the esbuild metafile).
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const topArg = process.argv.indexOf('--top');
const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 12;
const KB = 1024;

// The SDK itself (and the API): what an app has anyway, whichever exporter it picks.
const external = [
  '@opentelemetry/api',
  '@opentelemetry/api-logs',
  '@opentelemetry/core',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/sdk-logs',
];

const fixtures = [
  {
    name: 'ours: trace exporter, gRPC-web, retry, gzip',
    file: 'trace-exporter.ts',
    // 7 KB until reading compressed responses (issue 12: the Collector answers gzip in gzip;
    // DecompressionStream, the 4 MiB response cap, the unread-response count) added ~510 B.
    // 7.5 KB until issue 16 added ~180 B: OtlpError's httpStatus, attempts, retryDelayMs and
    // endpoint (~85 B), the exporters' runtime defaults injected by the entry (src/otel
    // runtime-neutral), the fetch transport naming otlp-grpc-web/node for an HTTP/2-only
    // server, one resend per encoding, userAgent in front of ours (OTel's way). The option
    // and URL checks stay out of the browser exporters.
    budget: 7.7 * KB,
    ours: true,
  },
  {
    name: 'ours: trace + metric + log exporters',
    file: 'all-exporters.ts',
    budget: 11 * KB,
    ours: true,
  },
  { name: 'OTel exporter-trace-otlp-proto', file: 'otel-proto-exporter.ts' },
  { name: 'connect-web createClient(TraceService)', file: 'connect-web-client.ts' },
];

async function measure(fixture) {
  const result = await build({
    entryPoints: [join(root, 'bench', 'size', fixture.file)],
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    metafile: true,
    outdir: join(root, 'node_modules', '.cache', 'otlp-grpc-web-size'),
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .map(([path, info]) => ({ path: relative(root, join(root, path)), bytes: info.bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { ...fixture, min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

const results = [];
for (const fixture of fixtures) results.push(await measure(fixture));

const kb = (n) => `${(n / KB).toFixed(2)} KB`;
console.log(
  '\nbrowser bundle sizes (esbuild minify, ESM, OTel SDK external; gzip -9; KB = 1024 bytes)',
);
console.log(`${'bundle'.padEnd(46)} ${'minified'.padStart(11)} ${'gzip'.padStart(10)}  budget`);
let failed = false;
for (const r of results) {
  const over = r.budget !== undefined && r.gzip > r.budget;
  failed ||= over;
  const budget = r.budget === undefined ? '' : `<= ${kb(r.budget)} ${over ? 'OVER' : 'ok'}`;
  console.log(
    `${r.name.padEnd(46)} ${kb(r.min).padStart(11)} ${kb(r.gzip).padStart(10)}  ${budget}`,
  );
}
for (const r of results.filter((x) => x.ours)) {
  console.log(`\ntop contributors, ${r.name} (minified bytes before gzip):`);
  for (const i of r.inputs.slice(0, top)) console.log(`${String(i.bytes).padStart(7)}  ${i.path}`);
}
console.log(
  JSON.stringify({
    bench: 'bundle-size',
    results: results.map(({ name, min, gzip, budget }) => ({ name, min, gzip, budget })),
  }),
);
process.exitCode = failed ? 1 : 0;
