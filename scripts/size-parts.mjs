#!/usr/bin/env node
// Where the gzip bytes of a browser bundle go, by module: for each module of the trace
// exporter app (bench/size/trace-exporter.ts, or the fixture named as the argument), what
// the whole bundle's gzip size loses when that module's code is left out. gzip is not
// additive (a module's strings and shapes may already occur elsewhere), so this marginal
// cost, not the module's own gzip size, is what removing or shrinking it could save.
// Reads dist/ (run `npx tsc -p tsconfig.build.json` first); scripts/size.mjs measures the
// packed package and enforces the budgets.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(root, 'bench', 'size', process.argv[2] ?? 'trace-exporter.ts');
// Identifiers and syntax minified, whitespace kept, so each module's code stays under the
// `// path` comment esbuild puts in front of it.
const result = await build({
  entryPoints: [fixture],
  bundle: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['@opentelemetry/*'],
  alias: { 'otlp-grpc-web': join(root, 'dist', 'src', 'index.js') },
  legalComments: 'none',
  write: false,
});
const parts = result.outputFiles[0].text.split(/^\/\/ (\S+)\n/m);
const modules = [];
for (let i = 1; i < parts.length; i += 2) modules.push({ path: parts[i], code: parts[i + 1] });

const minified = async (code) => (await transform(code, { minifyWhitespace: true })).code;
const gzip = (code) => gzipSync(code, { level: 9 }).length;
const without = (left) =>
  modules
    .filter((m) => m !== left)
    .map((m) => m.code)
    .join('\n');
const total = gzip(await minified(without(undefined)));

const rows = [];
for (const m of modules) {
  rows.push({
    path: m.path.replace(/^dist\/src\//, ''),
    own: (await minified(m.code)).length,
    marginal: total - gzip(await minified(without(m))),
  });
}
rows.sort((a, b) => b.marginal - a.marginal);
console.log(`${fixture.slice(root.length + 1)}: ${total} B gzip in all`);
console.log('gzip B it costs  minified B  module');
for (const r of rows) {
  console.log(`${String(r.marginal).padStart(15)}  ${String(r.own).padStart(10)}  ${r.path}`);
}
