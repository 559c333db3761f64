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
  // compression 'main-thread': gzip on the page's thread (gzipCompression), not in a Worker.
  ours: `import { gzipCompression, OTLPTraceExporter } from 'otlp-grpc-web';
install(({ url, compression, keepaliveWhenFits }) => new OTLPTraceExporter({
  url,
  compression: compression === 'main-thread' ? gzipCompression() : compression,
  ...(keepaliveWhenFits === undefined ? {} : { keepaliveWhenFits }),
}));`,
  // One knob of the transport or compression changed (variants.mjs), for the bench's
  // ours-x-* variants.
  'ours-x': `import { OTLPTraceExporter } from 'otlp-grpc-web';
import { variantCompression, variantTransport } from './variants.mjs';
install(({ url, x }) => new OTLPTraceExporter({
  url,
  transport: variantTransport(x),
  compression: variantCompression(x.compression),
  ...(x.keepaliveWhenFits === undefined ? {} : { keepaliveWhenFits: x.keepaliveWhenFits }),
}));`,
  'otel-proto': `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
install(({ httpUrl }) => new OTLPTraceExporter({ url: httpUrl + '/v1/traces' }));`,
  'otel-http': `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
install(({ httpUrl }) => new OTLPTraceExporter({ url: httpUrl + '/v1/traces' }));`,
};

/**
 * Bundles each of `sources` ({ name: module text, resolved from `resolveDir` }) as an app
 * ships it, `otlp-grpc-web` resolved through the built package's "exports"; resolves with
 * { name: javascript }. Unminified (`minify: false`) for CPU profiles that name functions.
 */
export async function bundleApps(sources, { resolveDir, minify = true }) {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-browser-app-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'otlp-grpc-web'));
    const pages = {};
    for (const [name, contents] of Object.entries(sources)) {
      const result = await build({
        stdin: { contents, resolveDir, sourcefile: `${name}.mjs` },
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

/** The benchmark pages (page.mjs plus each exporter), bundled by {@link bundleApps}. */
export function bundlePages({ minify = true } = {}) {
  const sources = Object.fromEntries(
    Object.entries(PAGE_SOURCES).map(([name, body]) => [
      name,
      `import { install } from './page.mjs';\n${body}`,
    ]),
  );
  return bundleApps(sources, { resolveDir: import.meta.dirname, minify });
}
