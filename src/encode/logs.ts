import { attributesAndDropped, encodeGrouped, value } from './common.js';
import {
  LOG_RECORD_ATTRIBUTES,
  LOG_RECORD_BODY,
  LOG_RECORD_EVENT_NAME,
  LOG_RECORD_FLAGS,
  LOG_RECORD_OBSERVED_TIME_UNIX_NANO,
  LOG_RECORD_SEVERITY_NUMBER,
  LOG_RECORD_SEVERITY_TEXT,
  LOG_RECORD_SPAN_ID,
  LOG_RECORD_TIME_UNIX_NANO,
  LOG_RECORD_TRACE_ID,
  SCOPE_LOGS_LOG_RECORDS,
} from './fields.js';
import type { EncodeOptions } from './limits.js';
import type { LogRecordLike } from './sdk-types.js';
import {
  fixed32Field,
  idField,
  join,
  open,
  stringField,
  timeField,
  uintField,
  type Writer,
} from './writer.js';

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

// dropped_attributes_count is always written, as OTel does.
function writeLogRecord(w: Writer, record: LogRecordLike): void {
  const start = open(w, SCOPE_LOGS_LOG_RECORDS);
  timeField(w, LOG_RECORD_TIME_UNIX_NANO, record.hrTime);
  if (record.severityNumber) uintField(w, LOG_RECORD_SEVERITY_NUMBER, record.severityNumber);
  stringField(w, LOG_RECORD_SEVERITY_TEXT, record.severityText);
  if (record.body !== undefined) value(w, LOG_RECORD_BODY, record.body);
  attributesAndDropped(w, LOG_RECORD_ATTRIBUTES, record);
  const ctx = record.spanContext;
  if (ctx?.traceFlags) fixed32Field(w, LOG_RECORD_FLAGS, ctx.traceFlags);
  idField(w, LOG_RECORD_TRACE_ID, ctx?.traceId);
  idField(w, LOG_RECORD_SPAN_ID, ctx?.spanId);
  timeField(w, LOG_RECORD_OBSERVED_TIME_UNIX_NANO, record.hrTimeObserved);
  stringField(w, LOG_RECORD_EVENT_NAME, record.eventName);
  join(w, start);
}
