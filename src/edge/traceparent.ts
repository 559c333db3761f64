import { type Context, createTraceState, ROOT_CONTEXT, trace } from '@opentelemetry/api';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The parent context a W3C `traceparent` header names (with its `tracestate`, kept for
 * the vendors that wrote it), or the root context when there is none or it is malformed (the W3C rule: a broken header starts a new trace, it does not
 * fail the request). Written here rather than taken from @opentelemetry/core's propagator
 * so the edge entry does not pull in the whole of core for one header.
 */
export function parentFromHeaders(headers: Headers): Context {
  const match = TRACEPARENT.exec((headers.get('traceparent') ?? '').trim().toLowerCase());
  if (!match) return ROOT_CONTEXT;
  const [, version, traceId, spanId, flags, rest] = match as unknown as string[];
  // Version ff is invalid; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest)) return ROOT_CONTEXT;
  if (/^0+$/.test(traceId!) || /^0+$/.test(spanId!)) return ROOT_CONTEXT;
  const state = headers.get('tracestate');
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: traceId!,
    spanId: spanId!,
    traceFlags: Number.parseInt(flags!, 16) & 1,
    isRemote: true,
    ...(state ? { traceState: createTraceState(state) } : {}),
  });
}
