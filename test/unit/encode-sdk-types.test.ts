import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
  type LogRecordLike,
  type ResourceMetricsLike,
  type SpanLike,
} from '../../src/encode/index.js';
import { makeEveryLog, makeEveryMetric, makeEverySpan } from './encode-fixtures.js';

// src/encode declares the SDK shapes structurally (so the package's types never need the
// SDK). These assignments are the contract: `npm run typecheck` fails if an SDK release
// changes a shape the encoders read.
const spanFits = (s: ReadableSpan): SpanLike => s;
const logFits = (l: ReadableLogRecord): LogRecordLike => l;
const metricsFits = (m: ResourceMetrics): ResourceMetricsLike => m;

describe('SDK objects fit the encoders structural types', () => {
  it('spans, logs and metrics from the real SDK encode through the declared types', async () => {
    expect(encodeTraceExport(makeEverySpan().map(spanFits)).length).toBeGreaterThan(0);
    expect(encodeLogsExport(makeEveryLog().map(logFits)).length).toBeGreaterThan(0);
    expect(encodeMetricsExport(metricsFits(await makeEveryMetric())).length).toBeGreaterThan(0);
  });
});
