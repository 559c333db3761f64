// Bundles example code the way each runtime's bundler would (esbuild, the runtime's export
// conditions), resolving `otlp-grpc-web/*` through this package's own "exports" map and
// built dist/, as an installed copy would resolve.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** Export conditions per runtime, as their bundlers (wrangler, deno, bun, Vercel) pick them. */
export const CONDITIONS = {
  workerd: ['workerd', 'worker', 'browser'],
  deno: ['deno', 'worker', 'browser'],
  bun: ['bun', 'worker', 'browser'],
  'edge-runtime': ['edge-light', 'worker', 'browser'],
} as const;

export type RuntimeName = keyof typeof CONDITIONS;

/** A temp dir for bundles; `remove()` deletes it. */
export interface BundleDir {
  dir: string;
  /** Bundles `entry` (repo-relative) for `runtime` into the dir; returns the file's path. */
  bundle(entry: string, runtime: RuntimeName, options?: BundleOptions): Promise<string>;
  remove(): void;
}

export interface BundleOptions {
  /** esbuild `define`, e.g. an inlined process.env for Vercel's edge runtime. @default {} */
  define?: Record<string, string>;
  /** @default false */
  minify?: boolean;
}

/** Creates a bundle dir with a `node_modules/otlp-grpc-web` link to this repository. */
export function createBundleDir(): BundleDir {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-edge-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  symlinkSync(ROOT, join(modules, 'otlp-grpc-web'));
  let n = 0;
  return {
    dir,
    async bundle(entry, runtime, options = {}) {
      const outfile = join(dir, `${runtime}-${n++}.mjs`);
      await esbuild.build({
        entryPoints: [join(ROOT, entry)],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: [...CONDITIONS[runtime]],
        nodePaths: [modules],
        define: options.define ?? {},
        minify: options.minify ?? false,
        logLevel: 'silent',
      });
      return outfile;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
