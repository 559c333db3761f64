import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SelfMetricsSnapshot } from '../../src/core/self-metrics.js';
import { OTLPTraceExporter } from '../../src/node/index.js';
import { attrs, startTestReceiver, type TestReceiver, until } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector } from '../helpers/collector.js';

// A real OpenTelemetry Collector refusing data: its memory_limiter refusing everything
// (UNAVAILABLE, "data refused due to high memory usage"), and the Collector stopped and
// started again on the same port mid-run (connection refused: UNAVAILABLE). The exporter
// retries UNAVAILABLE as the OTLP rules say, and every span generated is accounted for
// exactly: delivered (at the receiver) + dropped (self-metrics) == generated.

let received: TestReceiver;
beforeAll(async () => {
  received = await startTestReceiver();
});
afterAll(() => received?.close());

const dropped = (m: SelfMetricsSnapshot) =>
  Object.values(m.droppedByReason).reduce((a, b) => a + b, 0);
const delivered = (run: string) =>
  new Set(
    received
      .spans()
      .filter((s) => attrs(s.span.attributes).run === run)
      .map((s) => s.span.name),
  ).size;

describe('a Collector that refuses', () => {
  let collector: RunningCollector;
  afterAll(() => collector?.stop());

  it('memory_limiter: retried while the deadline allows, then dropped and counted', async () => {
    collector = await startCollector({
      forwardTo: `127.0.0.1:${received.receiver.port}`,
      memoryLimitMiB: 1,
      buffered: false,
    });
    // The limiter checks every 100 ms; after its first check it refuses everything.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exporter = new OTLPTraceExporter({
      url: collector.url,
      retry: { initialBackoffMs: 20, maxBackoffMs: 50, maxAttempts: 4 },
    });
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 50 })],
    });
    const tracer = provider.getTracer('refusal');
    for (let i = 0; i < 200; i++) {
      tracer.startSpan(`limited ${i}`, { attributes: { run: 'limited' } }).end();
    }
    // The SDK passes the first failed export on, without waiting for the others.
    await expect(provider.shutdown()).rejects.toThrow('data refused due to high memory usage');
    await exporter.shutdown();
    const m = exporter.metrics();
    expect(m.lastError?.message).toContain('data refused due to high memory usage');
    // 4 exports of 50, each tried 4 times (UNAVAILABLE is retryable), then dropped.
    expect(m).toMatchObject({
      itemsSent: 0,
      exports: 4,
      exportsFailed: 4,
      retries: 12,
      failuresByCode: { unavailable: 16 },
      droppedByReason: { retries_exhausted: 200 },
    });
    expect(delivered('limited') + dropped(m)).toBe(200);
    expect(delivered('limited')).toBe(0);
    await collector.stop();
  });

  it('stopped and started again mid-run: delivered + dropped == generated, exactly', async () => {
    collector = await startCollector({
      forwardTo: `127.0.0.1:${received.receiver.port}`,
      buffered: false,
    });
    // A 1.5 s deadline against 3 s of downtime: exports caught by it are dropped, the
    // rest retried into the restarted Collector.
    const exporter = new OTLPTraceExporter({
      url: collector.url,
      timeoutMillis: 1500,
      retry: { initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50, maxExportBatchSize: 20 }),
      ],
    });
    const tracer = provider.getTracer('refusal');
    let generated = 0;
    const produce = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        for (let i = 0; i < 10; i++) {
          tracer.startSpan(`restart ${generated++}`, { attributes: { run: 'restart' } }).end();
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await produce(500);
    await collector.halt();
    await produce(3000);
    await collector.start();
    await produce(1000);
    // Rejects when an export failed, without waiting for the others.
    await provider.shutdown().catch(() => {});
    await exporter.shutdown();
    const m = exporter.metrics();
    expect(m.retries).toBeGreaterThan(0);
    expect(m.failuresByCode.unavailable).toBeGreaterThan(0);
    expect(m.droppedByReason.retries_exhausted + m.droppedByReason.deadline).toBe(dropped(m));
    expect(dropped(m)).toBeGreaterThan(0);
    expect(m.itemsSent + dropped(m)).toBe(generated);
    await until(
      () => delivered('restart') === m.itemsSent,
      'the acknowledged spans at the receiver',
    );
    expect(delivered('restart') + dropped(m)).toBe(generated);
  });
});
