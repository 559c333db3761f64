// The Deno example on the real Deno: traces, metrics and logs over gRPC-web with gzip,
// straight to the receiver, checked item by item; SIGTERM drains the last flush.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BundleDir, createBundleDir } from './bundle.js';
import { checkout, expectAllSignals } from './checkout-checks.js';
import { hex, startTestReceiver, type TestReceiver } from './receiver-harness.js';
import { type RuntimeServer, runtimeBinary, startRuntime } from './runtime-process.js';

const service = { name: 'example-deno', runtime: 'deno' };
// Resolved at load: a missing runtime fails this file outright, never skips its tests.
const deno = runtimeBinary('deno');
let dir: BundleDir;
let received: TestReceiver;
let server: RuntimeServer;

beforeAll(async () => {
  dir = createBundleDir();
  const bundle = await dir.bundle('examples/deno-server/server.ts', 'deno');
  received = await startTestReceiver();
  server = await startRuntime(
    deno,
    ['run', '--allow-net', '--allow-env', '--no-prompt', bundle],
    { OTEL_EXPORTER_OTLP_ENDPOINT: received.url, PORT: '0', DENO_NO_UPDATE_CHECK: '1' },
    /listening on (http:\/\/\S+)/,
    dir.dir,
  );
});

afterAll(async () => {
  await server?.stop();
  await received?.close();
  dir?.remove();
});

it('exports each request’s spans, logs and metrics once, gzip-compressed', async () => {
  await expectAllSignals(received, server.url, service, 'gzip');
  expect(server.output()).not.toContain('otlp.export.dropped');
});

it('flushes the last request’s telemetry before exiting on SIGTERM', async () => {
  received.receiver.sinks.clear();
  const [last] = await checkout(server.url, [4]);
  await server.stop();
  const trace = received.spans().filter((s) => hex(s.span.traceId) === last!.traceId);
  expect(trace).toHaveLength(5);
});
