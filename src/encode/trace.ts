import { attributesAndDropped, encodeGrouped } from './common.js';
import type { EncodeOptions } from './limits.js';
import type { SpanContextLike, SpanLike } from './sdk-types.js';
import {
  fixed32Field,
  idField,
  join,
  open,
  strField,
  stringField,
  timeField,
  uintField,
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
  return encodeGrouped(spans, writeSpan, options);
}

// trace_id 1, span_id 2, trace_state 3: the same fields in Span and Link.
function context(ctx: SpanContextLike): void {
  idField(1, ctx.traceId);
  idField(2, ctx.spanId);
  stringField(3, ctx.traceState?.serialize());
}

// Span.flags / Link.flags: W3C trace flags plus "has is_remote" (0x100) and "is remote"
// (0x200).
function flags(field: number, traceFlags: number, ctx: SpanContextLike | undefined): void {
  fixed32Field(field, (traceFlags & 0xff) | 0x100 | (+!!ctx?.isRemote << 9));
}

// Absent counts (undefined) are written as 0: varint writes NaN as 0.
// Span: trace_id 1, span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6, start 7,
// end 8, attributes 9, dropped_attributes_count 10, events 11, dropped_events_count 12,
// links 13, dropped_links_count 14, status 15, flags 16. The dropped counts and the status
// code are written even when 0, as OTel's serializer does.
function writeSpan(span: SpanLike): void {
  const start = open(2);
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  context(ctx);
  idField(4, parent ? parent.spanId : span.parentSpanId);
  strField(5, span.name);
  // The API's SpanKind starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0. No kind gives
  // NaN, which varint writes as 0.
  uintField(6, span.kind + 1);
  timeField(7, span.startTime);
  timeField(8, span.endTime);
  attributesAndDropped(9, span);
  for (const event of span.events ?? []) {
    const e = open(11);
    timeField(1, event.time);
    strField(2, event.name);
    attributesAndDropped(3, event);
    join(e);
  }
  uintField(12, span.droppedEventsCount);
  for (const link of span.links ?? []) {
    const lc = link.context;
    const l = open(13);
    context(lc);
    attributesAndDropped(4, link);
    flags(6, lc.traceFlags, lc);
    join(l);
  }
  uintField(14, span.droppedLinksCount);
  const status = open(15);
  stringField(2, span.status?.message);
  uintField(3, span.status?.code);
  join(status);
  flags(16, ctx.traceFlags, parent);
  join(start);
}
