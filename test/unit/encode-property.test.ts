// Property-based round trips: arbitrary SDK-shaped spans, log records and metrics, encoded
// by src/encode and decoded with the gen/ schemas, must equal (1) the same data built
// independently with protobuf-es create() (test/unit/encode-expected.ts), and (2) what
// OpenTelemetry's own serializers produce for the same input, where OTel accepts it.
// Compared by canonical re-encoding (toBinary of the decoded message), which is exact for
// NaN and -0, with canonical JSON in the failure message.
import {
  type DescMessage,
  fromBinary,
  type MessageShape,
  toBinary,
  toJson,
} from '@bufbuild/protobuf';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import {
  createEncodeStats,
  encodeLogsExport,
  encodeMetricsExport,
  encodeTraceExport,
} from '../../src/encode/index.js';
import { logs, resourceMetrics, spans } from './encode-arbitraries.js';
import { expectedLogs, expectedMetrics, expectedTrace } from './encode-expected.js';

const runs = { seed: 20261201, numRuns: 150 };
const any = { wellFormed: false, extras: true };
const otelSafe = { wellFormed: true, extras: false };

function same<D extends DescMessage>(
  schema: D,
  actual: MessageShape<D>,
  expected: MessageShape<D>,
) {
  const a = toBinary(schema, actual);
  const b = toBinary(schema, expected);
  if (Buffer.compare(a, b) !== 0) {
    expect(toJson(schema, actual)).toEqual(toJson(schema, expected));
    expect(a).toEqual(b);
  }
}

// OTel writes an absent log body as an empty AnyValue; we leave the field out. Both mean
// "no body"; compare them as equal.
function withoutEmptyBodies(m: MessageShape<typeof ExportLogsServiceRequestSchema>) {
  for (const rl of m.resourceLogs)
    for (const sl of rl.scopeLogs)
      for (const r of sl.logRecords) if (r.body?.value.case === undefined) r.body = undefined;
  return m;
}

describe('property: ours decodes to the create() build of the same data', () => {
  it('spans', () => {
    fc.assert(
      fc.property(spans(any), (list) => {
        const stats = createEncodeStats();
        const decoded = fromBinary(
          ExportTraceServiceRequestSchema,
          encodeTraceExport(list, { stats }),
        );
        same(ExportTraceServiceRequestSchema, decoded, expectedTrace(list as never));
        expect(stats).toEqual(createEncodeStats()); // nothing out of bounds was generated
      }),
      runs,
    );
  });

  it('log records', () => {
    fc.assert(
      fc.property(logs(any), (list) => {
        const decoded = fromBinary(ExportLogsServiceRequestSchema, encodeLogsExport(list));
        same(ExportLogsServiceRequestSchema, decoded, expectedLogs(list as never));
      }),
      runs,
    );
  });

  it('metrics of every kind, exemplars and flags included', () => {
    fc.assert(
      fc.property(resourceMetrics(any), (rm) => {
        const decoded = fromBinary(ExportMetricsServiceRequestSchema, encodeMetricsExport(rm));
        same(ExportMetricsServiceRequestSchema, decoded, expectedMetrics(rm));
      }),
      runs,
    );
  });
});

describe('property: ours decodes to what OTel serializers produce', () => {
  it('spans (ProtobufTraceSerializer)', () => {
    fc.assert(
      fc.property(spans(otelSafe), (list) => {
        const ours = fromBinary(ExportTraceServiceRequestSchema, encodeTraceExport(list));
        const otel = ProtobufTraceSerializer.serializeRequest(list as never);
        same(
          ExportTraceServiceRequestSchema,
          ours,
          fromBinary(ExportTraceServiceRequestSchema, otel!),
        );
      }),
      runs,
    );
  });

  it('log records (ProtobufLogsSerializer)', () => {
    fc.assert(
      fc.property(logs(otelSafe), (list) => {
        const ours = fromBinary(ExportLogsServiceRequestSchema, encodeLogsExport(list));
        const otel = ProtobufLogsSerializer.serializeRequest(list as never);
        same(
          ExportLogsServiceRequestSchema,
          withoutEmptyBodies(ours),
          withoutEmptyBodies(fromBinary(ExportLogsServiceRequestSchema, otel!)),
        );
      }),
      runs,
    );
  });

  it('metrics (ProtobufMetricsSerializer)', () => {
    fc.assert(
      fc.property(resourceMetrics(otelSafe), (rm) => {
        const ours = fromBinary(ExportMetricsServiceRequestSchema, encodeMetricsExport(rm));
        const otel = ProtobufMetricsSerializer.serializeRequest(rm as never);
        same(
          ExportMetricsServiceRequestSchema,
          ours,
          fromBinary(ExportMetricsServiceRequestSchema, otel!),
        );
      }),
      runs,
    );
  });
});
