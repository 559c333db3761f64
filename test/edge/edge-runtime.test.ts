// The Vercel Edge example on Vercel's edge-runtime (its open-source runtime, the one
// `next dev` uses): no CompressionStream there, so traces, metrics and logs go over
// gRPC-web uncompressed (identity), checked item by item at the receiver.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BundleDir, createBundleDir } from './bundle.js';
import { expectAllSignals } from './checkout-checks.js';
import { startTestReceiver, type TestReceiver } from './receiver-harness.js';
import { type RuntimeServer, runtimeBinary, startRuntime } from './runtime-process.js';

const service = { name: 'example-vercel-edge', runtime: 'edge-runtime' };
// Resolved at load: a missing runtime fails this file outright, never skips its tests.
const edgeRuntime = runtimeBinary('edge-runtime');
let dir: BundleDir;
let received: TestReceiver;
let server: RuntimeServer;

beforeAll(async () => {
  dir = createBundleDir();
  received = await startTestReceiver();
  // Vercel inlines process.env at build time; so does this bundle.
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: received.url };
  const bundle = await dir.bundle('test/edge/fixtures/vercel-entry.ts', 'edge-runtime', {
    define: { 'process.env': JSON.stringify(env) },
  });
  server = await startRuntime(
    edgeRuntime,
    ['--listen', '--port', '0', bundle],
    {},
    /at `(http:\/\/[^`]+)`/,
    dir.dir,
  );
});

afterAll(async () => {
  await server?.stop();
  await received?.close();
  dir?.remove();
});

it('exports each request’s spans, logs and metrics once, uncompressed', async () => {
  await expectAllSignals(received, server.url, service, 'identity');
  expect(server.output()).not.toContain('otlp.export.dropped');
});
