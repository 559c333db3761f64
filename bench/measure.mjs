// Helpers shared by the in-process benchmarks: --expose-gc, compiling this repo's
// TypeScript sources for them, and timing.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Re-runs the calling script (`import.meta.url`) under --expose-gc unless it already has
 * gc, and exits with it: cold measurements force a GC before each call.
 */
export function requireGc(scriptUrl) {
  if (typeof globalThis.gc === 'function') return;
  execFileSync(process.execPath, ['--expose-gc', fileURLToPath(scriptUrl)], { stdio: 'inherit' });
  process.exit(0);
}

/**
 * Compiles `source` (ES module text importing ./src and ./gen TypeScript files by their
 * repository paths) with esbuild into node_modules/.cache and imports it, so benchmarks
 * measure the sources, not a stale dist/.
 */
export async function importSources(name, source) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outfile = join(root, 'node_modules', '.cache', 'otlp-grpc-web-bench', `${name}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  const { build } = await import('esbuild');
  await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Steady state: each candidate runs `iterations` calls per round, interleaved with the
 * others, over `rounds` rounds after two unrecorded warm-up rounds; returns the median
 * ms per call and heap bytes allocated per call, by candidate.
 */
export function steady(candidates, rounds, iterations) {
  const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  const heap = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let r = 0; r < rounds + 2; r++) {
    for (const [name, fn] of Object.entries(candidates)) {
      globalThis.gc();
      const before = process.memoryUsage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
      const after = process.memoryUsage();
      if (r < 2) continue;
      times[name].push(ms);
      heap[name].push(
        (after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers) / iterations,
      );
    }
  }
  return Object.fromEntries(
    Object.keys(candidates).map((k) => [k, { ms: median(times[k]), heap: median(heap[k]) }]),
  );
}

/**
 * Cold: a full GC before every single call (what an exporter sees when batches are
 * minutes apart and the heap has moved on), interleaved; median ms per call.
 */
export function cold(candidates, calls) {
  const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let i = 0; i < calls; i++) {
    for (const [name, fn] of Object.entries(candidates)) {
      globalThis.gc();
      const t0 = process.hrtime.bigint();
      fn();
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return Object.fromEntries(Object.keys(candidates).map((k) => [k, median(times[k])]));
}

export const round3 = (x) => Math.round(x * 1000) / 1000;
export const ratio = (a, b) => Math.round((a / b) * 100) / 100;
