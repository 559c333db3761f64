import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from '../../src/core/circuit-breaker.js';
import { Code } from '../../src/core/code.js';
import { createPipeline, type PipelineOptions } from '../../src/core/pipeline.js';
import { recordSelfMetrics } from '../../src/core/record-self-metrics.js';
import {
  createFakeRuntime,
  createScriptedTransport,
  flushMicrotasks,
  numberCodec,
  ok,
} from './core-fakes.js';

function setup(
  script: Parameters<typeof createScriptedTransport>[0] = ok,
  extra: Partial<PipelineOptions<number>> = {},
  random = () => 0.5,
) {
  const runtime = createFakeRuntime(random);
  const transport = createScriptedTransport(script);
  const onError = vi.fn();
  const pipeline = createPipeline<number>({
    codec: numberCodec(),
    transport,
    endpoints: ['http://a', 'http://b'],
    runtime,
    onError,
    ...extra,
  });
  return { runtime, transport, pipeline, onError };
}

/** Opens the gated answers one by one, letting each land, until none is left. */
async function openAll(gates: (() => void)[]) {
  while (gates.length) {
    gates.shift()!();
    await flushMicrotasks();
  }
}

/** An ordinary flush of everything, its requests answered as they come. */
async function flushAll(pipeline: { forceFlush(): Promise<void> }, gates: (() => void)[]) {
  const flushed = pipeline.forceFlush();
  await flushMicrotasks();
  await openAll(gates);
  await flushed;
}

const fail = (code: number, retryDelayMs?: number) => () => ({
  code: code as Code,
  message: `failed with ${code}`,
  ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
});

describe('retry', () => {
  it('backs off 1000, 1500, 2250, 3375, 5000 ms (random 0.5 = no jitter) then gives up', async () => {
    const { runtime, pipeline, transport } = setup(fail(Code.Unavailable), { timeoutMs: 60_000 });
    const done = pipeline.export([1]);
    await runtime.advance(60_000);
    const outcome = await done;
    expect(runtime.sleeps).toEqual([1000, 1500, 2250, 3375, 5000]);
    expect(transport.requests).toHaveLength(6);
    expect(outcome).toMatchObject({
      ok: false,
      code: Code.Unavailable,
      attempts: 6,
      dropReason: 'retries_exhausted',
    });
    expect(pipeline.metrics()).toMatchObject({
      retries: 5,
      droppedByReason: { retries_exhausted: 1 },
      failuresByCode: { unavailable: 6 },
    });
  });

  it('keeps jitter within +-20%', async () => {
    for (const [random, factor] of [
      [0, 0.8],
      [0.999999, 1.2],
    ] as const) {
      const { runtime, pipeline } = setup(
        fail(Code.Unavailable),
        { timeoutMs: 60_000, retry: { maxAttempts: 2 } },
        () => random,
      );
      const done = pipeline.export([1]);
      await runtime.advance(60_000);
      await done;
      expect(runtime.sleeps[0]).toBeCloseTo(1000 * factor, 0);
    }
  });

  it('never retries past the export deadline', async () => {
    const { runtime, pipeline, transport } = setup(fail(Code.Unavailable), { timeoutMs: 3000 });
    const done = pipeline.export([1]);
    await runtime.advance(10_000);
    expect(await done).toMatchObject({ ok: false, dropReason: 'deadline' });
    // Attempts at 0, 1000 and 2500 ms; the next backoff (2250) would end past 3000.
    expect(transport.requests.map((r) => r.timeoutMs)).toEqual([3000, 2000, 500]);
  });

  it('obeys RetryInfo even when longer than the backoff, and retries RESOURCE_EXHAUSTED only with it', async () => {
    let n = 0;
    const { runtime, pipeline } = setup(() =>
      ++n === 1 ? fail(Code.ResourceExhausted, 4000)() : ok(),
    );
    const done = pipeline.export([1]);
    await runtime.advance(3999);
    expect(n).toBe(1);
    await runtime.advance(1);
    expect(await done).toMatchObject({ ok: true, attempts: 2 });
    const plain = setup(fail(Code.ResourceExhausted));
    const d2 = plain.pipeline.export([1]);
    await plain.runtime.advance(100);
    expect(await d2).toMatchObject({ ok: false, dropReason: 'non_retryable', attempts: 1 });
  });

  it('drops when RetryInfo asks for longer than the time left', async () => {
    const { runtime, pipeline } = setup(fail(Code.Unavailable, 20_000));
    const done = pipeline.export([1]);
    await runtime.advance(100);
    expect(await done).toMatchObject({ ok: false, dropReason: 'deadline' });
  });

  it.each([
    [Code.Canceled, true],
    [Code.DeadlineExceeded, true],
    [Code.Aborted, true],
    [Code.OutOfRange, true],
    [Code.Unavailable, true],
    [Code.DataLoss, true],
    [Code.Unknown, false],
    [Code.InvalidArgument, false],
    [Code.NotFound, false],
    [Code.PermissionDenied, false],
    [Code.Unauthenticated, false],
    [Code.Unimplemented, false],
    [Code.Internal, false],
    [Code.FailedPrecondition, false],
  ])('code %i retryable: %s', async (code, retryable) => {
    const { runtime, pipeline, onError } = setup(fail(code), { retry: { maxAttempts: 2 } });
    const done = pipeline.export([1]);
    await runtime.advance(10_000);
    const outcome = await done;
    expect(outcome.attempts).toBe(retryable ? 2 : 1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].code).toBe(code);
  });

  it('fails over to the next endpoint on retry and rotates exports round-robin', async () => {
    let n = 0;
    const { runtime, pipeline, transport } = setup(() =>
      ++n === 1 ? fail(Code.Unavailable)() : ok(),
    );
    const done = pipeline.export([1]);
    await runtime.advance(2000);
    await done;
    await pipeline.export([2]);
    expect(transport.requests.map((r) => r.url)).toEqual(['http://a', 'http://b', 'http://b']);
  });
});

describe('queue and batching', () => {
  it('flushes a full batch at once and a partial one after the delay', async () => {
    const { runtime, pipeline, transport } = setup(ok, { maxBatchItems: 3, scheduledDelayMs: 500 });
    for (const v of [1, 2, 3, 4]) pipeline.enqueue(v);
    await flushMicrotasks();
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]!.body.length).toBe(30);
    await runtime.advance(499);
    expect(transport.requests).toHaveLength(1);
    await runtime.advance(1);
    expect(transport.requests).toHaveLength(2);
    expect(pipeline.metrics()).toMatchObject({ itemsSent: 4, exports: 2, queuedItems: 0 });
  });

  it('drops and counts over the item and byte limits, never silently', async () => {
    const { pipeline, onError } = setup(ok, { maxQueueItems: 2, maxBatchItems: 100 });
    expect([1, 2, 3].map((v) => pipeline.enqueue(v))).toEqual([true, true, false]);
    const bytes = setup(ok, { maxQueueBytes: 25, maxBatchItems: 100 });
    expect([1, 2, 3].map((v) => bytes.pipeline.enqueue(v))).toEqual([true, true, false]);
    expect(pipeline.metrics().droppedByReason.queue_full).toBe(1);
    expect(bytes.pipeline.metrics().droppedByReason.queue_full).toBe(1);
    expect(onError.mock.calls[0]![0].message).toMatch(/queue full/);
    expect(onError.mock.calls[0]![1]).toEqual({ signal: 'traces', items: 1, reason: 'queue_full' });
  });

  it('cuts batches under maxRequestBytes and drops a value larger than it', async () => {
    const { pipeline, transport } = setup(ok, { maxRequestBytes: 25, maxBatchItems: 100 });
    for (const v of [1, 2, 3, 4, 5]) pipeline.enqueue(v);
    await pipeline.forceFlush();
    expect(transport.requests.map((r) => r.body.length)).toEqual([20, 20, 10]);
    const big = setup(ok, { codec: numberCodec(100), maxRequestBytes: 50 });
    expect(big.pipeline.enqueue(1)).toBe(false);
    expect(big.pipeline.metrics().droppedByReason.too_large).toBe(1);
    expect(big.onError.mock.calls[0]![0].message).toMatch(
      /100 bytes exceeds maxRequestBytes \(50\)/,
    );
  });

  it('honours the concurrency limit', async () => {
    const gates: (() => void)[] = [];
    const { pipeline, transport } = setup(
      () => new Promise((resolve) => gates.push(() => resolve(ok()))),
      { maxBatchItems: 1, maxConcurrentExports: 2 },
    );
    for (const v of [1, 2, 3, 4]) pipeline.enqueue(v);
    await flushMicrotasks();
    expect(transport.requests).toHaveLength(2);
    gates.shift()!();
    await flushMicrotasks();
    expect(transport.requests).toHaveLength(3);
    expect(pipeline.metrics().inflightExports).toBe(2);
    await openAll(gates);
    expect(pipeline.metrics().itemsSent).toBe(4);
  });

  it('shutdown flushes, closes the transport, then refuses new values with a clear error', async () => {
    const { pipeline, transport } = setup();
    pipeline.enqueue(1);
    await pipeline.shutdown();
    expect(transport.requests).toHaveLength(1);
    expect(transport.closed()).toBe(1);
    expect(() => pipeline.enqueue(2)).toThrow(/shut down/);
    await pipeline.shutdown();
    expect(transport.closed()).toBe(1);
  });

  it('never sends an empty request', async () => {
    const { pipeline, transport } = setup();
    expect(await pipeline.export([])).toMatchObject({ ok: true, attempts: 0 });
    await pipeline.forceFlush();
    expect(transport.requests).toHaveLength(0);
  });
});

describe('circuit breaker', () => {
  it('opens after N failed exports, keeps queueing, probes after the cool-down, closes on success', async () => {
    let healthy = false;
    const { runtime, pipeline, transport } = setup(
      () => (healthy ? ok() : fail(Code.Unavailable)()),
      {
        retry: false,
        circuitBreaker: createCircuitBreaker({ failureThreshold: 2, cooldownMs: 10_000 }),
        maxBatchItems: 1,
        maxConcurrentExports: 1,
      },
    );
    await pipeline.export([1]);
    await pipeline.export([2]);
    expect(pipeline.metrics().circuitState).toBe('open');
    expect(await pipeline.export([3])).toMatchObject({
      ok: false,
      dropReason: 'circuit_open',
      message:
        'traces export of 1 items not sent: circuit breaker open after 2 consecutive failed exports',
    });
    expect(transport.requests).toHaveLength(2);
    pipeline.enqueue(4);
    await pipeline.forceFlush();
    expect(transport.requests).toHaveLength(2);
    expect(pipeline.metrics().queuedItems).toBe(1);
    healthy = true;
    await runtime.advance(10_000);
    expect(transport.requests).toHaveLength(3);
    expect(pipeline.metrics()).toMatchObject({
      circuitState: 'closed',
      queuedItems: 0,
      itemsSent: 1,
    });
  });

  it('counts what an open circuit still holds at shutdown', async () => {
    const { pipeline } = setup(fail(Code.Unavailable), {
      retry: false,
      circuitBreaker: createCircuitBreaker({ failureThreshold: 1 }),
    });
    await pipeline.export([1]);
    pipeline.enqueue(2);
    await pipeline.shutdown();
    expect(pipeline.metrics().droppedByReason.shutdown).toBe(1);
  });
});

describe('headers, compression, partial success, meter', () => {
  it('calls the headers function per attempt and sends the user agent', async () => {
    let token = 0;
    let n = 0;
    const { runtime, pipeline, transport } = setup(
      () => (++n === 1 ? fail(Code.Unavailable)() : ok()),
      {
        headers: () => ({ Authorization: `Bearer t${++token}` }),
      },
    );
    const done = pipeline.export([1]);
    await runtime.advance(2000);
    await done;
    expect(transport.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer t1',
      'Bearer t2',
    ]);
    expect(transport.requests[0]!.headers['user-agent']).toMatch(
      /^OTel-OTLP-Exporter-JavaScript\//,
    );
  });

  it('compresses only at or above the threshold', async () => {
    const compression = {
      name: 'gzip',
      compress: vi.fn(async (d: Uint8Array) => d.subarray(0, 3)),
    };
    const { pipeline, transport } = setup(ok, { compression, compressionMinBytes: 20 });
    await pipeline.export([1]);
    await pipeline.export([1, 2]);
    expect(transport.requests.map((r) => [r.encoding, r.body.length])).toEqual([
      ['identity', 10],
      ['gzip', 3],
    ]);
    expect(pipeline.metrics()).toMatchObject({ bytesUncompressed: 30, bytesSent: 13 });
  });

  it('resends at once with a fallback the server accepts when it refuses the encoding, and keeps to it', async () => {
    const compress = async (d: Uint8Array) => d.subarray(0, 3);
    const gzip = { name: 'gzip', compress };
    const compression = { name: 'zstd', compress, fallback: gzip };
    const { pipeline, transport, onError } = setup(
      (req) =>
        req.encoding === 'zstd'
          ? { code: Code.Unimplemented, message: 'no zstd', acceptEncoding: ['gzip', 'identity'] }
          : ok(),
      { compression, compressionMinBytes: 0 },
    );
    expect(await pipeline.export([1])).toMatchObject({ ok: true, attempts: 2 });
    expect(await pipeline.export([2])).toMatchObject({ ok: true, attempts: 1 });
    expect(transport.requests.map((r) => r.encoding)).toEqual(['zstd', 'gzip', 'gzip']);
    expect(onError).not.toHaveBeenCalled();
    expect(pipeline.metrics()).toMatchObject({
      itemsSent: 2,
      retries: 1,
      exportsFailed: 0,
      failuresByCode: {},
      droppedByReason: { non_retryable: 0 },
    });
  });

  it('falls back to identity when the server accepts none of our encodings; a listed one is a plain failure', async () => {
    const compression = { name: 'zstd', compress: async (d: Uint8Array) => d.subarray(0, 3) };
    const refusing = setup(
      (req) =>
        req.encoding === 'identity'
          ? ok()
          : { code: Code.Unimplemented, message: 'no', acceptEncoding: ['identity'] },
      { compression, compressionMinBytes: 0 },
    );
    expect(await refusing.pipeline.export([1])).toMatchObject({ ok: true });
    expect(refusing.transport.requests.map((r) => [r.encoding, r.body.length])).toEqual([
      ['zstd', 3],
      ['identity', 10],
    ]);
    const listed = setup(
      () => ({ code: Code.Unimplemented, message: 'no such method', acceptEncoding: ['zstd'] }),
      { compression, compressionMinBytes: 0 },
    );
    expect(await listed.pipeline.export([1])).toMatchObject({
      ok: false,
      dropReason: 'non_retryable',
    });
    expect(listed.transport.requests).toHaveLength(1);
  });

  it('resends once per encoding: a server that never lists identity gets two sends, not a loop', async () => {
    const compress = async (d: Uint8Array) => d.subarray(0, 3);
    const compression = { name: 'zstd', compress, fallback: { name: 'gzip', compress } };
    const { pipeline, transport, onError } = setup(
      () => ({ code: Code.Unimplemented, message: 'no', acceptEncoding: ['br'] }),
      { compression, compressionMinBytes: 0 },
    );
    expect(await pipeline.export([1])).toMatchObject({
      ok: false,
      code: Code.Unimplemented,
      attempts: 2,
      dropReason: 'non_retryable',
    });
    expect(transport.requests.map((r) => r.encoding)).toEqual(['zstd', 'identity']);
    expect(pipeline.metrics()).toMatchObject({ retries: 1, exportsFailed: 1 });
    expect(onError).toHaveBeenCalledOnce();
  });

  it('treats partial success as success: reports, never retries', async () => {
    const onPartialSuccess = vi.fn();
    const { pipeline, transport } = setup(
      () => ({ code: Code.Ok, message: '', body: new Uint8Array([2]) }),
      { onPartialSuccess },
    );
    expect(await pipeline.export([1, 2, 3])).toMatchObject({
      ok: true,
      rejected: 2,
      message: 'some rejected',
    });
    expect(transport.requests).toHaveLength(1);
    expect(onPartialSuccess).toHaveBeenCalledWith({
      signal: 'traces',
      rejected: 2,
      message: 'some rejected',
    });
    expect(pipeline.metrics()).toMatchObject({ itemsSent: 3, itemsRejected: 2 });
  });

  it('counts an OK answer it cannot read as delivered, its partial_success unknown', async () => {
    const onPartialSuccess = vi.fn();
    const { pipeline, onError } = setup(
      (_req, n) => ({
        code: Code.Ok,
        message: '',
        ...(n === 1
          ? {
              responseUnread: 'br response message unread: not decodable here',
            }
          : { body: new Uint8Array([9, 9]) }),
      }),
      {
        onPartialSuccess,
        codec: {
          ...numberCodec(),
          decodeResponse: (body) => {
            if (body.length > 1) throw new Error('bad varint');
            return { rejected: 0, message: '' };
          },
        },
      },
    );
    expect(await pipeline.export([1, 2])).toMatchObject({ ok: true, rejected: 0 });
    expect(await pipeline.export([3])).toMatchObject({ ok: true, rejected: 0 });
    expect(onPartialSuccess.mock.calls.map(([info]) => info)).toEqual([
      {
        signal: 'traces',
        rejected: 0,
        message: 'partial_success unknown: br response message unread: not decodable here',
        unknown: true,
      },
      {
        signal: 'traces',
        rejected: 0,
        message: 'partial_success unknown: response message unread: bad varint',
        unknown: true,
      },
    ]);
    expect(onError).not.toHaveBeenCalled();
    expect(pipeline.metrics()).toMatchObject({
      itemsSent: 3,
      responsesUnread: 2,
      exportsFailed: 0,
      droppedByReason: { non_retryable: 0 },
    });
  });

  it('publishes the self-metrics through a real OpenTelemetry Meter', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const { pipeline } = setup(ok);
    recordSelfMetrics(provider.getMeter('self'), pipeline);
    await pipeline.export([1, 2]);
    await reader.forceFlush();
    const points = new Map(
      exporter
        .getMetrics()
        .at(-1)!
        .scopeMetrics[0]!.metrics.flatMap((m) =>
          m.dataPoints.map((p) => [
            `${m.descriptor.name} ${JSON.stringify(p.attributes)}`,
            p.value,
          ]),
        ),
    );
    expect(points.get('otlp.exporter.exported {"signal":"traces"}')).toBe(2);
    expect(points.get('otlp.exporter.dropped {"signal":"traces","reason":"queue_full"}')).toBe(0);
    expect(points.get('otlp.exporter.queued {"signal":"traces"}')).toBe(0);
    expect(points.get('otlp.exporter.retries {"signal":"traces"}')).toBe(0);
    expect(points.get('otlp.exporter.responses_unread {"signal":"traces"}')).toBe(0);
    await provider.shutdown();
  });

  it('names the bad option', () => {
    expect(() => setup(ok, { maxBatchItems: 0 })).toThrow(
      /option "maxBatchItems" must be a number >= 1, got 0/,
    );
    expect(() => setup(ok, { endpoints: [] })).toThrow(/endpoints/);
  });
});

describe('export() of values handed over directly', () => {
  it('cuts them into requests under maxRequestBytes and maxBatchItems, dropping only what cannot fit', async () => {
    const { pipeline, transport, onError } = setup(ok, { maxRequestBytes: 25, maxBatchItems: 3 });
    const outcome = await pipeline.export([1, 2, 3, 4, 5]);
    expect(transport.requests.map((r) => r.body.length)).toEqual([20, 20, 10]);
    expect(outcome).toMatchObject({ ok: true, items: 5, attempts: 1 });
    const big = setup(ok, { codec: numberCodec(30), maxRequestBytes: 25 });
    expect(await big.pipeline.export([1])).toMatchObject({
      ok: false,
      code: Code.ResourceExhausted,
      dropReason: 'too_large',
    });
    expect(big.transport.requests).toHaveLength(0);
    expect(big.pipeline.metrics().droppedByReason.too_large).toBe(1);
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('keepalive (page unload)', () => {
  it('keeps keepalive requests within the in-flight budget; what does not fit stays queued, counted', async () => {
    const gates: (() => void)[] = [];
    const { pipeline, transport } = setup(
      () => new Promise((resolve) => gates.push(() => resolve(ok()))),
      { keepaliveBudgetBytes: 25, maxBatchItems: 100, maxConcurrentExports: 4 },
    );
    const outcome = pipeline.export([1, 2, 3, 4, 5], { keepalive: true });
    await flushMicrotasks();
    // Cut to 20-byte requests; the second would pass 25 bytes in flight, so it is deferred.
    expect(transport.requests.map((r) => [r.body.length, r.keepalive])).toEqual([[20, true]]);
    gates.shift()!();
    expect(await outcome).toMatchObject({ ok: true, items: 5 });
    expect(pipeline.metrics()).toMatchObject({
      itemsSent: 2,
      deferredItems: 3,
      queuedItems: 3,
      droppedByReason: { queue_full: 0 },
    });
    // The next (ordinary) flush sends what was deferred.
    await flushAll(pipeline, gates);
    expect(pipeline.metrics()).toMatchObject({ itemsSent: 5, queuedItems: 0 });
  });
  it('a held request that still does not fit is held again, never retried in a loop', async () => {
    const gates: (() => void)[] = [];
    const { pipeline, transport } = setup(
      () => new Promise((resolve) => gates.push(() => resolve(ok()))),
      { keepaliveBudgetBytes: 25, maxBatchItems: 100, maxConcurrentExports: 4 },
    );
    const first = pipeline.export([1, 2, 3, 4, 5], { keepalive: true });
    await flushMicrotasks();
    expect(pipeline.metrics()).toMatchObject({ deferredItems: 3, queuedItems: 3 });
    // The first request still holds the budget: both held requests are turned away again,
    // once each, by a keepalive export and by a keepalive flush alike.
    expect(await pipeline.export([], { keepalive: true })).toMatchObject({ ok: true, items: 0 });
    expect(pipeline.metrics()).toMatchObject({ deferredItems: 6, queuedItems: 3 });
    const flush = pipeline.forceFlush({ keepalive: true });
    await flushMicrotasks();
    expect(pipeline.metrics()).toMatchObject({ deferredItems: 9, queuedItems: 3 });
    expect(transport.requests).toHaveLength(1);
    gates.shift()!();
    await Promise.all([first, flush]);
    // The budget is free again: the next ordinary flush sends both, nothing lost.
    await flushAll(pipeline, gates);
    expect(pipeline.metrics()).toMatchObject({ itemsSent: 5, queuedItems: 0, queuedBytes: 0 });
  });
});

describe('keepalive compression', () => {
  it('sends keepalive requests uncompressed, so they leave before the page does', async () => {
    const compression = {
      name: 'gzip',
      compress: vi.fn(async (d: Uint8Array) => d.subarray(0, 3)),
    };
    const { pipeline, transport } = setup(ok, { compression, compressionMinBytes: 0 });
    await pipeline.export([1, 2], { keepalive: true });
    await pipeline.export([1, 2]);
    expect(transport.requests.map((r) => [r.encoding, r.keepalive ?? false])).toEqual([
      ['identity', true],
      ['gzip', false],
    ]);
    expect(compression.compress).toHaveBeenCalledTimes(1);
  });
});

describe('self-metrics snapshot', () => {
  it('is a deep copy with every field, lastError included', async () => {
    const { pipeline } = setup();
    const first = pipeline.metrics();
    expect(Object.hasOwn(first, 'lastError')).toBe(true);
    expect(first.lastError).toBeUndefined();
    first.droppedByReason.queue_full = 99;
    first.latency.count = 99;
    await pipeline.export([1]);
    const second = pipeline.metrics();
    expect(second.droppedByReason.queue_full).toBe(0);
    expect(second.latency.count).toBe(1);
    expect(first.itemsSent).toBe(0);
  });
});
