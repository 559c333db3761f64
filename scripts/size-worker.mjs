#!/usr/bin/env node
// `node scripts/size-worker.mjs`: the Cloudflare Worker example as wrangler would bundle it
// (esbuild, conditions workerd/worker/browser, minified), its gzip size, and where the
// bytes go, per package. Builds dist/ first so `otlp-grpc-web/edge` resolves to this
// checkout through package.json "exports". Last line: JSON.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const entry = 'examples/cloudflare-worker/src/worker.ts';
if (!process.argv.includes('--no-build')) {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
const dir = mkdtempSync(join(tmpdir(), 'otlp-size-worker-'));
try {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'otlp-grpc-web'));
  const result = await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    nodePaths: [join(dir, 'node_modules')],
    minify: true,
    write: false,
    metafile: true,
    outfile: join(dir, 'worker.js'),
    logLevel: 'warning',
  });
  const bytes = result.outputFiles[0].contents;
  const byPart = {};
  for (const [path, info] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const part = path.includes('node_modules/')
      ? path.split('node_modules/').pop().split('/').slice(0, 2).join('/')
      : path.split('/').slice(0, 3).join('/');
    byPart[part] = (byPart[part] ?? 0) + info.bytesInOutput;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${entry}: ${kb(bytes.length)} minified, ${kb(gzipSync(bytes).length)} min+gzip`);
  for (const [part, n] of Object.entries(byPart).sort((a, b) => b[1] - a[1])) {
    if (n > 0) console.log(`  ${part.padEnd(40)} ${kb(n).padStart(9)} minified`);
  }
  console.log(
    JSON.stringify({ entry, minified: bytes.length, gzip: gzipSync(bytes).length, parts: byPart }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
