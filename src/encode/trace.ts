import { attributes, groupedRequest } from './common.js';
import type { EncodeOptions } from './limits.js';
import type { SpanContextLike, SpanLike } from './sdk-types.js';
import {
  createWriter,
  finish,
  fixed32Field,
  idField,
  join,
  open,
  strField,
  stringField,
  timeField,
  uintField,
  type Writer,
} from './writer.js';

// opentelemetry/proto/trace/v1/trace.proto; the request is
// ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }.

/**
 * Encodes finished SDK spans as an OTLP ExportTraceServiceRequest, grouped by resource then
 * instrumentation scope. Reads the span objects directly, with no intermediate OTLP object
 * tree, so it is fast and allocates little; the bytes equal those of
 * @opentelemetry/otlp-transformer's ProtobufTraceSerializer for the same spans.
 */
export function encodeTraceExport(spans: readonly SpanLike[], options?: EncodeOptions): Uint8Array {
  const w = createWriter(spans.length * 512 + 1024, options);
  groupedRequest(w, spans, writeSpan);
  return finish(w);
}

// Span.flags / Link.flags: W3C trace flags plus "has is_remote" (0x100) and "is remote"
// (0x200).
function flags(w: Writer, field: number, traceFlags: number, ctx: SpanContextLike | undefined) {
  fixed32Field(w, field, (traceFlags & 0xff) | 0x100 | (ctx?.isRemote ? 0x200 : 0));
}

// Absent counts (undefined) are written as 0: varint writes NaN as 0.
// Span: trace_id 1, span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6, start 7,
// end 8, attributes 9, dropped_attributes_count 10, events 11, dropped_events_count 12,
// links 13, dropped_links_count 14, status 15, flags 16. The dropped counts and the status
// code are written even when 0, as OTel's serializer does.
function writeSpan(w: Writer, span: SpanLike): void {
  const start = open(w, 2);
  const ctx = span.spanContext();
  idField(w, 1, ctx.traceId);
  idField(w, 2, ctx.spanId);
  stringField(w, 3, ctx.traceState?.serialize());
  const parent = span.parentSpanContext;
  idField(w, 4, parent ? parent.spanId : span.parentSpanId);
  strField(w, 5, span.name);
  // The API's SpanKind starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0. No kind gives
  // NaN, which varint writes as 0.
  uintField(w, 6, span.kind + 1);
  timeField(w, 7, span.startTime);
  timeField(w, 8, span.endTime);
  attributes(w, 9, span.attributes);
  uintField(w, 10, span.droppedAttributesCount);
  for (const event of span.events ?? []) {
    const e = open(w, 11);
    timeField(w, 1, event.time);
    strField(w, 2, event.name);
    attributes(w, 3, event.attributes);
    uintField(w, 4, event.droppedAttributesCount);
    join(w, e);
  }
  uintField(w, 12, span.droppedEventsCount);
  for (const link of span.links ?? []) {
    const lc = link.context;
    const l = open(w, 13);
    idField(w, 1, lc.traceId);
    idField(w, 2, lc.spanId);
    stringField(w, 3, lc.traceState?.serialize());
    attributes(w, 4, link.attributes);
    uintField(w, 5, link.droppedAttributesCount);
    flags(w, 6, lc.traceFlags, lc);
    join(w, l);
  }
  uintField(w, 14, span.droppedLinksCount);
  const status = open(w, 15);
  stringField(w, 2, span.status?.message);
  uintField(w, 3, span.status?.code);
  join(w, status);
  flags(w, 16, ctx.traceFlags, parent);
  join(w, start);
}
