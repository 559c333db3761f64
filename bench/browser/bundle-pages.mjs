// The benchmark pages as an app ships them: esbuild (bundle, minify, ESM, browser
// conditions) of page.mjs plus one exporter each, `otlp-grpc-web` resolved as users
// resolve it, through the built package's "exports" (dist/, `npm run build` first).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

// strField's ASCII loop runs in the interpreter in a cold page: strings past `n` UTF-16
// units go through TextEncoder.encodeInto (native) instead (a patched encoder, bench only).
const STRING_LOOP = '    for (let i = 0; i < s.length; i++) {\n        const c = s.charCodeAt(i);';
const encodeIntoPast = (n) => ({
  file: /dist\/src\/encode\/writer\.js$/,
  from: STRING_LOOP,
  to: `    if (s.length > ${n}) {
        const r = utf8.encodeInto(s, b.subarray(pos, pos + max));
        p = pos + r.written;
        cut ||= r.read < s.length;
    }
    else ${STRING_LOOP.trimStart()}`,
});

/** Pages built from another's source with a module patched: { page: [source, patch] }. */
export const PATCHED_PAGES = {
  'ours-str0': ['ours', encodeIntoPast(0)],
  'ours-str24': ['ours', encodeIntoPast(24)],
  // encode() hands out a view of its reused buffer instead of a copy: one 512-span copy
  // fewer per request (safe here only because the Worker hand-off copies at once).
  'ours-encview': [
    'ours',
    {
      file: /dist\/src\/encode\/writer\.js$/,
      from: 'return w.buf.slice(0, w.pos);',
      to: 'return w.buf.subarray(0, w.pos);',
    },
  ],
};

/** An esbuild plugin replacing `from` by `to` in the file matching `file`. */
function patchPlugin({ file, from, to }) {
  return {
    name: 'bench-patch',
    setup(build) {
      build.onLoad({ filter: file }, async ({ path }) => {
        const text = readFileSync(path, 'utf8');
        if (!text.includes(from)) throw new Error(`bench patch: ${path} lacks the text to replace`);
        return { contents: text.replace(from, to), loader: 'js' };
      });
    },
  };
}

/**
 * Bundles each of `sources` ({ name: module text, resolved from `resolveDir` }) as an app
 * ships it, `otlp-grpc-web` resolved through the built package's "exports"; resolves with
 * { name: javascript }. Unminified (`minify: false`) for CPU profiles that name functions.
 */
export async function bundleApps(sources, { resolveDir, minify = true, patches = {} }) {
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
        plugins: patches[name] ? [patchPlugin(patches[name])] : [],
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
  const all = { ...PAGE_SOURCES };
  for (const [name, [from]] of Object.entries(PATCHED_PAGES)) all[name] = PAGE_SOURCES[from];
  const patches = Object.fromEntries(
    Object.entries(PATCHED_PAGES).map(([name, [, patch]]) => [name, patch]),
  );
  const sources = Object.fromEntries(
    Object.entries(all).map(([name, body]) => [
      name,
      `import { install } from './page.mjs';\n${body}`,
    ]),
  );
  return bundleApps(sources, { resolveDir: import.meta.dirname, minify, patches });
}
