// The Worker example in workerd while its backend (the receiver behind Envoy) is down for
// the first requests and then comes up. An injected short export deadline (the TIMEOUT
// binding) keeps the test fast. Every item is either delivered or reported as dropped
// with its reason; none vanishes. No timing is asserted: each phase waits for outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { freePort } from '../integration/client-helpers.js';
import { type BundleDir, createBundleDir } from './bundle.js';
import { drops, startWorker, type TestWorker } from './miniflare-worker.js';
import { hex, startTestReceiver, type TestReceiver, until } from './receiver-harness.js';
import { runtimeBinary } from './runtime-process.js';
import { type SwitchRelay, startSwitchRelay } from './switch-relay.js';

// Resolved at load: a missing runtime fails this file outright, never skips its tests.
runtimeBinary('workerd');
let dir: BundleDir;
let bundle: string;
let backendPort: number;
let received: TestReceiver | undefined;
let envoy: RunningEnvoy;
let worker: TestWorker;

beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  dir = createBundleDir();
  bundle = await dir.bundle('examples/cloudflare-worker/src/worker.ts', 'workerd');
  backendPort = await freePort(); // nothing listens yet: the backend is down
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${backendPort}`] });
  worker = await startWorker(bundle, {
    OTEL_EXPORTER_OTLP_ENDPOINT: envoy.url,
    OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
  });
});

afterAll(async () => {
  await worker?.dispose();
  await envoy?.stop();
  await received?.close();
  dir?.remove();
});

/** Requests `/checkout?items=2` (3 spans, 3 log records); returns the trace id. */
async function checkout(): Promise<string> {
  const response = await worker.mf.dispatchFetch('http://example.test/checkout?items=2');
  expect(response.status).toBe(200);
  return ((await response.json()) as { traceId: string }).traceId;
}

it('delivers what the budget allows once the backend is up, and counts the rest as dropped', async () => {
  // Down: Envoy answers UNAVAILABLE; the exporter retries until its 2 s deadline, then drops.
  const lost = [await checkout(), await checkout(), await checkout()];
  await until(
    () => drops(worker.output()).length === 6,
    'six drop reports (3 requests x 2 signals)',
  );
  const dropped = drops(worker.output());
  for (const signal of ['traces', 'logs']) {
    const mine = dropped.filter((d) => d.signal === signal);
    expect(mine).toHaveLength(3);
    for (const drop of mine) {
      expect(drop.items).toBe(3);
      expect(drop.code).toBe(14); // UNAVAILABLE, from Envoy
      expect(['deadline', 'retries_exhausted']).toContain(drop.reason);
    }
  }

  // Up: the same Worker, the same exporters, now delivering.
  received = await startTestReceiver(backendPort);
  const delivered = [await checkout(), await checkout()];
  await until(
    () => received!.spans().length === 6 && received!.logs().length === 6,
    'the spans and logs of the two requests made while the backend is up',
  );
  const traces = new Set(received.spans().map((s) => hex(s.span.traceId)));
  expect([...traces].sort()).toEqual([...delivered].sort());
  for (const id of lost) expect(traces.has(id)).toBe(false);
  // Every item accounted for: 15 spans made = 6 delivered + 9 reported dropped; same for logs.
  const droppedItems = (signal: string) =>
    drops(worker.output())
      .filter((d) => d.signal === signal)
      .reduce((sum, d) => sum + Number(d.items), 0);
  expect(received.spans().length + droppedItems('traces')).toBe(15);
  expect(received.logs().length + droppedItems('logs')).toBe(15);
});

describe('a backend that comes back within the deadline', () => {
  let relay: SwitchRelay;
  let backend: TestReceiver;
  let slow: RunningEnvoy;
  let w: TestWorker;

  beforeAll(async () => {
    backend = await startTestReceiver();
    relay = await startSwitchRelay(backend.receiver.port);
    slow = await startEnvoy({
      envoyPath: await findEnvoy({ install: !process.env.CI }),
      port: 0,
      upstreams: [`127.0.0.1:${relay.port}`],
    });
    // 10 s: room for a retry after the first backoff (0.8 to 1.2 s).
    w = await startWorker(bundle, { OTEL_EXPORTER_OTLP_ENDPOINT: slow.url });
  });

  afterAll(async () => {
    await w?.dispose();
    await slow?.stop();
    await relay?.close();
    await backend?.close();
  });

  it('delivers on a retry: the backoff runs inside waitUntil, within the budget', async () => {
    const response = await w.mf.dispatchFetch('http://example.test/checkout?items=2');
    const { traceId } = (await response.json()) as { traceId: string };
    // The first attempt was refused; the exporter now waits out its backoff.
    await until(() => relay.refused > 0, 'the first attempt to be refused');
    relay.up();
    await until(
      () => backend.spans().length === 3 && backend.logs().length === 3,
      'the request’s 3 spans and 3 log records',
    );
    expect(new Set(backend.spans().map((s) => hex(s.span.traceId)))).toEqual(new Set([traceId]));
    expect(drops(w.output())).toEqual([]);
  });
});
