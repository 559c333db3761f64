// Running Envoy: the foreground CLI, start failures that explain themselves, and no orphan
// Envoy when the Node process that started it is killed outright.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { runEnvoyCli } from '../../src/envoy/cli-main.js';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { startEnvoy } from '../../src/envoy/start-envoy.js';
import { startTestUpstream, type TestUpstream } from './envoy-upstream.js';

let envoyPath: string;
let upstream: TestUpstream;
let scratch: string;

beforeAll(async () => {
  envoyPath = await findEnvoy({ install: !process.env.CI });
  upstream = await startTestUpstream();
  scratch = await mkdtemp(join(tmpdir(), 'otlp-envoy-process-'));
});

afterAll(async () => {
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** True while something accepts HTTP on 127.0.0.1:port. */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/ready`).then(
    () => true,
    () => false,
  );
}

describe('npm run envoy (runEnvoyCli in-process)', () => {
  it('prints one listening line, bridges calls, and stops when aborted', async () => {
    const controller = new AbortController();
    const out: string[] = [];
    const err: string[] = [];
    const previous = process.env.ENVOY_BIN;
    process.env.ENVOY_BIN = envoyPath;
    const exit = runEnvoyCli(
      ['--port', '0', '--admin-port', '0', '--upstream', `127.0.0.1:${upstream.port}`],
      { stdout: (t) => out.push(t), stderr: (t) => err.push(t), signal: controller.signal },
    );
    try {
      await expect.poll(() => out.length, { timeout: 20_000 }).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.ENVOY_BIN;
      else process.env.ENVOY_BIN = previous;
    }
    const match =
      /^envoy listening on (http:\/\/127\.0\.0\.1:(\d+)) -> upstream 127\.0\.0\.1:(\d+) \(admin http:\/\/127\.0\.0\.1:(\d+)\)\n$/.exec(
        out[0]!,
      );
    expect(match, out[0]).not.toBeNull();
    expect(Number(match![3])).toBe(upstream.port);
    const client = createClient(
      TraceService,
      createGrpcWebTransport({ baseUrl: match![1]!, httpVersion: '1.1' }),
    );
    await client.export({});
    expect(upstream.calls.length).toBeGreaterThan(0);

    controller.abort();
    expect(await exit).toBe(0);
    expect(await answers(Number(match![4]))).toBe(false);
    // Envoy's own warn-level lines go to stderr; nothing worse.
    expect(err.join('')).not.toMatch(/\[(error|critical)\]/);
  });
});

/** Bundles a TypeScript entry so a plain `node` child can run it. */
async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(scratch, name);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Resolves with the child's first stdout line; rejects if it exits first. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`child exited with ${code}`)));
  });
}

describe('the envoy bin', () => {
  it('stops cleanly on Ctrl-C (SIGINT to the whole process group)', async () => {
    const cli = await bundle(resolve('src/envoy/cli.ts'), 'cli.mjs');
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--admin-port', '0', '--upstream', `127.0.0.1:${upstream.port}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, ENVOY_BIN: envoyPath },
      },
    );
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const line = await firstLine(child);
      const adminPort = Number(/admin http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
      expect(await answers(adminPort)).toBe(true);
      process.kill(-child.pid!, 'SIGINT'); // what a terminal does on Ctrl-C
      expect(await exited).toBe(0);
      expect(await answers(adminPort)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('startEnvoy', () => {
  it('explains a failed start with Envoy’s own log lines', async () => {
    const blocker = http.createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const error = await startEnvoy({ envoyPath, port, upstreams: ['127.0.0.1:4317'] }).catch(
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^\[unavailable\] envoy did not start/);
      expect((error as Error).message).toContain('envoy exited');
      expect((error as Error).message).toMatch(/address already in use|cannot bind/i);
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
  });

  it('stop() is idempotent and resolves after Envoy exited', async () => {
    const envoy = await startEnvoy({
      envoyPath,
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
    });
    expect(await answers(envoy.adminPort)).toBe(true);
    await Promise.all([envoy.stop(), envoy.stop()]);
    expect(await envoy.exited).toEqual({ code: 0, signal: null });
    expect(await answers(envoy.adminPort)).toBe(false);
  });

  it('leaves no Envoy behind when the Node process that started it is SIGKILLed', async () => {
    // A separate Node process runs startEnvoy (bundled, since it cannot load TypeScript).
    const entry = join(scratch, 'child.ts');
    await writeFile(
      entry,
      `import { startEnvoy } from ${JSON.stringify(resolve('src/envoy/start-envoy.ts'))};
const envoy = await startEnvoy({ envoyPath: process.argv[2], port: 0, upstreams: ['127.0.0.1:4317'] });
console.log(JSON.stringify({ adminPort: envoy.adminPort, configPath: envoy.configPath }));
setInterval(() => {}, 1000);
`,
    );
    const child: ChildProcess = spawn(
      process.execPath,
      [await bundle(entry, 'child.mjs'), envoyPath],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let configDir: string | undefined;
    try {
      const line = await firstLine(child);
      const { adminPort, configPath } = JSON.parse(line) as {
        adminPort: number;
        configPath: string;
      };
      configDir = dirname(configPath);
      expect(await answers(adminPort)).toBe(true);
      child.kill('SIGKILL');
      await expect.poll(() => answers(adminPort), { timeout: 10_000, interval: 100 }).toBe(false);
    } finally {
      child.kill('SIGKILL');
      // A SIGKILLed process cannot remove its temp dir; do it for it.
      if (configDir) await rm(configDir, { recursive: true, force: true });
    }
  });
});
