import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack` of the built package, installed into an empty
// app with exactly the README's install lines (from the npm registry), each entry used from
// ES modules and CommonJS. One pack and one app for all checks; the lines are installed one
// after another, so each entry is first tried with only the lines before its own.

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const installSection = readme.split('## Install')[1]!.split('\n## ')[0]!;
/** The README's install lines, by the entry named in their comment. */
const lines = [...installSection.matchAll(/^npm i (.+?)\s+# (.+)$/gm)].map((m) => ({
  packages: m[1]!.split(/\s+/),
  comment: m[2]!,
}));
const lineFor = (entry: string) => {
  const line = lines.find((l) => l.comment.includes(`\`${entry}\``));
  if (!line) throw new Error(`README's install section has no line for ${entry}`);
  return line;
};

let dir: string;
let tarball: string;
let files: string[];

async function npm(args: string[], cwd: string) {
  return run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Installs the README line of `entry`, with the packed tarball for `otlp-grpc-web`. */
async function install(entry: string) {
  const packages = lineFor(entry).packages.map((p) => (p === 'otlp-grpc-web' ? tarball : p));
  await npm(['install', ...packages], join(dir, 'app'));
}

/** Runs a script in the app (ESM .mjs or CommonJS .cjs); its stdout. */
async function script(name: string, source: string): Promise<string> {
  const file = join(dir, 'app', name);
  writeFileSync(file, source);
  const { stdout } = await run(process.execPath, [file], {
    cwd: join(dir, 'app'),
    timeout: 30_000,
  });
  return stdout.trim();
}

async function fails(name: string, source: string): Promise<string> {
  try {
    await script(name, source);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`${name} ran, but was expected to fail`);
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  }
  dir = mkdtempSync(join(tmpdir(), 'otlp-grpc-web-pack-'));
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], root);
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, packed!.filename);
  files = packed!.files.map((f) => f.path);
  writeFileSync(join(dir, 'package.json'), '{}');
  const app = join(dir, 'app');
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  await install('otlp-grpc-web');
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships what the entries need and nothing else', () => {
    for (const needed of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/src/index.js']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/demo/'))).toEqual([]);
    expect(files.filter((f) => /^gen\/.*\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/test/') || f.startsWith('src/'))).toEqual([]);
  });

  it('gives a browser app no Node-only dependency: connect is not installed', () => {
    const modules = join(dir, 'app', 'node_modules');
    expect(existsSync(join(modules, 'otlp-grpc-web', 'package.json'))).toBe(true);
    expect(existsSync(join(modules, '@connectrpc'))).toBe(false);
  });

  it('otlp-grpc-web, otlp-grpc-web/node and otlp-grpc-web/extend work with the first line, from ESM and CommonJS', async () => {
    const esm = await script(
      'root.mjs',
      `import { OTLPTraceExporter, readOtlpEnv, gzipCompression } from 'otlp-grpc-web';
import * as node from 'otlp-grpc-web/node';
const web = new OTLPTraceExporter({ url: 'http://127.0.0.1:9' });
await web.shutdown();
const native = new node.OTLPTraceExporter({ env: {} });
await native.shutdown();
const { createExportCore, createDefaultClock } = await import('otlp-grpc-web/extend');
const sent = [];
const core = createExportCore({
  codec: { signal: 'traces', path: '/x', decodeResponse: () => ({ rejected: 0, message: '' }) },
  transport: { name: 'fake', send: async (r) => (sent.push(r), { code: 0, message: '' }), close: async () => {} },
  endpoints: ['http://collector:4317'],
  runtime: createDefaultClock(),
});
const [outcome] = await core.export([{ bytes: new Uint8Array([1]), count: 1 }]);
console.log(typeof readOtlpEnv, typeof gzipCompression, typeof node.createGrpcTransport, outcome.ok, sent.length);`,
    );
    expect(esm).toBe('function function function true 1');
    const cjs = await script(
      'root.cjs',
      `const { OTLPLogExporter } = require('otlp-grpc-web');
const { OTLPMetricExporter } = require('otlp-grpc-web/node');
const logs = new OTLPLogExporter({ url: 'http://127.0.0.1:9' });
const metrics = new OTLPMetricExporter({ env: {} });
Promise.all([logs.shutdown(), metrics.shutdown()]).then(() => console.log('ok'));`,
    );
    expect(cjs).toBe('ok');
  });

  it('otlp-grpc-web/edge needs its own line, and works with it', async () => {
    const source = `import { createEdgeExporters } from 'otlp-grpc-web/edge';
const { traces, logs } = createEdgeExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
await Promise.all([traces.shutdown(), logs.shutdown()]);
console.log('ok');`;
    expect(await fails('edge-before.mjs', source)).toMatch(/ERR_MODULE_NOT_FOUND.*@opentelemetry/s);
    await install('otlp-grpc-web/edge');
    expect(await script('edge.mjs', source)).toBe('ok');
  }, 180_000);

  it('otlp-grpc-web/receiver and its CLI need their own line, and work with it', async () => {
    const source = `const { startReceiver } = require('otlp-grpc-web/receiver');
startReceiver({ port: 0, host: '127.0.0.1' }).then(async (receiver) => {
  console.log(receiver.url.startsWith('http://127.0.0.1:'));
  await receiver.close();
});`;
    expect(await fails('receiver-before.cjs', source)).toMatch(/@connectrpc/);
    await install('otlp-grpc-web/receiver');
    expect(await script('receiver.cjs', source)).toBe('true');
    const bin = join(dir, 'app', 'node_modules', '.bin', 'otlp-receiver');
    const { stdout } = await run(bin, ['--help'], { timeout: 30_000 });
    expect(stdout).toContain('--port');
  }, 180_000);
});
