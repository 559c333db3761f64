// The Bun example on the real Bun: traces, metrics and logs over gRPC-web with gzip,
// straight to the receiver, checked item by item. And zstd, which Bun alone can send:
// against a server without zstd (this receiver on Node 20) the export is refused with
// UNIMPLEMENTED, and the drop is counted and reported, not silent.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BundleDir, createBundleDir } from './bundle.js';
import { checkout, expectAllSignals } from './checkout-checks.js';
import { hex, startTestReceiver, type TestReceiver, until } from './receiver-harness.js';
import { type RuntimeServer, runtimeBinary, startRuntime } from './runtime-process.js';

const service = { name: 'example-bun', runtime: 'bun' };
// Resolved at load: a missing runtime fails this file outright, never skips its tests.
const bun = runtimeBinary('bun');
let dir: BundleDir;
let bundle: string;
let received: TestReceiver;
const servers: RuntimeServer[] = [];

function startBun(env: Record<string, string>): Promise<RuntimeServer> {
  return startRuntime(
    bun,
    ['run', bundle],
    { OTEL_EXPORTER_OTLP_ENDPOINT: received.url, PORT: '0', ...env },
    /listening on (http:\/\/\S+)/,
    dir.dir,
  ).then((server) => {
    servers.push(server);
    return server;
  });
}

beforeAll(async () => {
  dir = createBundleDir();
  bundle = await dir.bundle('examples/bun-server/server.ts', 'bun');
  received = await startTestReceiver();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await received?.close();
  dir?.remove();
});

it('exports each request’s spans, logs and metrics once, gzip-compressed', async () => {
  const server = await startBun({});
  await expectAllSignals(received, server.url, service, 'gzip');
  expect(server.output()).not.toContain('otlp.export.dropped');
});

it('sends zstd when configured; a server without zstd refuses it and the drop is reported', async () => {
  received.calls.length = 0;
  received.receiver.sinks.clear();
  const server = await startBun({ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' });
  const [sent] = await checkout(server.url, [12]);
  await until(
    () => (server.output().match(/otlp\.export\.dropped/g) ?? []).length === 2,
    'the trace and log drops to be reported',
  );
  // On the wire: zstd, answered UNIMPLEMENTED (the receiver names gzip as what it accepts).
  const spansAndLogs = received.calls.filter((c) => c.service !== 'metrics');
  expect(spansAndLogs.map((c) => `${c.service} ${c.encoding} ${c.status}`).sort()).toEqual([
    'logs zstd unimplemented',
    'trace zstd unimplemented',
  ]);
  expect(received.spans().filter((s) => hex(s.span.traceId) === sent!.traceId)).toEqual([]);
  const drops = server
    .output()
    .split('\n')
    .filter((line) => line.includes('otlp.export.dropped'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>)
    .sort((a, b) => String(a.signal).localeCompare(String(b.signal)));
  expect(drops).toMatchObject([
    { signal: 'logs', items: 13, reason: 'non_retryable', code: 12 },
    { signal: 'traces', items: 13, reason: 'non_retryable', code: 12 },
  ]);
  expect(String(drops[1]!.message)).toContain('unknown compression "zstd"');
});
