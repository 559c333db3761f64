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
  depth,
  double,
  encode,
  join,
  open,
  stack,
  stats,
  strField,
  stringField,
  uintField,
  varint,
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
export function attributes(field: number, map: AttributeMap | undefined): void {
  for (const key in map) {
    // V8 reduces hasOwnProperty of a for-in's own key to `true` (Object.hasOwn it does not):
    // 5-7 % of the encoding. Called on {} so null-prototype maps work too.
    // biome-ignore lint/suspicious/noPrototypeBuiltins: measured faster than Object.hasOwn here
    if ({}.hasOwnProperty.call(map, key)) {
      const kv = open(field);
      strField(KEY_VALUE_KEY, key);
      value(KEY_VALUE_VALUE, map[key]);
      join(kv);
    }
  }
}

/**
 * Writes `attributes` as field `field` and `droppedAttributesCount` (0 when absent) as
 * field `field + 1`: the pair that spans, events, links and log records have.
 */
export function attributesAndDropped(
  field: number,
  item: {
    readonly attributes?: AttributeMap | undefined;
    readonly droppedAttributesCount?: number | undefined;
  },
): void {
  attributes(field, item.attributes);
  uintField(field + 1, item.droppedAttributesCount);
}

/**
 * Writes an AnyValue field: string, bool, int64 for integers in int64 range, double
 * otherwise, bytes, arrays and maps, recursively. null and undefined (and other types)
 * write an empty AnyValue.
 */
export function value(field: number, v: unknown): void {
  const start = open(field);
  const type = typeof v;
  if (type === 'string') strField(ANY_VALUE_STRING_VALUE, v as string);
  else if (type === 'boolean') uintField(ANY_VALUE_BOOL_VALUE, +(v as boolean));
  else if (type === 'number') {
    // Integers beyond 2^53 that are exact doubles still fit int64, hence not isSafeInteger.
    if ((v as number) % 1 === 0 && (v as number) >= -INT64_LIMIT && (v as number) < INT64_LIMIT) {
      uintField(ANY_VALUE_INT_VALUE, v as number);
    } else {
      varint((ANY_VALUE_DOUBLE_VALUE << 3) | 1);
      double(v as number);
    }
  } else if (v instanceof Uint8Array) bytesField(ANY_VALUE_BYTES_VALUE, v);
  else if (type === 'object' && v) {
    // Too deep, or a value inside itself: an empty AnyValue instead (limits.ts).
    if (stack.length >= depth || stack.includes(v)) stats.droppedValues++;
    else {
      stack.push(v);
      const isArray = Array.isArray(v);
      const list = open(isArray ? ANY_VALUE_ARRAY_VALUE : ANY_VALUE_KVLIST_VALUE);
      if (isArray) for (const item of v) value(LIST_VALUES, item);
      else attributes(LIST_VALUES, v as AttributeMap);
      join(list);
      stack.pop();
    }
  }
  join(start);
}

/**
 * Writes a ResourceX { resource = 1; repeated ScopeX scope_x = 2; schema_url = 3 } message
 * (ResourceSpans, ResourceLogs, ResourceMetrics) as field 1 of an export request, with
 * one ScopeX { scope = 1; repeated X x = 2; schema_url = 3 } per scope; `item` writes one
 * item as field 2 (spans, log_records, metrics) of its ScopeX message.
 */
export function resourceGroup<T>(
  res: ResourceLike,
  scopes: Iterable<readonly [ScopeLike, Iterable<T>]>,
  item: (value: T) => void,
): void {
  const r = open(REQUEST_RESOURCE_X);
  const resource = open(RESOURCE_X_RESOURCE);
  attributes(RESOURCE_ATTRIBUTES, res?.attributes);
  // The SDK does not track dropped resource attributes: written as 0 like OTel's serializer.
  uintField(RESOURCE_DROPPED_ATTRIBUTES_COUNT, 0);
  join(resource);
  for (const [sc, list] of scopes) {
    const s = open(RESOURCE_X_SCOPE_X);
    const scope = open(SCOPE_X_SCOPE);
    strField(SCOPE_NAME, sc.name);
    stringField(SCOPE_VERSION, sc.version);
    attributes(SCOPE_ATTRIBUTES, sc.attributes);
    if (sc.droppedAttributesCount) {
      uintField(SCOPE_DROPPED_ATTRIBUTES_COUNT, sc.droppedAttributesCount);
    }
    join(scope);
    for (const value of list) item(value);
    stringField(SCOPE_X_SCHEMA_URL, sc.schemaUrl);
    join(s);
  }
  stringField(RESOURCE_X_SCHEMA_URL, res?.schemaUrl);
  join(r);
}

/**
 * Encodes an export request of ResourceX messages (ResourceSpans, ResourceLogs): items
 * grouped by resource, then by instrumentation scope, both by object identity (the SDK
 * shares one object per resource and per tracer or logger), in first-seen order. SDK 1.x
 * objects (`instrumentationLibrary`) are read too.
 */
export function encodeGrouped<T extends GroupedItem>(
  items: readonly T[],
  item: (value: T) => void,
  options: EncodeOptions | undefined,
): Uint8Array {
  return encode(options, () => {
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
    for (const [res, byScope] of byResource) resourceGroup(res, byScope, item);
  });
}
