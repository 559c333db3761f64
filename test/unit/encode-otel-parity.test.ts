import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
} from '../../src/encode/index.js';
import {
  makeEveryLog,
  makeEveryMetric,
  makeEverySpan,
  makeRealisticSpans,
} from './encode-fixtures.js';

// Our encoders must produce exactly the bytes of OpenTelemetry's own serializers for the
// same real SDK objects: same fields, same order, same defaults written.
function hex(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('hex');
}

describe('byte-for-byte parity with @opentelemetry/otlp-transformer', () => {
  it('traces: every field and attribute type', () => {
    const spans = makeEverySpan();
    expect(hex(encodeTraceExport(spans))).toBe(
      hex(ProtobufTraceSerializer.serializeRequest(spans)),
    );
  });

  it('traces: 512 realistic spans', () => {
    const spans = makeRealisticSpans(512);
    const ours = encodeTraceExport(spans);
    expect(ours.length).toBeGreaterThan(100_000);
    expect(hex(ours)).toBe(hex(ProtobufTraceSerializer.serializeRequest(spans)));
  });

  it('traces: one span, and no spans', () => {
    const spans = makeRealisticSpans(1);
    expect(hex(encodeTraceExport(spans))).toBe(
      hex(ProtobufTraceSerializer.serializeRequest(spans)),
    );
    expect(encodeTraceExport([]).length).toBe(0);
  });

  it.each([
    ['cumulative', AggregationTemporality.CUMULATIVE],
    ['delta', AggregationTemporality.DELTA],
  ])('metrics: every instrument type, %s', async (_, temporality) => {
    const metrics = await makeEveryMetric(temporality);
    expect(hex(encodeMetricsExport(metrics))).toBe(
      hex(ProtobufMetricsSerializer.serializeRequest(metrics)),
    );
  });

  it('logs: every body and attribute type', () => {
    const logs = makeEveryLog();
    expect(hex(encodeLogsExport(logs))).toBe(hex(ProtobufLogsSerializer.serializeRequest(logs)));
  });
});
