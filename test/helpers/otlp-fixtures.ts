import { create } from '@bufbuild/protobuf';
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  type ExportMetricsServiceRequest,
  ExportMetricsServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';

const resource = {
  attributes: [
    {
      key: 'service.name',
      value: { value: { case: 'stringValue' as const, value: 'receiver-test' } },
    },
  ],
};

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7 + 1) & 0xff);
}

/** Options for {@link traceRequest}. */
export interface TraceFixtureOptions {
  /** Spans whose trace id is 3 bytes long instead of 16 (invalid per OTLP). @default 0 */
  invalid?: number;
  /** Prefix of span names, to tell batches apart. @default 'span' */
  name?: string;
  /** Bytes of padding in an attribute, to make the request large. @default 0 */
  padding?: number;
}

/** An ExportTraceServiceRequest with `count` valid spans (and `invalid` invalid ones). */
export function traceRequest(
  count: number,
  options: TraceFixtureOptions = {},
): ExportTraceServiceRequest {
  const name = options.name ?? 'span';
  const spans = Array.from({ length: count + (options.invalid ?? 0) }, (_, i) => ({
    traceId: i < count ? bytes(16, i) : bytes(3, i),
    spanId: bytes(8, i + 100),
    name: `${name}-${i}`,
    kind: 1,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
    endTimeUnixNano: 1_700_000_000_100_000_000n + BigInt(i),
    attributes:
      options.padding === undefined
        ? []
        : [
            {
              key: 'pad',
              value: {
                value: { case: 'stringValue' as const, value: 'x'.repeat(options.padding) },
              },
            },
          ],
  }));
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'fixture' }, spans }] }],
  });
}

/** An ExportMetricsServiceRequest with one gauge holding `points` data points. */
export function metricsRequest(points: number): ExportMetricsServiceRequest {
  const dataPoints = Array.from({ length: points }, (_, i) => ({
    timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
    value: { case: 'asDouble' as const, value: i + 0.5 },
  }));
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            scope: { name: 'fixture' },
            metrics: [
              { name: 'queue.depth', unit: '1', data: { case: 'gauge', value: { dataPoints } } },
            ],
          },
        ],
      },
    ],
  });
}

/** An ExportLogsServiceRequest with `count` log records. */
export function logsRequest(count: number): ExportLogsServiceRequest {
  const logRecords = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
    severityNumber: 9,
    severityText: 'INFO',
    body: { value: { case: 'stringValue' as const, value: `record ${i}` } },
  }));
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'fixture' }, logRecords }] }],
  });
}
