// The benchmark pages as an app ships them: esbuild (bundle, minify, ESM, browser
// conditions) of page.mjs plus one exporter each, `otlp-grpc-web` resolved as users
// resolve it, through the built package's "exports" (dist/, `npm run build` first).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..', '..');

/** Each page's exporter factory, given { url, httpUrl, compression } by the driver. */
export const PAGE_SOURCES = {
  noop: `install(() => ({ export: (spans, done) => done({ code: 0 }), forceFlush: async () => {}, shutdown: async () => {} }));`,
  ours: `import { OTLPTraceExporter } from 'otlp-grpc-web';
install(({ url, compression }) => new OTLPTraceExporter({ url, compression }));`,
  'otel-proto': `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
install(({ httpUrl }) => new OTLPTraceExporter({ url: httpUrl + '/v1/traces' }));`,
  'otel-http': `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
install(({ httpUrl }) => new OTLPTraceExporter({ url: httpUrl + '/v1/traces' }));`,
};

/**
 * Bundles every page; resolves with { name: javascript }. Unminified (`minify: false`) for
 * CPU profiles that name functions.
 */
export async function bundlePages({ minify = true, sources = PAGE_SOURCES } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-browser-bench-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'otlp-grpc-web'));
    const pages = {};
    for (const [name, body] of Object.entries(sources)) {
      const result = await build({
        stdin: {
          contents: `import { install } from './page.mjs';\n${body}`,
          resolveDir: import.meta.dirname,
          sourcefile: `page-${name}.mjs`,
        },
        bundle: true,
        minify,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        nodePaths: [join(dir, 'node_modules')],
        write: false,
        logLevel: 'error',
      });
      pages[name] = result.outputFiles[0].text;
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
