import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcTransport,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
  zstdCompression,
} from '../../src/node/index.js';
import { zlibDecoders } from '../../src/node/zlib-compression.js';
import { attrs, startTestReceiver, type TestReceiver, until } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector, watchDecoders } from '../helpers/collector.js';
import { expectAllSent, expectArrived, sendAllSignals } from '../helpers/collector-signals.js';

// The Node exporters (native gRPC) to a real OpenTelemetry Collector 0.165 (otlp receiver,
// batch, otlp_grpc exporter with gzip), which forwards to the project's receiver: every
// signal, compression none / gzip / zstd, checked item by item where it lands. The
// Collector (grpc-go) answers a compressed request compressed in the same encoding, so
// these exports succeed only because the client decodes the answer; the decoders are
// watched to show which answers came compressed.

let received: TestReceiver;
let collector: RunningCollector;
beforeAll(async () => {
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
});
afterAll(async () => {
  await collector?.stop();
  await received?.close();
});

// Node 20's zlib has no zstd: "zstd" sends gzip there (and zstd from Node 22.15).
const zstdHere = zstdCompression() ? 'zstd' : 'gzip';

describe.each([
  ['none', undefined],
  ['gzip', 'gzip'],
  ['zstd', zstdHere],
] as const)('Node exporters -> Collector, compression %s', (compression, answered) => {
  it(`delivers every span, data point and log record${answered ? `; answers decoded from ${answered}` : ''}`, async () => {
    const decoded: string[] = [];
    const options = () => ({
      url: collector.url,
      compression,
      transport: createGrpcTransport({ decoders: watchDecoders(zlibDecoders(), decoded) }),
    });
    const exporters = {
      traces: new OTLPTraceExporter(options()),
      metrics: new OTLPMetricExporter(options()),
      logs: new OTLPLogExporter(options()),
    };
    await sendAllSignals(exporters, `node-${compression}`);
    expectAllSent(exporters);
    // Requests of 1 KiB and more go compressed; the Collector answers those in kind.
    if (answered) expect(new Set(decoded)).toEqual(new Set([answered]));
    else expect(decoded).toEqual([]);
    await expectArrived(received, `node-${compression}`);
  });
});

describe('Node exporter with default options -> Collector', () => {
  it('reports success for gzip exports the Collector answers in gzip', async () => {
    const exporter = new OTLPTraceExporter({ url: collector.url });
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('defaults');
    for (let i = 0; i < 200; i++) {
      tracer.startSpan(`default ${i}`, { attributes: { run: 'defaults' } }).end();
    }
    await provider.shutdown();
    expect(exporter.metrics()).toMatchObject({
      itemsSent: 200,
      exportsFailed: 0,
      responsesUnread: 0,
    });
    expect(exporter.metrics().bytesSent).toBeLessThan(exporter.metrics().bytesUncompressed / 2);
    await until(
      () =>
        received.spans().filter((s) => attrs(s.span.attributes).run === 'defaults').length === 200,
      '200 spans with default options',
    );
  });
});
