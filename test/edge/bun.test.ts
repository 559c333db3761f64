// The Bun example on the real Bun: traces, metrics and logs over gRPC-web with gzip,
// straight to the receiver, checked item by item. And zstd, which Bun alone can send:
// against a server without zstd (this receiver on Node 20) the export is refused with
// UNIMPLEMENTED naming gzip, and the exporter resends it at once with gzip.
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

it('sends zstd when configured; a server without zstd refuses it and the export falls back to gzip', async () => {
  received.calls.length = 0;
  received.receiver.sinks.clear();
  const server = await startBun({ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' });
  const [sent] = await checkout(server.url, [12]);
  const mine = () => received.spans().filter((s) => hex(s.span.traceId) === sent!.traceId);
  await until(() => mine().length === 13, 'the spans to arrive over gzip');
  await until(
    () => received.calls.filter((c) => c.service === 'logs').length === 2,
    'the logs to arrive over gzip',
  );
  // On the wire: zstd, answered UNIMPLEMENTED (the receiver names gzip as what it accepts),
  // then the same request again at once with gzip, accepted; nothing dropped.
  const spansAndLogs = received.calls.filter((c) => c.service !== 'metrics');
  expect(spansAndLogs.map((c) => `${c.service} ${c.encoding} ${c.status}`).sort()).toEqual([
    'logs gzip ok',
    'logs zstd unimplemented',
    'trace gzip ok',
    'trace zstd unimplemented',
  ]);
  expect(server.output()).not.toContain('otlp.export.dropped');
});
