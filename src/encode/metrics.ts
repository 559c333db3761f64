import { attributes, resourceGroup } from './common.js';
import {
  BUCKETS_BUCKET_COUNTS,
  BUCKETS_OFFSET,
  DATA_AGGREGATION_TEMPORALITY,
  DATA_DATA_POINTS,
  EXEMPLAR_AS_DOUBLE,
  EXEMPLAR_AS_INT,
  EXEMPLAR_FILTERED_ATTRIBUTES,
  EXEMPLAR_SPAN_ID,
  EXEMPLAR_TIME_UNIX_NANO,
  EXEMPLAR_TRACE_ID,
  EXPONENTIAL_ATTRIBUTES,
  EXPONENTIAL_COUNT,
  EXPONENTIAL_EXEMPLARS,
  EXPONENTIAL_MAX,
  EXPONENTIAL_MIN,
  EXPONENTIAL_NEGATIVE,
  EXPONENTIAL_POSITIVE,
  EXPONENTIAL_SCALE,
  EXPONENTIAL_SUM,
  EXPONENTIAL_ZERO_COUNT,
  HISTOGRAM_ATTRIBUTES,
  HISTOGRAM_BUCKET_COUNTS,
  HISTOGRAM_COUNT,
  HISTOGRAM_EXEMPLARS,
  HISTOGRAM_EXPLICIT_BOUNDS,
  HISTOGRAM_FLAGS,
  HISTOGRAM_MAX,
  HISTOGRAM_MIN,
  HISTOGRAM_SUM,
  METRIC_DESCRIPTION,
  METRIC_EXPONENTIAL_HISTOGRAM,
  METRIC_GAUGE,
  METRIC_HISTOGRAM,
  METRIC_NAME,
  METRIC_SUM,
  METRIC_UNIT,
  NUMBER_AS_DOUBLE,
  NUMBER_AS_INT,
  NUMBER_ATTRIBUTES,
  NUMBER_EXEMPLARS,
  NUMBER_FLAGS,
  POINT_START_TIME_UNIX_NANO,
  POINT_TIME_UNIX_NANO,
  SCOPE_METRICS_METRICS,
  SUM_IS_MONOTONIC,
} from './fields.js';
import type { EncodeOptions } from './limits.js';
import type {
  DataPointLike,
  ExemplarLike,
  ExponentialBucketsLike,
  ExponentialHistogramLike,
  HistogramLike,
  MetricDataLike,
  ResourceMetricsLike,
} from './sdk-types.js';
import {
  double,
  doubleField,
  encode,
  ensure,
  idField,
  int64,
  int64Field,
  join,
  open,
  strField,
  stringField,
  timeField,
  uintField,
  varint,
  type Writer,
} from './writer.js';

// opentelemetry/proto/metrics/v1/metrics.proto; the request is
// ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }.
// SDK enums as numbers (this module imports no SDK code):
// DataPointType HISTOGRAM 0, EXPONENTIAL_HISTOGRAM 1, GAUGE 2, SUM 3;
// AggregationTemporality DELTA 0, CUMULATIVE 1 (OTLP: DELTA 1, CUMULATIVE 2);
// ValueType INT 0, DOUBLE 1.

/**
 * Encodes one collection of SDK metrics (what a MetricReader hands to a push exporter) as
 * an OTLP ExportMetricsServiceRequest: gauges, sums (temporality, monotonic), explicit and
 * exponential histograms. Bytes equal @opentelemetry/otlp-transformer's
 * ProtobufMetricsSerializer output for the same input.
 */
export function encodeMetricsExport(
  resourceMetrics: ResourceMetricsLike,
  options?: EncodeOptions,
): Uint8Array {
  return encode(options, (w) =>
    resourceGroup(
      w,
      resourceMetrics.resource,
      resourceMetrics.scopeMetrics.map((sm) => [sm.scope, sm.metrics] as const),
      writeMetric,
    ),
  );
}

/** Data points in a collection: the OTLP unit for metrics limits and counts. */
export function countDataPoints(resourceMetrics: ResourceMetricsLike): number {
  let n = 0;
  for (const sm of resourceMetrics.scopeMetrics)
    for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

function writeMetric(w: Writer, metric: MetricDataLike): void {
  const d = metric.descriptor;
  const type = metric.dataPointType;
  // The Metric.data oneof, by DataPointType.
  const field = [METRIC_HISTOGRAM, METRIC_EXPONENTIAL_HISTOGRAM, METRIC_GAUGE, METRIC_SUM][type];
  if (field === undefined) {
    // Not a kind OTLP has: left out and counted (limits.ts).
    w.stats.droppedValues++;
    return;
  }
  const m = open(w, SCOPE_METRICS_METRICS);
  strField(w, METRIC_NAME, d.name);
  stringField(w, METRIC_DESCRIPTION, d.description);
  stringField(w, METRIC_UNIT, d.unit);
  const data = open(w, field);
  for (const point of metric.dataPoints) {
    const p = open(w, DATA_DATA_POINTS);
    const isInt = d.valueType === 0;
    if (type === 0) histogramPoint(w, point as DataPointLike<HistogramLike>);
    else if (type === 1) exponentialPoint(w, point as DataPointLike<ExponentialHistogramLike>);
    else numberPoint(w, point as DataPointLike<number>, isInt);
    if (point.exemplars) {
      const field =
        type === 0 ? HISTOGRAM_EXEMPLARS : type === 1 ? EXPONENTIAL_EXEMPLARS : NUMBER_EXEMPLARS;
      for (const e of point.exemplars) exemplar(w, field, e, isInt);
    }
    if (point.flags) uintField(w, type > 1 ? NUMBER_FLAGS : HISTOGRAM_FLAGS, point.flags);
    join(w, p);
  }
  if (type !== 2) {
    // Gauges have no temporality; sums only are monotonic.
    const temporality = metric.aggregationTemporality + 1;
    if (temporality === 1 || temporality === 2) {
      uintField(w, DATA_AGGREGATION_TEMPORALITY, temporality);
    }
    if (type === 3 && metric.isMonotonic) uintField(w, SUM_IS_MONOTONIC, 1);
  }
  join(w, data);
  join(w, m);
}

function exemplar(w: Writer, field: number, e: ExemplarLike, isInt: boolean): void {
  const start = open(w, field);
  attributes(w, EXEMPLAR_FILTERED_ATTRIBUTES, e.filteredAttributes);
  timeField(w, EXEMPLAR_TIME_UNIX_NANO, e.time);
  if (isInt) int64Field(w, EXEMPLAR_AS_INT, e.value);
  else doubleField(w, EXEMPLAR_AS_DOUBLE, e.value);
  idField(w, EXEMPLAR_SPAN_ID, e.spanId);
  idField(w, EXEMPLAR_TRACE_ID, e.traceId);
  join(w, start);
}

function times(w: Writer, point: DataPointLike<unknown>): void {
  timeField(w, POINT_START_TIME_UNIX_NANO, point.startTime);
  timeField(w, POINT_TIME_UNIX_NANO, point.endTime);
}

// as_int is sfixed64.
function numberPoint(w: Writer, point: DataPointLike<number>, isInt: boolean): void {
  times(w, point);
  if (isInt) int64Field(w, NUMBER_AS_INT, point.value);
  else doubleField(w, NUMBER_AS_DOUBLE, point.value);
  attributes(w, NUMBER_ATTRIBUTES, point.attributes);
}

// bucket_counts are packed fixed64, explicit_bounds packed doubles.
function histogramPoint(w: Writer, point: DataPointLike<HistogramLike>): void {
  const h = point.value;
  times(w, point);
  int64Field(w, HISTOGRAM_COUNT, h.count);
  doubleField(w, HISTOGRAM_SUM, h.sum);
  const { counts = [], boundaries = [] } = h.buckets ?? {};
  if (counts.length > 0) {
    varint(w, (HISTOGRAM_BUCKET_COUNTS << 3) | 2);
    varint(w, counts.length * 8);
    ensure(w, counts.length * 8);
    for (const c of counts) int64(w, c);
  }
  if (boundaries.length > 0) {
    varint(w, (HISTOGRAM_EXPLICIT_BOUNDS << 3) | 2);
    varint(w, boundaries.length * 8);
    ensure(w, boundaries.length * 8);
    for (const b of boundaries) double(w, b);
  }
  attributes(w, HISTOGRAM_ATTRIBUTES, point.attributes);
  doubleField(w, HISTOGRAM_MIN, h.min);
  doubleField(w, HISTOGRAM_MAX, h.max);
}

// scale is sint32.
function exponentialPoint(w: Writer, point: DataPointLike<ExponentialHistogramLike>): void {
  const h = point.value;
  attributes(w, EXPONENTIAL_ATTRIBUTES, point.attributes);
  times(w, point);
  int64Field(w, EXPONENTIAL_COUNT, h.count);
  doubleField(w, EXPONENTIAL_SUM, h.sum);
  if (h.scale !== 0) uintField(w, EXPONENTIAL_SCALE, zigzag(h.scale));
  int64Field(w, EXPONENTIAL_ZERO_COUNT, h.zeroCount);
  buckets(w, EXPONENTIAL_POSITIVE, h.positive);
  buckets(w, EXPONENTIAL_NEGATIVE, h.negative);
  doubleField(w, EXPONENTIAL_MIN, h.min);
  doubleField(w, EXPONENTIAL_MAX, h.max);
}

// offset is sint32, bucket_counts packed uint64.
function buckets(w: Writer, field: number, b: ExponentialBucketsLike): void {
  const start = open(w, field);
  if (b.offset !== 0) uintField(w, BUCKETS_OFFSET, zigzag(b.offset));
  if (b.bucketCounts.length > 0) {
    const counts = open(w, BUCKETS_BUCKET_COUNTS);
    for (const c of b.bucketCounts) varint(w, c);
    join(w, counts);
  }
  join(w, start);
}

function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}
