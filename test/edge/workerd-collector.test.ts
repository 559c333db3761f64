// The Cloudflare Worker example in real workerd (Miniflare) exporting through the project's
// Envoy to a real OpenTelemetry Collector, which forwards to the receiver. workerd's
// CompressionStream gzips the export; the Collector answers in gzip, which the Worker's
// DecompressionStream reads: before the client could, every export was dropped as INTERNAL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { type RunningCollector, startCollector } from '../helpers/collector.js';
import { type BundleDir, createBundleDir } from './bundle.js';
import { expectCheckouts } from './checkout-checks.js';
import { drops, startWorker, type TestWorker } from './miniflare-worker.js';
import { startTestReceiver, type TestReceiver, until } from './receiver-harness.js';
import { runtimeBinary } from './runtime-process.js';

const ENTRY = 'examples/cloudflare-worker/src/worker.ts';
runtimeBinary('workerd');
let dir: BundleDir;
let received: TestReceiver;
let collector: RunningCollector;
let envoy: RunningEnvoy;
let worker: TestWorker;

beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  dir = createBundleDir();
  const bundle = await dir.bundle(ENTRY, 'workerd');
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${collector.port}`] });
  worker = await startWorker(bundle, { OTEL_EXPORTER_OTLP_ENDPOINT: envoy.url });
});

afterAll(async () => {
  await worker?.dispose();
  await envoy?.stop();
  await collector?.stop();
  await received?.close();
  dir?.remove();
});

describe('workerd -> Envoy -> Collector', () => {
  it('delivers the spans and logs of concurrent requests, none dropped', async () => {
    const urls = [3, 12, 25].map((n) => `http://example.test/checkout?items=${n}`);
    const responses = await Promise.all(urls.map((url) => worker.mf.dispatchFetch(url)));
    const ids = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { traceId: string }).traceId),
    );
    // items + 1 spans and as many log records per request.
    await until(
      () => received.spans().length === 43 && received.logs().length === 43,
      'the spans and logs of three requests',
    );
    expectCheckouts(
      received,
      ids.map((traceId, i) => ({ traceId, items: [3, 12, 25][i]!, url: urls[i]! })),
      { name: 'example-worker', runtime: 'workerd' },
    );
    // The Collector forwarded them (otlp_grpc, gzip); the Worker reported no drop.
    // A call is logged once its answer is sent, which may be after its items are stored.
    await until(
      () => ['trace', 'logs'].every((s) => received.calls.some((c) => c.service === s)),
      'the trace and logs calls logged',
    );
    expect(new Set(received.calls.map((c) => `${c.protocol} ${c.encoding} ${c.status}`))).toEqual(
      new Set(['grpc gzip ok']),
    );
    expect(drops(worker.output())).toEqual([]);
  });
});
