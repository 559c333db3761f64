// fast-check generators of SDK-shaped spans, log records and metrics (plain objects with
// the ReadableSpan / ReadableLogRecord / ResourceMetrics shapes, as any SDK release or a
// custom processor may hand over). Not a test file.
import fc from 'fast-check';
import type {
  LogRecordLike,
  MetricDataLike,
  ResourceLike,
  ResourceMetricsLike,
  ScopeLike,
  SpanLike,
} from '../../src/encode/index.js';

/** What the generators may produce; `otel` keeps to what OTel's serializers handle. */
export interface GenOptions {
  /** Only well-formed UTF-16 (OTel writes lone surrogates as invalid UTF-8). */
  wellFormed: boolean;
  /** Exemplars and data point flags, which OTel's serializer does not write. */
  extras: boolean;
}

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const common = fc.constantFrom('a', 'z', ' ', 'é', '✓', '日', '🚀', '\u0000', '\uffff');

/** Text with any code point (astral ones included), and lone surrogates unless `wellFormed`. */
export function text(o: GenOptions, maxLength = 10): fc.Arbitrary<string> {
  const units = o.wellFormed
    ? fc.oneof(anyChar, common)
    : fc.oneof({ arbitrary: anyChar, weight: 3 }, { arbitrary: common, weight: 3 }, lone);
  return fc.string({ unit: units, maxLength });
}

/** Integers at the int64 edges and beyond 2^53, doubles incl. NaN, +-Infinity and -0. */
const int64 = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -1, 2 ** 53, 2 ** 62, -(2 ** 62), -(2 ** 63), 2 ** 63 - 1024),
);
const primitive = (o: GenOptions) =>
  fc.oneof(
    text(o),
    fc.boolean(),
    int64,
    fc.double(),
    fc.uint8Array({ maxLength: 6 }),
    fc.constant(null),
    fc.constant(undefined),
  );

/** AnyValue-shaped values: primitives, bytes, nested arrays and maps (depth < 8). */
export function value(o: GenOptions): fc.Arbitrary<unknown> {
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      primitive(o),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(text(o, 4), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
}

export const attributes = (o: GenOptions) => fc.dictionary(text(o, 6), value(o), { maxKeys: 5 });
const hex = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const hrTime = fc.tuple(
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const traceState = opt(fc.constantFrom('a=1', 'k=v,x=y').map((s) => ({ serialize: () => s })));
const context = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  traceFlags: fc.integer({ min: 0, max: 255 }),
  isRemote: opt(fc.boolean()),
  traceState,
});

const resource = (o: GenOptions): fc.Arbitrary<ResourceLike> =>
  fc.record({ attributes: attributes(o), schemaUrl: opt(text(o)) });
// Scope names are distinct within a pool: OTel merges scopes of equal name and version.
const scopes = (o: GenOptions) =>
  fc
    .array(
      fc.record({
        name: text(o),
        version: opt(text(o)),
        schemaUrl: opt(text(o)),
        attributes: opt(attributes(o)),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((list) => list.map((s, i) => ({ ...s, name: `${i}:${s.name}` }) as ScopeLike));

/** Items sharing resources and scopes from small pools, as the SDK shares them. */
function pooled<T>(o: GenOptions, item: fc.Arbitrary<T>) {
  return fc
    .tuple(
      fc.array(resource(o), { minLength: 1, maxLength: 2 }),
      scopes(o),
      fc.array(fc.tuple(item, fc.nat(), fc.nat()), { maxLength: 5 }),
    )
    .map(([resources, scopeList, items]) =>
      items.map(([fields, r, s]) => ({
        ...fields,
        resource: resources[r % resources.length]!,
        instrumentationScope: scopeList[s % scopeList.length]!,
      })),
    );
}

/** Arrays of SDK-shaped spans. */
export function spans(o: GenOptions): fc.Arbitrary<SpanLike[]> {
  const event = fc.record({
    time: hrTime,
    name: text(o),
    attributes: opt(attributes(o)),
    droppedAttributesCount: opt(fc.nat(100)),
  });
  const link = fc.record({
    context,
    attributes: opt(attributes(o)),
    droppedAttributesCount: opt(fc.nat(100)),
  });
  const span = fc.record({
    name: text(o),
    kind: fc.integer({ min: 0, max: 4 }),
    ctx: context,
    parentSpanContext: opt(context),
    startTime: hrTime,
    endTime: hrTime,
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: opt(text(o)) }),
    attributes: attributes(o),
    events: fc.array(event, { maxLength: 3 }),
    links: fc.array(link, { maxLength: 2 }),
    droppedAttributesCount: fc.nat(1000),
    droppedEventsCount: fc.nat(1000),
    droppedLinksCount: fc.nat(1000),
  });
  return pooled(o, span).map((list) =>
    list.map(({ ctx, ...s }) => ({ ...s, spanContext: () => ctx }) as unknown as SpanLike),
  );
}

/** Arrays of SDK-shaped log records: bodies of any kind, optional trace context. */
export function logs(o: GenOptions): fc.Arbitrary<LogRecordLike[]> {
  const record = fc.record({
    hrTime,
    hrTimeObserved: hrTime,
    spanContext: opt(context),
    severityText: opt(text(o)),
    severityNumber: opt(fc.integer({ min: 0, max: 24 })),
    body: opt(value(o)),
    eventName: opt(text(o)),
    attributes: attributes(o),
    droppedAttributesCount: fc.nat(1000),
  });
  return pooled(o, record).map((list) => list as unknown as LogRecordLike[]);
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const optionalDouble = opt(fc.double());

function points(o: GenOptions, type: number, isInt: boolean) {
  const nat = fc.nat({ max: 2 ** 40 });
  const numberValue = isInt ? fc.maxSafeInteger() : fc.double();
  const histogram = fc.array(finite, { maxLength: 4 }).chain((boundaries) =>
    fc.record({
      buckets: fc.record({
        boundaries: fc.constant(boundaries),
        counts: fc.array(nat, {
          minLength: boundaries.length + 1,
          maxLength: boundaries.length + 1,
        }),
      }),
      count: nat,
      sum: optionalDouble,
      min: optionalDouble,
      max: optionalDouble,
    }),
  );
  const buckets = fc.record({
    offset: fc.integer({ min: -1000, max: 1000 }),
    bucketCounts: fc.array(nat, { maxLength: 4 }),
  });
  const exponential = fc.record({
    count: nat,
    sum: optionalDouble,
    scale: fc.integer({ min: -10, max: 20 }),
    zeroCount: nat,
    positive: buckets,
    negative: buckets,
    min: optionalDouble,
    max: optionalDouble,
  });
  const exemplar = fc.record({
    filteredAttributes: opt(attributes(o)),
    time: hrTime,
    value: numberValue,
    traceId: opt(hex(16)),
    spanId: opt(hex(8)),
  });
  return fc.array(
    fc.record({
      startTime: hrTime,
      endTime: hrTime,
      attributes: attributes(o),
      value: type === 0 ? histogram : type === 1 ? exponential : numberValue,
      ...(o.extras
        ? {
            exemplars: opt(fc.array(exemplar, { maxLength: 2 })),
            flags: opt(fc.constantFrom(0, 1)),
          }
        : {}),
    }),
    { maxLength: 3 },
  );
}

const metric = (o: GenOptions): fc.Arbitrary<MetricDataLike> =>
  fc
    .record({
      type: fc.integer({ min: 0, max: 3 }),
      valueType: fc.constantFrom(0, 1),
      name: text(o),
      description: opt(text(o)),
      unit: opt(text(o)),
      aggregationTemporality: fc.constantFrom(0, 1),
      isMonotonic: opt(fc.boolean()),
    })
    .chain((m) =>
      points(o, m.type, m.valueType === 0).map((dataPoints) => ({
        descriptor: {
          name: m.name,
          description: m.description,
          unit: m.unit,
          valueType: m.valueType,
        },
        dataPointType: m.type,
        aggregationTemporality: m.aggregationTemporality,
        isMonotonic: m.isMonotonic,
        dataPoints,
      })),
    ) as fc.Arbitrary<MetricDataLike>;

/** One collection: a resource with scopes of metrics of every kind. */
export function resourceMetrics(o: GenOptions): fc.Arbitrary<ResourceMetricsLike> {
  return fc.record({
    resource: resource(o),
    scopeMetrics: fc.array(
      fc.record({
        scope: fc.record({ name: text(o), version: opt(text(o)), schemaUrl: opt(text(o)) }),
        metrics: fc.array(metric(o), { maxLength: 3 }),
      }),
      { maxLength: 2 },
    ),
  }) as fc.Arbitrary<ResourceMetricsLike>;
}
