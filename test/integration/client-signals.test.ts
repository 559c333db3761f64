import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpClient } from '../../src/client/otlp-client.js';
import {
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
} from '../../src/client/request-codecs.js';
import {
  createRandom,
  syntheticLogs,
  syntheticMetrics,
  syntheticTraces,
} from '../../src/loadgen/synthetic.js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { hex, routeOptions, routes } from './client-helpers.js';

// Every signal over both transports, with and without gzip, checked item by item at a real
// receiver: what arrives must be exactly what was sent.
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0, maxStoredItems: 100_000 });
});
afterAll(() => receiver.close());

const now = BigInt(Date.now()) * 1_000_000n;

describe.each(routes)('$transport with compression $compression', (route) => {
  it('delivers spans, data points and log records item by item, via export() and enqueue()', async () => {
    receiver.sinks.clear();
    const random = createRandom(route.transport.length * 7 + route.compression.length);
    const client = createOtlpClient({
      ...routeOptions(route),
      url: receiver.url,
      compressionMinBytes: 0,
    });
    const traces = syntheticTraces(120, random, now);
    const metrics = syntheticMetrics(30, random, now);
    const logs = syntheticLogs(45, random, now);
    const queuedTraces = syntheticTraces(40, random, now);

    await expect(client.traces.export(traces)).resolves.toEqual({
      ok: true,
      code: 0,
      message: '',
      items: encodeTraceRequest(traces).count,
      rejected: 0,
      attempts: 1,
    });
    await client.metrics.export(metrics);
    await client.logs.export(logs);
    expect(client.traces.enqueue(queuedTraces)).toBe(true);
    await client.shutdown();

    const sentSpans = [traces, queuedTraces].flatMap((r) =>
      r.resourceSpans!.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!)),
    );
    const gotSpans = receiver.sinks.listSpans({
      afterSeq: 0n,
      limit: 10_000,
      traceIdHex: '',
    } as never).spans;
    expect(gotSpans).toHaveLength(sentSpans.length);
    const byId = new Map(gotSpans.map((s) => [hex(s.span!.spanId), s.span!]));
    for (const sent of sentSpans) {
      const got = byId.get(hex(sent.spanId as Uint8Array));
      expect(got, `span ${sent.name}`).toBeDefined();
      expect(got!.name).toBe(sent.name);
      expect(hex(got!.traceId)).toBe(hex(sent.traceId as Uint8Array));
      expect(got!.startTimeUnixNano).toBe(sent.startTimeUnixNano);
      expect(got!.attributes.map((a) => a.key)).toEqual(sent.attributes!.map((a) => a.key));
    }

    const gotLogs = receiver.sinks.listLogs({
      afterSeq: 0n,
      limit: 10_000,
      traceIdHex: '',
    } as never).logs;
    const sentLogs = logs.resourceLogs![0]!.scopeLogs![0]!.logRecords!;
    expect(gotLogs.map((l) => l.logRecord!.body?.value.value)).toEqual(
      sentLogs.map((l) => l.body!.value!.value),
    );
    expect(gotLogs.map((l) => l.logRecord!.severityNumber)).toEqual(
      sentLogs.map((l) => l.severityNumber),
    );

    const stats = receiver.stats();
    expect(stats.traces).toMatchObject({ itemsAccepted: 160n, itemsRejected: 0n });
    expect(stats.metrics).toMatchObject({ itemsAccepted: 30n, itemsRejected: 0n });
    expect(stats.logs).toMatchObject({ itemsAccepted: 45n, itemsRejected: 0n });
    const stored = receiver.sinks.listMetrics({
      afterSeq: 0n,
      limit: 100,
      traceIdHex: '',
    } as never).metrics;
    expect(stored.map((m) => m.metric!.name).sort()).toEqual(
      ['http.server.request.count', 'http.server.request.duration', 'process.memory.usage'].sort(),
    );

    const m = client.traces.metrics();
    expect(m).toMatchObject({ itemsSent: 160, retries: 0, exportsFailed: 0 });
    if (route.compression === 'gzip') expect(m.bytesSent).toBeLessThan(m.bytesUncompressed / 2);
    else expect(m.bytesSent).toBe(m.bytesUncompressed);
  });

  it('reports partial success from the receiver and never retries it', async () => {
    receiver.sinks.clear();
    const client = createOtlpClient({ ...routeOptions(route), url: receiver.url });
    const request = syntheticTraces(10, createRandom(3), now);
    const spans = request.resourceSpans![0]!.scopeSpans![0]!.spans!;
    spans[0]!.traceId = new Uint8Array(15);
    spans[1]!.spanId = new Uint8Array(8);
    const result = await client.traces.exportEncoded(encodeTraceRequest(request));
    expect(result.rejected).toBe(2);
    expect(result.message).toMatch(
      /2 spans rejected: span ".*" has trace_id of 15 bytes \(want 16\)/,
    );
    expect(result.attempts).toBe(1);
    expect(client.traces.metrics()).toMatchObject({ itemsSent: 10, itemsRejected: 2, retries: 0 });
    expect(receiver.stats().traces).toMatchObject({ itemsAccepted: 8n, itemsRejected: 2n });
    await client.shutdown();
  });
});

describe('the low-level client', () => {
  it('never sends an empty request', async () => {
    const before = receiver.stats().traces!.requests;
    const client = createOtlpClient({ ...routeOptions(routes[0]), url: receiver.url });
    await expect(client.traces.export({ resourceSpans: [] })).resolves.toMatchObject({
      attempts: 0,
    });
    expect(client.logs.enqueue({})).toBe(true);
    await client.shutdown();
    expect(receiver.stats().traces!.requests).toBe(before);
  });

  it('refuses a URL that cannot work, naming it', () => {
    expect(() => createOtlpClient({ ...routeOptions(routes[0]), url: 'localhost:4317' })).toThrow(
      /option "url": "localhost:4317" needs http:\/\/ or https:\/\/ and a host/,
    );
    expect(() => createOtlpClient({ ...routeOptions(routes[0]), url: [] })).toThrow(
      /at least one URL/,
    );
  });

  it('encodes once for exportEncoded, counting items per signal', () => {
    const random = createRandom(1);
    expect(encodeMetricsRequest(syntheticMetrics(7, random, now)).count).toBe(7);
    expect(encodeLogsRequest(syntheticLogs(5, random, now)).count).toBe(5);
  });
});
