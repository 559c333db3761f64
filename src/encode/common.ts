import type { AttributeMap, ResourceLike, ScopeLike } from './sdk-types.js';

/** What {@link groupedRequest} groups by: spans and log records, SDK 2.x or 1.x. */
export interface GroupedItem {
  readonly resource: ResourceLike;
  readonly instrumentationScope?: ScopeLike | undefined;
  /** SDK 1.x's name for instrumentationScope. */
  readonly instrumentationLibrary?: ScopeLike | undefined;
}

import {
  bytes,
  double,
  join,
  open,
  strField,
  stringField,
  tag,
  uintField,
  type Writer,
} from './writer.js';

// opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto.
// Field choices mirror @opentelemetry/otlp-transformer's serializer, so that our bytes
// equal theirs for the same SDK objects (test/unit/encode-otel-parity.test.ts).

const INT64_LIMIT = 2 ** 63;

/**
 * Writes one repeated KeyValue field per own enumerable key of `attributes`, in property
 * order (the order `Object.keys` gives).
 */
export function attributes(w: Writer, field: number, map: AttributeMap | undefined): void {
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const kv = open(w, field);
    strField(w, 1, key);
    const v = open(w, 2);
    anyValue(w, map[key]);
    join(w, v);
    join(w, kv);
  }
}

/**
 * Writes the fields of an AnyValue (the message body, without tag or length): string,
 * bool, int64 for integers in int64 range, double otherwise, bytes, arrays and maps,
 * recursively. null and undefined write nothing (an empty AnyValue).
 */
export function anyValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      strField(w, 1, value);
      return;
    case 'boolean':
      uintField(w, 2, +value);
      return;
    case 'number':
      // Integers beyond 2^53 that are exact doubles still fit int64, hence not isSafeInteger.
      if (Number.isInteger(value) && value >= -INT64_LIMIT && value < INT64_LIMIT) {
        uintField(w, 3, value);
      } else {
        tag(w, 4, 1);
        double(w, value);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Uint8Array) {
        tag(w, 7, 2);
        bytes(w, value);
        return;
      }
      // Too deep, or a value inside itself: an empty AnyValue instead (limits.ts).
      const stack = w.stack;
      if (stack.length >= w.depth || stack.includes(value)) {
        w.stats.droppedValues++;
        return;
      }
      stack.push(value);
      const isArray = Array.isArray(value);
      const list = open(w, isArray ? 5 : 6);
      if (isArray) {
        for (const item of value) {
          const v = open(w, 1);
          anyValue(w, item);
          join(w, v);
        }
      } else {
        attributes(w, 1, value as AttributeMap);
      }
      join(w, list);
      stack.pop();
    }
  }
}

/** Writes a Resource message as field `field`. */
export function resource(w: Writer, field: number, res: ResourceLike): void {
  const start = open(w, field);
  attributes(w, 1, res?.attributes);
  // dropped_attributes_count: the SDK does not track it; written as 0 like OTel's serializer.
  uintField(w, 2, 0);
  join(w, start);
}

/** Writes an InstrumentationScope message as field `field`. */
export function scope(w: Writer, field: number, s: ScopeLike): void {
  const start = open(w, field);
  strField(w, 1, s.name);
  stringField(w, 2, s.version);
  attributes(w, 3, s.attributes);
  if (s.droppedAttributesCount) uintField(w, 4, s.droppedAttributesCount);
  join(w, start);
}

/**
 * Writes ResourceX { resource = 1; repeated ScopeX scope_x = 2; schema_url = 3 } messages
 * as field 1 of an export request (ResourceSpans, ResourceLogs): items grouped by resource,
 * then by instrumentation scope, both by object identity (the SDK shares one object per
 * resource and per tracer or logger), in first-seen order. `item` writes one item as
 * field 2 of its ScopeX message. SDK 1.x objects (`instrumentationLibrary`) are read too.
 */
export function groupedRequest<T extends GroupedItem>(
  w: Writer,
  items: readonly T[],
  item: (w: Writer, value: T) => void,
): void {
  const byResource = new Map<ResourceLike, Map<ScopeLike, T[]>>();
  for (const value of items) {
    let byScope = byResource.get(value.resource);
    if (!byScope) {
      byScope = new Map();
      byResource.set(value.resource, byScope);
    }
    const sc = value.instrumentationScope ?? value.instrumentationLibrary ?? ({} as ScopeLike);
    const list = byScope.get(sc);
    if (list) list.push(value);
    else byScope.set(sc, [value]);
  }
  for (const [res, byScope] of byResource) {
    const r = open(w, 1);
    resource(w, 1, res);
    for (const [sc, list] of byScope) {
      const s = open(w, 2);
      scope(w, 1, sc);
      for (const value of list) item(w, value);
      stringField(w, 3, sc.schemaUrl);
      join(w, s);
    }
    stringField(w, 3, res?.schemaUrl);
    join(w, r);
  }
}
