// The Cloudflare Worker example in real workerd (Miniflare), exporting through a real
// Envoy (gRPC-web -> gRPC) to the receiver. A gated relay between Envoy and the receiver
// holds the export, which shows the flush runs after the response, under waitUntil:
// workerd cancels work a request left behind unless it was handed to waitUntil.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { type BundleDir, createBundleDir } from './bundle.js';
import { expectCheckouts } from './checkout-checks.js';
import { type GatedRelay, startGatedRelay } from './gated-relay.js';
import { drops, startWorker, type TestWorker } from './miniflare-worker.js';
import { attrs, hex, startTestReceiver, type TestReceiver, until } from './receiver-harness.js';
import { runtimeBinary } from './runtime-process.js';

const service = { name: 'example-worker', runtime: 'workerd' };
const ENTRY = 'examples/cloudflare-worker/src/worker.ts';
// Resolved at load: a missing runtime fails this file outright, never skips its tests.
runtimeBinary('workerd');
let dir: BundleDir;
let bundle: string;
let received: TestReceiver;
let relay: GatedRelay;
let envoy: RunningEnvoy;
let worker: TestWorker;

beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  dir = createBundleDir();
  bundle = await dir.bundle(ENTRY, 'workerd');
  received = await startTestReceiver();
  relay = await startGatedRelay(received.receiver.port);
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${relay.port}`] });
  worker = await startWorker(bundle, { OTEL_EXPORTER_OTLP_ENDPOINT: envoy.url });
});

afterAll(async () => {
  await worker?.dispose();
  await envoy?.stop();
  await relay?.close();
  await received?.close();
  dir?.remove();
});

beforeEach(() => {
  received.receiver.sinks.clear();
  received.calls.length = 0;
});

/** The root (SERVER) span of the trace with id `traceId`. */
function rootOf(traceId: string) {
  const roots = received
    .spans()
    .filter((s) => hex(s.span.traceId) === traceId && s.span.kind === 2);
  expect(roots).toHaveLength(1);
  return roots[0]!.span;
}

describe('workerd through Envoy', () => {
  it('answers first, then sends the request’s spans and logs under waitUntil', async () => {
    const url = 'http://example.test/checkout?items=12';
    const response = await worker.mf.dispatchFetch(url);
    // The response is here while the export is still held at the relay.
    expect(response.status).toBe(200);
    const { traceId } = (await response.json()) as { traceId: string };
    await until(() => relay.held > 0, 'the export to reach the relay');
    expect(received.spans()).toEqual([]);
    relay.open();
    await until(
      () => received.spans().length === 13 && received.logs().length === 13,
      '13 spans and 13 log records',
    );
    expectCheckouts(received, [{ traceId, items: 12, url }], service);
    expect(attrs(rootOf(traceId).attributes)['server.address']).toBe('example.test');
    // One gRPC call per signal, converted from gRPC-web by Envoy, gzip from workerd's
    // CompressionStream kept end to end. A call is logged once its (gzip) answer is sent,
    // which may be after its items are stored.
    await until(() => received.calls.length >= 2, 'the two calls logged');
    expect(
      received.calls.map((c) => `${c.service} ${c.protocol} ${c.encoding} ${c.status}`).sort(),
    ).toEqual(['logs grpc gzip ok', 'trace grpc gzip ok']);
    expect(drops(worker.output())).toEqual([]);
  });

  it('keeps concurrent requests of one isolate apart (one export per signal each)', async () => {
    const urls = [1, 2, 3, 4, 5].map((n) => `http://example.test/checkout?items=${n}`);
    const responses = await Promise.all(urls.map((url) => worker.mf.dispatchFetch(url)));
    const ids = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { traceId: string }).traceId),
    );
    await until(
      () => received.spans().length === 20 && received.logs().length === 20,
      'the spans and logs of five requests',
    );
    expectCheckouts(
      received,
      ids.map((traceId, i) => ({ traceId, items: i + 1, url: urls[i]! })),
      service,
    );
    await until(() => received.calls.length >= 10, 'the ten calls logged');
    expect(received.calls.filter((c) => c.service === 'trace')).toHaveLength(5);
    expect(received.calls.filter((c) => c.service === 'logs')).toHaveLength(5);
  });

  it('continues the trace of an incoming traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const response = await worker.mf.dispatchFetch('http://example.test/checkout?items=1', {
      headers: {
        traceparent: `00-${traceId}-${parent}-01`,
        tracestate: 'vendor=opaque',
        'user-agent': 'edge-test/1.0',
      },
    });
    expect(((await response.json()) as { traceId: string }).traceId).toBe(traceId);
    await until(() => received.spans().length === 2, 'two spans');
    const root = rootOf(traceId);
    expect(hex(root.parentSpanId)).toBe(parent);
    expect(root.flags & 0xff).toBe(1); // sampled, as the caller said
    expect(root.traceState).toBe('vendor=opaque');
    expect(attrs(root.attributes)['user_agent.original']).toBe('edge-test/1.0');
  });

  it('marks a 5xx response as an error', async () => {
    const response = await worker.mf.dispatchFetch('http://example.test/fail');
    expect(response.status).toBe(503);
    await response.arrayBuffer();
    await until(() => received.spans().length === 1, 'the root span');
    const root = received.spans()[0]!.span;
    expect(root.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attrs(root.attributes)).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/fail',
      'http.response.status_code': 503,
      'error.type': '503',
    });
  });

  it('records a thrown error on the root span and still flushes', async () => {
    const response = await worker.mf.dispatchFetch('http://example.test/boom');
    expect(response.status).toBe(500);
    await response.arrayBuffer();
    await until(() => received.spans().length === 1, 'the root span');
    const root = received.spans()[0]!.span;
    expect(root.status).toMatchObject({ code: 2, message: 'boom: the handler failed' });
    expect(attrs(root.attributes)['error.type']).toBe('Error');
    expect(attrs(root.attributes)['http.response.status_code']).toBeUndefined();
    expect(root.events.map((e) => [e.name, attrs(e.attributes)['exception.message']])).toEqual([
      ['exception', 'boom: the handler failed'],
    ]);
  });
});

describe('workerd and redirects', () => {
  it('does not follow a redirecting endpoint; the drop is reported', async () => {
    // workerd refuses fetch's redirect: 'error'; the transport sends 'manual' and treats
    // the 3xx as a failed call instead of following it.
    let seen = 0;
    const redirector = createServer((req, res) => {
      seen++;
      req.resume();
      res.writeHead(307, { location: `${envoy.url}${req.url}` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const { port } = redirector.address() as AddressInfo;
    const w = await startWorker(bundle, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    try {
      const response = await w.mf.dispatchFetch('http://example.test/checkout?items=1');
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      await until(() => drops(w.output()).length === 2, 'the trace and log drops');
      expect(seen).toBe(2); // one call per signal, none repeated at the Location
      expect(received.spans()).toEqual([]);
      for (const drop of drops(w.output())) {
        expect(drop).toMatchObject({ items: 2, reason: 'non_retryable', code: 2 });
        expect(String(drop.message)).toContain(
          'redirect refused: gRPC-web does not follow redirects (to ',
        );
      }
    } finally {
      await w.dispose();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});

describe('workerd with bad bindings', () => {
  it('refuses a deadline that does not fit the waitUntil budget, naming it', async () => {
    const bad = await startWorker(bundle, {
      OTEL_EXPORTER_OTLP_ENDPOINT: envoy.url,
      OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
    });
    try {
      const response = await bad.mf.dispatchFetch('http://example.test/checkout');
      expect(response.status).toBe(500);
      // Miniflare answers an uncaught error with its message (workerd logs it, too).
      expect(await response.text()).toContain(
        'export deadline of 30000 ms (timeoutMillis or OTEL_EXPORTER_OTLP_TIMEOUT) is not shorter than the 30000 ms waitUntil budget',
      );
    } finally {
      await bad.dispose();
    }
  });

  it('refuses a missing endpoint, naming the binding', async () => {
    const bad = await startWorker(bundle, {});
    try {
      const response = await bad.mf.dispatchFetch('http://example.test/checkout');
      expect(response.status).toBe(500);
      expect(await response.text()).toContain(
        'no OTLP endpoint for traces: set the OTEL_EXPORTER_OTLP_ENDPOINT binding',
      );
    } finally {
      await bad.dispose();
    }
  });
});
