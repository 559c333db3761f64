// The package's exports map, as edge bundlers read it: every runtime's condition is
// there, and nothing Node-only is reachable from the universal entry or the edge entry.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleDir, createBundleDir } from './bundle.js';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
let dir: BundleDir;

beforeAll(() => {
  dir = createBundleDir();
});
afterAll(() => dir?.remove());

/** Bundles `import * from specifier`; returns the input paths and the output text. */
async function bundle(specifier: string, platform: 'neutral' | 'browser') {
  const result = await esbuild.build({
    stdin: { contents: `export * from '${specifier}';`, resolveDir: dir.dir },
    bundle: true,
    format: 'esm',
    platform,
    conditions: ['workerd', 'worker'],
    // esbuild's neutral platform reads no main fields unless told, as wrangler tells it.
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    nodePaths: [resolve(dir.dir, 'node_modules')],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text };
}

describe('package.json exports', () => {
  it.each(['.', './edge'])('%s has the conditions edge runtimes and bundlers pick', (entry) => {
    const conditions = Object.keys(pkg.exports[entry]);
    const wanted = ['types', 'workerd', 'worker', 'edge-light', 'browser', 'deno', 'bun', 'node'];
    for (const c of [...wanted, 'default']) {
      expect(conditions).toContain(c);
    }
    // "types" first and "default" last, or TypeScript and bundlers skip them.
    expect(conditions[0]).toBe('types');
    expect(conditions.at(-1)).toBe('default');
  });
});

describe('no Node built-in is reachable', () => {
  it.each([
    ['otlp-grpc-web', 'neutral', 'dist/src/index.js'],
    ['otlp-grpc-web', 'browser', 'dist/src/index.js'],
    // The edge entry uses the OTel SDK, whose packages pick their browser platform code
    // through package.json "browser" maps: esbuild applies those for platform browser.
    ['otlp-grpc-web/edge', 'browser', 'dist/src/edge/index.js'],
  ] as const)(
    '%s, esbuild platform %s, conditions workerd,worker',
    async (specifier, platform, file) => {
      const { inputs, text } = await bundle(specifier, platform);
      expect(inputs).toContain(file);
      expect(
        inputs.filter((i) => i.startsWith('node:') || /(^|\/)platform\/node\//.test(i)),
      ).toEqual([]);
      expect(text).not.toMatch(/\bfrom\s*["']node:|\bimport\(\s*["']node:|require\(\s*["']node:/);
      expect(inputs.some((i) => i.includes('src/node/') || i.includes('src/receiver/'))).toBe(
        false,
      );
    },
  );
});

describe('tree-shaking', () => {
  it('keeps the metrics SDK and Node code out of a Worker that does not use them', async () => {
    const result = await esbuild.build({
      entryPoints: [resolve(import.meta.dirname, '../../examples/cloudflare-worker/src/worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      nodePaths: [resolve(dir.dir, 'node_modules')],
      minify: true,
      write: false,
      metafile: true,
      outfile: resolve(dir.dir, 'worker.js'),
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    const kept = Object.entries(output.inputs)
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([path]) => path);
    expect(kept.filter((p) => p.includes('sdk-metrics') || p.includes('edge-metrics'))).toEqual([]);
    expect(kept.filter((p) => /src\/(node|receiver|envoy|loadgen)\//.test(p))).toEqual([]);
  });
});
