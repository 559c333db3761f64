import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { QueryService } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { type CliIo, runCli, type StopSignal } from '../../src/receiver/cli/main.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import { connectSession, EXPORT_PATHS, rawRequest } from '../helpers/raw-http2.js';

/** An in-process stand-in for the process: captured output, a signal emitter, manual timers. */
function fakeIo() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const signals = new EventEmitter();
  const timers = new Set<() => void>();
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    onSignal(handler) {
      signals.on('signal', handler);
      return () => signals.off('signal', handler);
    },
    readFile: (path) => readFileSync(path),
    every(_ms, fn) {
      timers.add(fn);
      return () => timers.delete(fn);
    },
  };
  return {
    io,
    stdout,
    stderr,
    signal: (s: StopSignal) => signals.emit('signal', s),
    tick: () => {
      for (const fn of timers) fn();
    },
    timerCount: () => timers.size,
  };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts runCli, waits for the listening line, and stops it after the test if still running. */
async function launch(argv: string[]) {
  const fake = fakeIo();
  const exit = runCli(argv, fake.io);
  let done = false;
  void exit.then(() => {
    done = true;
  });
  cleanups.push(async () => {
    if (!done) {
      fake.signal('SIGTERM');
      await exit;
    }
  });
  while (fake.stdout.length === 0 && !done) await new Promise((r) => setTimeout(r, 5));
  const match = /^otlp-receiver listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(
    fake.stdout[0] ?? '',
  );
  if (match === null)
    throw new Error(`no listening line: ${fake.stdout.join('\n')} ${fake.stderr.join('\n')}`);
  return { ...fake, exit, url: match[1]!, port: Number(match[2]) };
}

function tracesClient(url: string) {
  const sessionManager = new Http2SessionManager(url);
  cleanups.push(() => sessionManager.abort());
  return createClient(TraceService, createGrpcTransport({ baseUrl: url, sessionManager }));
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-receiver-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('usage', () => {
  it('prints help listing every flag, exit 0', async () => {
    const fake = fakeIo();
    expect(await runCli(['--help'], fake.io)).toBe(0);
    const help = fake.stdout.join('\n');
    for (const flag of [
      '--host',
      '--port',
      '--tls-cert',
      '--tls-key',
      '--client-ca',
      '--cors-origin',
      '--api-key',
      '--bearer-token',
      '--max-message-bytes',
      '--max-inflight',
      '--retry-delay-ms',
      '--export-delay-ms',
      '--jsonl',
      '--max-stored-items',
      '--max-stored-bytes',
      '--max-buffered-bytes',
      '--max-connections',
      '--headers-timeout-ms',
      '--body-timeout-ms',
      '--idle-timeout-ms',
      '--response-compression',
      '--summary-interval-ms',
      '--log-level',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--port'], /--port needs a value/],
    [['--port', '--host', 'x'], /--port needs a value/],
    [['--port', 'abc'], /--port must be an integer from 0 to 65535, got "abc"/],
    [['--port', '70000'], /--port must be an integer/],
    [['--port=-1'], /--port must be an integer/],
    [['--max-message-bytes', '0'], /--max-message-bytes must be an integer from 1/],
    [['--log-level', 'loud'], /--log-level must be one of error, warn, info, debug/],
    [['--response-compression', 'yes'], /--response-compression must be on or off, got "yes"/],
    [['--max-connections', '0'], /--max-connections must be an integer from 1/],
    [
      ['--body-timeout-ms', '3000000000'],
      /--body-timeout-ms must be an integer from 1 to 2147483647/,
    ],
    [['--help=yes'], /--help does not take a value/],
    [['serve'], /unexpected argument serve/],
    [['--tls-cert', 'a.pem'], /--tls-cert and --tls-key must be given together/],
    [['--client-ca', 'ca.pem'], /--client-ca needs --tls-cert/],
    [
      ['--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem'],
      /--tls-cert: cannot read \/nonexistent\/c\.pem/,
    ],
  ])('rejects %j with a message naming the flag, exit 2', async (argv, message) => {
    const fake = fakeIo();
    expect(await runCli(argv, fake.io)).toBe(2);
    expect(fake.stderr[0]).toMatch(message);
    expect(fake.stdout).toEqual([]);
  });

  it('exits 1 with the reason when the port is taken', async () => {
    const first = await launch(['--port', '0', '--log-level', 'error']);
    const fake = fakeIo();
    expect(await runCli(['--port', String(first.port)], fake.io)).toBe(1);
    expect(fake.stderr.join('\n')).toMatch(/cannot start: .*EADDRINUSE/);
  });
});

describe('running', () => {
  it('prints the listening line once, summaries only on change, and stops on SIGTERM', async () => {
    const jsonl = join(tempDir(), 'out.jsonl');
    const run = await launch([
      '--port',
      '0',
      '--jsonl',
      jsonl,
      '--summary-interval-ms',
      '1000',
      '--log-level',
      'warn',
    ]);
    expect(run.stdout).toHaveLength(1);

    run.tick();
    expect(run.stdout).toHaveLength(1); // nothing received yet: no summary

    await tracesClient(run.url).export(traceRequest(2, { name: 'cli' }));
    run.tick();
    expect(run.stdout).toHaveLength(2);
    run.tick();
    expect(run.stdout).toHaveLength(2); // unchanged: quiet

    run.signal('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.timerCount()).toBe(0);
    expect(readFileSync(jsonl, 'utf8')).toContain('cli-1');
    expect(await portOpen(run.port)).toBe(false);
    expect(run.stdout.filter((l) => l.startsWith('otlp-receiver listening on'))).toHaveLength(1);
    expect(run.stderr).toEqual([]);
  });

  it.each([
    [[], 'gzip'],
    [['--response-compression', 'off'], undefined],
  ])('answers gzip Export calls in gzip by default (%j -> %s)', async (flags, expected) => {
    const run = await launch(['--port', '0', ...flags]);
    const session = await connectSession(run.url);
    cleanups.push(() => session.destroy());
    const body = gzipSync(toBinary(ExportTraceServiceRequestSchema, traceRequest(1)));
    const framed = new Uint8Array(5 + body.length);
    framed[0] = 1;
    new DataView(framed.buffer).setUint32(1, body.length);
    framed.set(body, 5);
    const res = await rawRequest(session, {
      path: EXPORT_PATHS.traces,
      body: framed,
      headers: { 'grpc-encoding': 'gzip' },
    });
    expect(res.grpcStatus).toBe(0);
    expect(res.headers['grpc-encoding']).toBe(expected);
  });

  it('exits 1, saying why, when the JSONL file could not be written', async () => {
    const run = await launch(['--port', '0', '--jsonl', '/dev/full', '--log-level', 'error']);
    await expect(tracesClient(run.url).export(traceRequest(1))).rejects.toThrow(/ENOSPC/);
    run.signal('SIGTERM');
    expect(await run.exit).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/JSONL file \/dev\/full: .*ENOSPC/);
  });

  it('lets calls in flight finish on SIGINT before exiting 0', async () => {
    const jsonl = join(tempDir(), 'out.jsonl');
    const run = await launch([
      '--port',
      '0',
      '--jsonl',
      jsonl,
      '--export-delay-ms',
      '1000',
      '--summary-interval-ms',
      '0',
    ]);
    const client = tracesClient(run.url);
    const calls = [0, 1, 2].map((i) => client.export(traceRequest(1, { name: `inflight${i}` })));
    const sessionManager = new Http2SessionManager(run.url);
    cleanups.push(() => sessionManager.abort());
    const query = createClient(
      QueryService,
      createGrpcTransport({ baseUrl: run.url, sessionManager }),
    );
    while ((await query.getStats({})).inflight < 3) await new Promise((r) => setTimeout(r, 10));
    run.signal('SIGINT');
    await Promise.all(calls);
    expect(await run.exit).toBe(0);
    const written = readFileSync(jsonl, 'utf8');
    for (const i of [0, 1, 2]) expect(written).toContain(`inflight${i}-0`);
    expect(run.stderr.join('\n')).toMatch(/SIGINT: shutting down, 3 export call\(s\) in flight/);
  });

  it('stops waiting on a second signal, exit 1', async () => {
    const run = await launch([
      '--port',
      '0',
      '--export-delay-ms',
      '5000',
      '--shutdown-grace-ms',
      '300',
      '--log-level',
      'error',
    ]);
    const call = tracesClient(run.url)
      .export(traceRequest(1))
      .then(
        () => 'ok',
        () => 'failed',
      );
    const sessionManager = new Http2SessionManager(run.url);
    cleanups.push(() => sessionManager.abort());
    const query = createClient(
      QueryService,
      createGrpcTransport({ baseUrl: run.url, sessionManager }),
    );
    while ((await query.getStats({})).inflight < 1) await new Promise((r) => setTimeout(r, 10));
    run.signal('SIGTERM');
    run.signal('SIGTERM');
    expect(await run.exit).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/second signal/);
    // The background close still ends the held call once the grace period is over.
    expect(await call).toBe('failed');
  });

  it('logs every request at --log-level debug, to stderr', async () => {
    const run = await launch(['--port', '0', '--log-level', 'debug', '--summary-interval-ms', '0']);
    await tracesClient(run.url).export(traceRequest(1));
    expect(run.stderr.join('\n')).toMatch(
      /debug POST \/opentelemetry\.proto\.collector\.trace\.v1\.TraceService\/Export grpc http\/2\.0 identity body=\d+B message=\d+B -> ok/,
    );
    expect(run.stdout).toHaveLength(1);
  });
});
