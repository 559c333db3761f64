import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { createOtlpClient } from '../../src/client/otlp-client.js';
import { encodeTraceRequest } from '../../src/client/request-codecs.js';
import { Code } from '../../src/core/code.js';
import type { OtlpError } from '../../src/core/otlp-error.js';
import type { Transport, TransportRequest } from '../../src/core/transport.js';
import { createRandom, syntheticTraces } from '../../src/loadgen/synthetic.js';
import { startReceiver } from '../../src/receiver/index.js';
import { freePort, hex, routeOptions, routes } from './client-helpers.js';

// Retry against real faults: a real receiver that is absent, killed, overloaded or strict,
// and a proxy answering plain HTTP 503. Real sockets, so these wait real (short) backoffs.
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const now = BigInt(Date.now()) * 1_000_000n;
const fastRetry = { initialBackoffMs: 200, maxBackoffMs: 400, multiplier: 1.5, jitter: 0.2 };

/** Records when each request left, around any transport. */
function timed(transport: Transport) {
  const sent: { at: number; request: TransportRequest }[] = [];
  const wrapped: Transport = {
    name: transport.name,
    send: (request) => {
      sent.push({ at: performance.now(), request });
      return transport.send(request);
    },
    close: () => transport.close(),
  };
  return { transport: wrapped, sent };
}

/** Starts the built receiver CLI as a child process, so it can be SIGKILLed like a crash. */
async function spawnReceiver(port: number, jsonl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      'dist/src/receiver/cli.js',
      '--port',
      String(port),
      '--jsonl',
      jsonl,
      '--summary-interval-ms',
      '0',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('otlp-receiver listening on')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`receiver exited with ${code} before listening`)),
    );
  });
  return child;
}

describe.each(routes.filter((r) => r.compression === 'gzip'))('$transport', (route) => {
  it('loses nothing when the receiver comes up only after exporting started', async () => {
    const port = await freePort();
    const client = createOtlpClient({
      ...routeOptions(route),
      url: `http://127.0.0.1:${port}`,
      retry: fastRetry,
      timeoutMs: 15_000,
    });
    cleanup.push(() => client.shutdown());
    const request = syntheticTraces(50, createRandom(11), now);
    const exporting = client.traces.export(request);
    await new Promise((r) => setTimeout(r, 500));
    const receiver = await startReceiver({ port });
    cleanup.push(() => receiver.close());
    const result = await exporting;
    expect(result.attempts).toBeGreaterThan(1);
    expect(receiver.stats().traces!.itemsAccepted).toBe(50n);
    expect(client.traces.metrics().failuresByCode.unavailable).toBeGreaterThan(0);
  });

  it('loses nothing acknowledged when the receiver is killed mid-run and restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kill-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const jsonl = join(dir, 'received.jsonl');
    const port = await freePort();
    let child = await spawnReceiver(port, jsonl);
    cleanup.push(() => child.kill('SIGKILL'));
    const client = createOtlpClient({
      ...routeOptions(route),
      url: `http://127.0.0.1:${port}`,
      retry: { ...fastRetry, maxAttempts: 30 },
      timeoutMs: 20_000,
    });
    cleanup.push(() => client.shutdown());
    const random = createRandom(5);
    const batches = Array.from({ length: 30 }, () =>
      encodeTraceRequest(syntheticTraces(20, random, now)),
    );
    const acknowledged: Uint8Array[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await client.traces.exportEncoded(batch);
        acknowledged.push(batch.bytes);
      }
    };
    const run = Promise.all([worker(), worker()]);
    while (acknowledged.length < 8) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await once(child, 'exit');
    await new Promise((r) => setTimeout(r, 300));
    child = await spawnReceiver(port, jsonl);
    await run;
    expect(acknowledged).toHaveLength(30);
    child.kill('SIGTERM');
    await once(child, 'exit');
    // Every acknowledged span is in the file (a request in flight at the kill may be there twice).
    const received = new Set<string>();
    for (const line of readFileSync(jsonl, 'utf8').trim().split('\n')) {
      for (const rs of JSON.parse(line).resourceSpans)
        for (const ss of rs.scopeSpans) for (const s of ss.spans) received.add(s.spanId);
    }
    const sentIds = batches.flatMap((b) => spanIds(b.bytes));
    expect(sentIds).toHaveLength(600);
    const missing = sentIds.filter((id) => !received.has(id));
    expect(missing).toEqual([]);
    expect(client.traces.metrics().retries).toBeGreaterThan(0);
  }, 60_000);

  it('waits at least the RetryInfo delay when the receiver is overloaded', async () => {
    const receiver = await startReceiver({
      port: 0,
      maxInflight: 1,
      exportDelayMs: 300,
      retryDelayMs: 700,
    });
    cleanup.push(() => receiver.close());
    const { transport, sent } = timed(routeOptions(route).transport);
    const client = createOtlpClient({ transport, url: receiver.url, maxConcurrentExports: 2 });
    cleanup.push(() => client.shutdown());
    const random = createRandom(2);
    const results = await Promise.all(
      [0, 1].map(() => client.traces.export(syntheticTraces(5, random, now))),
    );
    expect(results.map((r) => r.attempts).sort()).toEqual([1, 2]);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.at - sent[1]!.at).toBeGreaterThanOrEqual(700);
    expect(receiver.stats().traces).toMatchObject({
      itemsAccepted: 10n,
      errorsByCode: { unavailable: 1n },
    });
    expect(client.traces.metrics()).toMatchObject({
      retries: 1,
      failuresByCode: { unavailable: 1 },
    });
  });

  it('drops and counts a non-retryable failure after one attempt, reporting code and message', async () => {
    const receiver = await startReceiver({ port: 0, apiKey: 'secret' });
    cleanup.push(() => receiver.close());
    const errors: [OtlpError, unknown][] = [];
    const client = createOtlpClient({
      ...routeOptions(route),
      url: receiver.url,
      onError: (e, info) => errors.push([e, info]),
    });
    cleanup.push(() => client.shutdown());
    const failure = await client.traces
      .export(syntheticTraces(7, createRandom(1), now))
      .catch((e: OtlpError) => e);
    expect(failure).toMatchObject({ name: 'OtlpError', code: Code.Unauthenticated });
    expect(client.traces.metrics()).toMatchObject({
      exportsFailed: 1,
      retries: 0,
      droppedByReason: { non_retryable: 7 },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]![0].message).toMatch(/unauthenticated/);
    expect(errors[0]![1]).toEqual({ signal: 'traces', items: 7, reason: 'non_retryable' });
    const ok = createOtlpClient({
      ...routeOptions(route),
      url: receiver.url,
      headers: { 'x-api-key': 'secret' },
    });
    await ok.traces.export(syntheticTraces(3, createRandom(1), now));
    await ok.shutdown();
    expect(receiver.stats().traces!.itemsAccepted).toBe(3n);
  });

  it('treats a proxy answering plain HTTP 503 as UNAVAILABLE and retries it', async () => {
    let hits = 0;
    let server: Server | Http2Server;
    if (route.transport === 'grpc') {
      const h2 = createHttp2Server();
      h2.on('stream', (stream) => {
        hits++;
        stream.respond({ ':status': 503, 'content-type': 'text/plain' });
        stream.end('upstream connect error or disconnect/reset before headers');
      });
      server = h2;
    } else {
      server = createHttpServer((req, res) => {
        hits++;
        req.resume();
        res.writeHead(503, { 'content-type': 'text/plain' }).end('no healthy upstream');
      });
    }
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.push(() => new Promise((r) => server.close(r)));
    const { port } = server.address() as { port: number };
    const client = createOtlpClient({
      ...routeOptions(route),
      url: `http://127.0.0.1:${port}`,
      retry: { ...fastRetry, maxAttempts: 3 },
    });
    cleanup.push(() => client.shutdown());
    const failure = await client.traces
      .export(syntheticTraces(4, createRandom(9), now))
      .catch((e: OtlpError) => e);
    expect(failure).toMatchObject({ code: Code.Unavailable });
    expect((failure as OtlpError).message).toMatch(/HTTP 503/);
    expect(hits).toBe(3);
    expect(client.traces.metrics()).toMatchObject({
      retries: 2,
      droppedByReason: { retries_exhausted: 4 },
    });
  });
});

/** Span ids (hex) of a serialized ExportTraceServiceRequest. */
function spanIds(bytes: Uint8Array): string[] {
  const request = fromBinary(ExportTraceServiceRequestSchema, bytes);
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => hex(s.spanId))),
  );
}
