import { anyValue, attributes, groupedRequest } from './common.js';
import type { EncodeOptions } from './limits.js';
import type { LogRecordLike } from './sdk-types.js';
import {
  createWriter,
  finish,
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
  const w = createWriter(logs.length * 512 + 1024, options);
  groupedRequest(w, logs, writeLogRecord);
  return finish(w);
}

// LogRecord: time 1, severity_number 2, severity_text 3, body 5, attributes 6,
// dropped_attributes_count 7 (always written, as OTel does), flags 8, trace_id 9,
// span_id 10, observed_time 11, event_name 12.
function writeLogRecord(w: Writer, record: LogRecordLike): void {
  const start = open(w, 2);
  timeField(w, 1, record.hrTime);
  if (record.severityNumber) uintField(w, 2, record.severityNumber);
  stringField(w, 3, record.severityText);
  if (record.body !== undefined) {
    const body = open(w, 5);
    anyValue(w, record.body);
    join(w, body);
  }
  attributes(w, 6, record.attributes);
  uintField(w, 7, record.droppedAttributesCount);
  const ctx = record.spanContext;
  if (ctx?.traceFlags) fixed32Field(w, 8, ctx.traceFlags);
  idField(w, 9, ctx?.traceId);
  idField(w, 10, ctx?.spanId);
  timeField(w, 11, record.hrTimeObserved);
  stringField(w, 12, record.eventName);
  join(w, start);
}
