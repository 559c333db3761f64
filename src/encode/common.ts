import {
  ANY_VALUE_ARRAY_VALUE,
  ANY_VALUE_BOOL_VALUE,
  ANY_VALUE_BYTES_VALUE,
  ANY_VALUE_DOUBLE_VALUE,
  ANY_VALUE_INT_VALUE,
  ANY_VALUE_KVLIST_VALUE,
  ANY_VALUE_STRING_VALUE,
  KEY_VALUE_KEY,
  KEY_VALUE_VALUE,
  LIST_VALUES,
  REQUEST_RESOURCE_X,
  RESOURCE_ATTRIBUTES,
  RESOURCE_DROPPED_ATTRIBUTES_COUNT,
  RESOURCE_X_RESOURCE,
  RESOURCE_X_SCHEMA_URL,
  RESOURCE_X_SCOPE_X,
  SCOPE_ATTRIBUTES,
  SCOPE_DROPPED_ATTRIBUTES_COUNT,
  SCOPE_NAME,
  SCOPE_VERSION,
  SCOPE_X_SCHEMA_URL,
  SCOPE_X_SCOPE,
} from './fields.js';
import type { EncodeOptions } from './limits.js';
import type { AttributeMap, ResourceLike, ScopeLike } from './sdk-types.js';
import {
  bytesField,
  double,
  encode,
  join,
  open,
  strField,
  stringField,
  uintField,
  varint,
  type Writer,
} from './writer.js';

/** What {@link encodeGrouped} groups by: spans and log records, SDK 2.x or 1.x. */
export interface GroupedItem {
  readonly resource: ResourceLike;
  readonly instrumentationScope?: ScopeLike | undefined;
  /** SDK 1.x's name for instrumentationScope. */
  readonly instrumentationLibrary?: ScopeLike | undefined;
}

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
    // V8 reduces hasOwnProperty of a for-in's own key to `true` (Object.hasOwn it does not):
    // 5-7 % of the encoding. Called on {} so null-prototype maps work too.
    // biome-ignore lint/suspicious/noPrototypeBuiltins: measured faster than Object.hasOwn here
    if ({}.hasOwnProperty.call(map, key)) {
      const kv = open(w, field);
      strField(w, KEY_VALUE_KEY, key);
      value(w, KEY_VALUE_VALUE, map[key]);
      join(w, kv);
    }
  }
}

/**
 * Writes `attributes` as field `field` and `droppedAttributesCount` (0 when absent) as
 * field `field + 1`: the pair that spans, events, links and log records have.
 */
export function attributesAndDropped(
  w: Writer,
  field: number,
  item: {
    readonly attributes?: AttributeMap | undefined;
    readonly droppedAttributesCount?: number | undefined;
  },
): void {
  attributes(w, field, item.attributes);
  uintField(w, field + 1, item.droppedAttributesCount);
}

/**
 * Writes an AnyValue field: string, bool, int64 for integers in int64 range, double
 * otherwise, bytes, arrays and maps, recursively. null and undefined (and other types)
 * write an empty AnyValue.
 */
export function value(w: Writer, field: number, v: unknown): void {
  const start = open(w, field);
  const type = typeof v;
  if (type === 'string') strField(w, ANY_VALUE_STRING_VALUE, v as string);
  else if (type === 'boolean') uintField(w, ANY_VALUE_BOOL_VALUE, +(v as boolean));
  else if (type === 'number') {
    // Integers beyond 2^53 that are exact doubles still fit int64, hence not isSafeInteger.
    if ((v as number) % 1 === 0 && (v as number) >= -INT64_LIMIT && (v as number) < INT64_LIMIT) {
      uintField(w, ANY_VALUE_INT_VALUE, v as number);
    } else {
      varint(w, (ANY_VALUE_DOUBLE_VALUE << 3) | 1);
      double(w, v as number);
    }
  } else if (v instanceof Uint8Array) bytesField(w, ANY_VALUE_BYTES_VALUE, v);
  else if (type === 'object' && v) {
    // Too deep, or a value inside itself: an empty AnyValue instead (limits.ts).
    const stack = w.stack;
    if (stack.length >= w.depth || stack.includes(v)) w.stats.droppedValues++;
    else {
      stack.push(v);
      const isArray = Array.isArray(v);
      const list = open(w, isArray ? ANY_VALUE_ARRAY_VALUE : ANY_VALUE_KVLIST_VALUE);
      if (isArray) for (const item of v) value(w, LIST_VALUES, item);
      else attributes(w, LIST_VALUES, v as AttributeMap);
      join(w, list);
      stack.pop();
    }
  }
  join(w, start);
}

/**
 * Writes a ResourceX { resource = 1; repeated ScopeX scope_x = 2; schema_url = 3 } message
 * (ResourceSpans, ResourceLogs, ResourceMetrics) as field 1 of an export request, with
 * one ScopeX { scope = 1; repeated X x = 2; schema_url = 3 } per scope; `item` writes one
 * item as field 2 (spans, log_records, metrics) of its ScopeX message.
 */
export function resourceGroup<T>(
  w: Writer,
  res: ResourceLike,
  scopes: Iterable<readonly [ScopeLike, Iterable<T>]>,
  item: (w: Writer, value: T) => void,
): void {
  const r = open(w, REQUEST_RESOURCE_X);
  const resource = open(w, RESOURCE_X_RESOURCE);
  attributes(w, RESOURCE_ATTRIBUTES, res?.attributes);
  // The SDK does not track dropped resource attributes: written as 0 like OTel's serializer.
  uintField(w, RESOURCE_DROPPED_ATTRIBUTES_COUNT, 0);
  join(w, resource);
  for (const [sc, list] of scopes) {
    const s = open(w, RESOURCE_X_SCOPE_X);
    const scope = open(w, SCOPE_X_SCOPE);
    strField(w, SCOPE_NAME, sc.name);
    stringField(w, SCOPE_VERSION, sc.version);
    attributes(w, SCOPE_ATTRIBUTES, sc.attributes);
    if (sc.droppedAttributesCount) {
      uintField(w, SCOPE_DROPPED_ATTRIBUTES_COUNT, sc.droppedAttributesCount);
    }
    join(w, scope);
    for (const value of list) item(w, value);
    stringField(w, SCOPE_X_SCHEMA_URL, sc.schemaUrl);
    join(w, s);
  }
  stringField(w, RESOURCE_X_SCHEMA_URL, res?.schemaUrl);
  join(w, r);
}

/**
 * Encodes an export request of ResourceX messages (ResourceSpans, ResourceLogs): items
 * grouped by resource, then by instrumentation scope, both by object identity (the SDK
 * shares one object per resource and per tracer or logger), in first-seen order. SDK 1.x
 * objects (`instrumentationLibrary`) are read too.
 */
export function encodeGrouped<T extends GroupedItem>(
  items: readonly T[],
  item: (w: Writer, value: T) => void,
  options: EncodeOptions | undefined,
): Uint8Array {
  return encode(options, (w) => {
    for (const [res, list] of group(items, (v) => v.resource)) {
      const byScope = group(
        list,
        (v) => v.instrumentationScope ?? v.instrumentationLibrary ?? ({} as ScopeLike),
      );
      resourceGroup(w, res, byScope, item);
    }
  });
}

/** `items` by `key(item)`, by identity, in first-seen order. */
function group<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const v of items) {
    const k = key(v);
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  }
  return map;
}
