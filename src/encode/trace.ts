import { attributesAndDropped, encodeGrouped } from './common.js';
import {
  EVENT_ATTRIBUTES,
  EVENT_NAME,
  EVENT_TIME_UNIX_NANO,
  LINK_ATTRIBUTES,
  LINK_FLAGS,
  SCOPE_SPANS_SPANS,
  SPAN_ATTRIBUTES,
  SPAN_DROPPED_EVENTS_COUNT,
  SPAN_DROPPED_LINKS_COUNT,
  SPAN_END_TIME_UNIX_NANO,
  SPAN_EVENTS,
  SPAN_FLAGS,
  SPAN_KIND,
  SPAN_LINKS,
  SPAN_NAME,
  SPAN_PARENT_SPAN_ID,
  SPAN_SPAN_ID,
  SPAN_START_TIME_UNIX_NANO,
  SPAN_STATUS,
  SPAN_TRACE_ID,
  SPAN_TRACE_STATE,
  STATUS_CODE,
  STATUS_MESSAGE,
} from './fields.js';
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
  return encodeGrouped(spans, writeSpan, options);
}

// The same fields in Span and Link.
function context(w: Writer, ctx: SpanContextLike): void {
  idField(w, SPAN_TRACE_ID, ctx.traceId);
  idField(w, SPAN_SPAN_ID, ctx.spanId);
  stringField(w, SPAN_TRACE_STATE, ctx.traceState?.serialize());
}

// Absent counts (undefined) are written as 0: varint writes NaN as 0. The dropped counts
// and the status code are written even when 0, as OTel's serializer does.
function writeSpan(w: Writer, span: SpanLike): void {
  const start = open(w, SCOPE_SPANS_SPANS);
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  context(w, ctx);
  idField(w, SPAN_PARENT_SPAN_ID, parent ? parent.spanId : span.parentSpanId);
  strField(w, SPAN_NAME, span.name);
  // The API's SpanKind starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0. No kind gives
  // NaN, which varint writes as 0.
  uintField(w, SPAN_KIND, span.kind + 1);
  timeField(w, SPAN_START_TIME_UNIX_NANO, span.startTime);
  timeField(w, SPAN_END_TIME_UNIX_NANO, span.endTime);
  attributesAndDropped(w, SPAN_ATTRIBUTES, span);
  for (const event of span.events ?? []) {
    const e = open(w, SPAN_EVENTS);
    timeField(w, EVENT_TIME_UNIX_NANO, event.time);
    strField(w, EVENT_NAME, event.name);
    attributesAndDropped(w, EVENT_ATTRIBUTES, event);
    join(w, e);
  }
  uintField(w, SPAN_DROPPED_EVENTS_COUNT, span.droppedEventsCount);
  for (const link of span.links ?? []) {
    const lc = link.context;
    const l = open(w, SPAN_LINKS);
    context(w, lc);
    attributesAndDropped(w, LINK_ATTRIBUTES, link);
    // Link.flags and Span.flags: W3C trace flags plus "has is_remote" (0x100) and "is
    // remote" (0x200) of the linked context, of the parent for a span.
    fixed32Field(w, LINK_FLAGS, (lc.traceFlags & 0xff) | 0x100 | (+!!lc.isRemote << 9));
    join(w, l);
  }
  uintField(w, SPAN_DROPPED_LINKS_COUNT, span.droppedLinksCount);
  const status = open(w, SPAN_STATUS);
  stringField(w, STATUS_MESSAGE, span.status?.message);
  uintField(w, STATUS_CODE, span.status?.code);
  join(w, status);
  fixed32Field(w, SPAN_FLAGS, (ctx.traceFlags & 0xff) | 0x100 | (+!!parent?.isRemote << 9));
  join(w, start);
}
