/**
 * The shapes of the OpenTelemetry SDK (2.x) objects the encoders read, declared here
 * structurally instead of imported, so that this package's types never require the SDK to
 * be installed and never tie users to one SDK release. Only the fields the encoders read
 * are listed; test/unit/encode-sdk-types.test.ts checks that the real SDK types fit.
 */

/** [seconds, nanoseconds] since the Unix epoch. */
export type HrTime = readonly [number, number];

/**
 * Attribute maps: OTel `Attributes` (primitives and homogeneous arrays) and the logs API's
 * `AnyValueMap` (also bytes, nested maps and arrays).
 */
export type AttributeMap = { readonly [key: string]: unknown };

/** A W3C trace context, as `Span.spanContext()` returns it. */
export interface SpanContextLike {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly isRemote?: boolean | undefined;
  readonly traceState?: { serialize(): string } | undefined;
}

/** An SDK `Resource`. */
export interface ResourceLike {
  readonly attributes: AttributeMap;
  readonly schemaUrl?: string | undefined;
}

/** An SDK `InstrumentationScope` (logs may carry scope attributes). */
export interface ScopeLike {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
  readonly attributes?: AttributeMap | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/**
 * A finished span: the SDK's `ReadableSpan`, of SDK 2.x (`parentSpanContext`,
 * `instrumentationScope`) or 1.x (`parentSpanId`, `instrumentationLibrary`).
 */
export interface SpanLike {
  readonly name: string;
  /** API SpanKind: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
  readonly kind: number;
  spanContext(): SpanContextLike;
  readonly parentSpanContext?: SpanContextLike | undefined;
  /** SDK 1.x: the parent's span id, hex. */
  readonly parentSpanId?: string | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { readonly code: number; readonly message?: string | undefined };
  readonly attributes: AttributeMap;
  readonly links: readonly {
    readonly context: SpanContextLike;
    readonly attributes?: AttributeMap | undefined;
    readonly droppedAttributesCount?: number | undefined;
  }[];
  readonly events: readonly {
    readonly time: HrTime;
    readonly name: string;
    readonly attributes?: AttributeMap | undefined;
    readonly droppedAttributesCount?: number | undefined;
  }[];
  readonly resource: ResourceLike;
  readonly instrumentationScope?: ScopeLike | undefined;
  /** SDK 1.x's name for instrumentationScope. */
  readonly instrumentationLibrary?: ScopeLike | undefined;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** An emitted log record: the SDK's `ReadableLogRecord`. */
export interface LogRecordLike {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly spanContext?: SpanContextLike | undefined;
  readonly severityText?: string | undefined;
  readonly severityNumber?: number | undefined;
  readonly body?: unknown;
  readonly eventName?: string | undefined;
  readonly resource: ResourceLike;
  readonly instrumentationScope?: ScopeLike | undefined;
  /** SDK 1.x's name for instrumentationScope. */
  readonly instrumentationLibrary?: ScopeLike | undefined;
  readonly attributes: AttributeMap;
  readonly droppedAttributesCount: number;
}

/** One data point of any metric type. */
export interface DataPointLike<T> {
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly attributes: AttributeMap;
  readonly value: T;
  /**
   * Exemplars, where a producer records them (the JS SDK 2.x does not yet); their value
   * is an int or a double as the metric's valueType says.
   */
  readonly exemplars?: readonly ExemplarLike[] | undefined;
  /** OTLP DataPointFlags (1: no recorded value). */
  readonly flags?: number | undefined;
}

/** A sample measurement behind a data point, with the span it was taken in. */
export interface ExemplarLike {
  /** Attributes of the measurement that the aggregation filtered out. */
  readonly filteredAttributes?: AttributeMap | undefined;
  readonly time: HrTime;
  readonly value: number;
  /** Hex ids of the span the measurement was taken in. */
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
}

/** An explicit-bucket histogram value. */
export interface HistogramLike {
  readonly buckets: { readonly boundaries: readonly number[]; readonly counts: readonly number[] };
  readonly sum?: number | undefined;
  readonly count: number;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** Bucket counts of one side of an exponential histogram. */
export interface ExponentialBucketsLike {
  readonly offset: number;
  readonly bucketCounts: readonly number[];
}

/** An exponential histogram value. */
export interface ExponentialHistogramLike {
  readonly count: number;
  readonly sum?: number | undefined;
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: ExponentialBucketsLike;
  readonly negative: ExponentialBucketsLike;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/**
 * One metric stream: the SDK's `MetricData`. `dataPointType` is the SDK's DataPointType
 * (HISTOGRAM 0, EXPONENTIAL_HISTOGRAM 1, GAUGE 2, SUM 3); `aggregationTemporality` its
 * AggregationTemporality (DELTA 0, CUMULATIVE 1); `descriptor.valueType` the API's ValueType
 * (INT 0, DOUBLE 1).
 */
export interface MetricDataLike {
  readonly descriptor: {
    readonly name: string;
    readonly description?: string | undefined;
    readonly unit?: string | undefined;
    readonly valueType?: number | undefined;
  };
  readonly aggregationTemporality: number;
  readonly dataPointType: number;
  readonly isMonotonic?: boolean | undefined;
  readonly dataPoints: readonly DataPointLike<number | HistogramLike | ExponentialHistogramLike>[];
}

/** What a MetricReader collects: the SDK's `ResourceMetrics`. */
export interface ResourceMetricsLike {
  readonly resource: ResourceLike;
  readonly scopeMetrics: readonly {
    readonly scope: ScopeLike;
    readonly metrics: readonly MetricDataLike[];
  }[];
}
