import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { countDataPoints } from '../../src/encode/metrics.js';
import { encodeTraceExport } from '../../src/encode/trace.js';
import { sdkLogs, sdkMetrics, sdkSpans } from '../../src/loadgen/sdk-telemetry.js';
import { createRandom } from '../../src/loadgen/synthetic.js';

// otlp-loadgen sends real SDK objects: exactly as many as asked, reproducible by seed.
describe('otlp-loadgen SDK telemetry', () => {
  it.each([1, 2, 3, 7, 512])('makes exactly %i spans, reproducibly', (n) => {
    const a = sdkSpans(n, createRandom(5));
    expect(a).toHaveLength(n);
    expect(
      a.every((s) => s.ended && s.resource.attributes['service.name'] === 'shop-frontend'),
    ).toBe(true);
    const ids = (list: typeof a) => list.map((s) => s.spanContext().spanId);
    expect(ids(sdkSpans(n, createRandom(5)))).toEqual(ids(a));
    const decoded = fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport(a));
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(n);
  });

  it('makes log records, about half inside a trace', () => {
    const logs = sdkLogs(400, createRandom(3));
    expect(logs).toHaveLength(400);
    const traced = logs.filter((l) => l.spanContext?.traceId).length;
    expect(traced).toBeGreaterThan(120);
    expect(traced).toBeLessThan(280);
  });

  it.each([1, 90, 512])('collects exactly %i metric data points', async (n) => {
    const rm = await sdkMetrics(n, createRandom(1));
    expect(countDataPoints(rm)).toBe(n);
  });
});
