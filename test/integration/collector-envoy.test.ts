import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { streamDecoders } from '../../src/web/compression.js';
import {
  createGrpcWebTransport,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../../src/web/index.js';
import { startTestReceiver, type TestReceiver } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector, watchDecoders } from '../helpers/collector.js';
import { expectAllSent, expectArrived, sendAllSignals } from '../helpers/collector-signals.js';

// The gRPC-web exporters (fetch, CompressionStream; Node's fetch here, Chromium in the e2e
// suite) through the project's Envoy (gRPC-web -> gRPC) to a real OpenTelemetry Collector,
// which forwards to the project's receiver: every signal, gzip (the default) and none,
// checked item by item. Envoy passes the Collector's gzip answer through; the client's
// DecompressionStream reads it.

let received: TestReceiver;
let collector: RunningCollector;
let envoy: RunningEnvoy;
beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  received = await startTestReceiver();
  collector = await startCollector({ forwardTo: `127.0.0.1:${received.receiver.port}` });
  envoy = await startEnvoy({ envoyPath, port: 0, upstreams: [`127.0.0.1:${collector.port}`] });
});
afterAll(async () => {
  await envoy?.stop();
  await collector?.stop();
  await received?.close();
});

describe.each(['gzip', 'none'] as const)(
  'gRPC-web exporters -> Envoy -> Collector, %s',
  (compression) => {
    it('delivers every span, data point and log record, and reads the answers', async () => {
      const decoded: string[] = [];
      const options = () => ({
        url: envoy.url,
        compression,
        transport: createGrpcWebTransport({ decoders: watchDecoders(streamDecoders(), decoded) }),
      });
      const exporters = {
        traces: new OTLPTraceExporter(options()),
        metrics: new OTLPMetricExporter(options()),
        logs: new OTLPLogExporter(options()),
      };
      await sendAllSignals(exporters, `web-${compression}`);
      expectAllSent(exporters);
      if (compression === 'gzip') expect(new Set(decoded)).toEqual(new Set(['gzip']));
      else expect(decoded).toEqual([]);
      await expectArrived(received, `web-${compression}`);
    });
  },
);
