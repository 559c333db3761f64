import { attributesAndDropped, encodeGrouped, value } from './common.js';
import type { EncodeOptions } from './limits.js';
import type { LogRecordLike } from './sdk-types.js';
import { fixed32Field, idField, join, open, stringField, timeField, uintField } from './writer.js';

// opentelemetry/proto/logs/v1/logs.proto; the request is
// ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }.

/**
 * Encodes SDK log records as an OTLP ExportLogsServiceRequest, grouped by resource then
 * instrumentation scope. Bytes equal @opentelemetry/otlp-transformer's
 * ProtobufLogsSerializer output for the same records.
 */
export function encodeLogsExport(
  logs: readonly LogRecordLike[],
  options?: EncodeOptions,
): Uint8Array {
  return encodeGrouped(logs, writeLogRecord, options);
}

// LogRecord: time 1, severity_number 2, severity_text 3, body 5, attributes 6,
// dropped_attributes_count 7 (always written, as OTel does), flags 8, trace_id 9,
// span_id 10, observed_time 11, event_name 12.
function writeLogRecord(record: LogRecordLike): void {
  const start = open(2);
  timeField(1, record.hrTime);
  if (record.severityNumber) uintField(2, record.severityNumber);
  stringField(3, record.severityText);
  if (record.body !== undefined) value(5, record.body);
  attributesAndDropped(6, record);
  const ctx = record.spanContext;
  if (ctx?.traceFlags) fixed32Field(8, ctx.traceFlags);
  idField(9, ctx?.traceId);
  idField(10, ctx?.spanId);
  timeField(11, record.hrTimeObserved);
  stringField(12, record.eventName);
  join(start);
}
