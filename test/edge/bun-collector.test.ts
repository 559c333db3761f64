// The Bun example on the real Bun, exporting zstd (Bun alone has a zstd CompressionStream)
// through the project's Envoy to a real OpenTelemetry Collector, which takes zstd and
// answers in zstd: Bun's DecompressionStream reads the answer. The Collector forwards to
// the receiver (gzip), where every span and log record is checked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { type RunningCollector, startCollector } from '../helpers/collector.js';
import { type BundleDir, createBundleDir } from './bundle.js';
import { checkout, expectCheckouts } from './checkout-checks.js';
import { startTestReceiver, type TestReceiver, until } from './receiver-harness.js';
import { type RuntimeServer, runtimeBinary, startRuntime } from './runtime-process.js';

const bun = runtimeBinary('bun');
let dir: BundleDir;
let received: TestReceiver;
let collector: RunningCollector;
let envoy: RunningEnvoy;
let server: RuntimeServer;

beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  dir = createBundleDir();
  const bundle = await dir.bundle('examples/bun-server/server.ts', 'bun');
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${collector.port}`] });
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: envoy.url,
    OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd',
    PORT: '0',
  };
  server = await startRuntime(bun, ['run', bundle], env, /listening on (http:\/\/\S+)/, dir.dir);
});

afterAll(async () => {
  await server?.stop();
  await envoy?.stop();
  await collector?.stop();
  await received?.close();
  dir?.remove();
});

it('Bun -> Envoy -> Collector with zstd: every span and log record arrives, none dropped', async () => {
  const checkouts = await checkout(server.url, [12, 9]);
  await until(
    () => received.spans().length === 23 && received.logs().length === 23,
    'the spans and logs of two checkouts',
  );
  expectCheckouts(received, checkouts, { name: 'example-bun', runtime: 'bun' });
  // A call is logged once its answer is sent, which may be after its items are stored.
  await until(
    () => ['trace', 'logs'].every((s) => received.calls.some((c) => c.service === s)),
    'the trace and logs calls logged',
  );
  expect(new Set(received.calls.map((c) => `${c.protocol} ${c.encoding} ${c.status}`))).toEqual(
    new Set(['grpc gzip ok']),
  );
  expect(server.output()).not.toContain('otlp.export.dropped');
});
