import { attributes, resourceGroup } from './common.js';
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
  stats,
  strField,
  stringField,
  timeField,
  uintField,
  varint,
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
  return encode(options, () =>
    resourceGroup(
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

function writeMetric(metric: MetricDataLike): void {
  const d = metric.descriptor;
  const type = metric.dataPointType;
  // Metric.data oneof, by DataPointType: histogram 9, exponential_histogram 10, gauge 5, sum 7.
  const field = [9, 10, 5, 7][type];
  if (field === undefined) {
    // Not a kind OTLP has: left out and counted (limits.ts).
    stats.droppedValues++;
    return;
  }
  const m = open(2);
  strField(1, d.name);
  stringField(2, d.description);
  stringField(3, d.unit);
  const data = open(field);
  for (const point of metric.dataPoints) {
    const p = open(1);
    const isInt = d.valueType === 0;
    // exemplars and flags: NumberDataPoint 5, 8; HistogramDataPoint 8, 10;
    // ExponentialHistogramDataPoint 11, 10.
    if (type === 0) histogramPoint(point as DataPointLike<HistogramLike>);
    else if (type === 1) exponentialPoint(point as DataPointLike<ExponentialHistogramLike>);
    else numberPoint(point as DataPointLike<number>, isInt);
    if (point.exemplars) {
      for (const e of point.exemplars) exemplar(type === 0 ? 8 : type === 1 ? 11 : 5, e, isInt);
    }
    if (point.flags) uintField(type > 1 ? 8 : 10, point.flags);
    join(p);
  }
  if (type !== 2) {
    // aggregation_temporality 2 (gauges have none); is_monotonic 3 (sums only).
    const temporality = metric.aggregationTemporality + 1;
    if (temporality === 1 || temporality === 2) uintField(2, temporality);
    if (type === 3 && metric.isMonotonic) uintField(3, 1);
  }
  join(data);
  join(m);
}

// Exemplar: filtered_attributes 7, time 2, as_double 3 | as_int 6 (sfixed64), span_id 4,
// trace_id 5.
function exemplar(field: number, e: ExemplarLike, isInt: boolean): void {
  const start = open(field);
  attributes(7, e.filteredAttributes);
  timeField(2, e.time);
  if (isInt) int64Field(6, e.value);
  else doubleField(3, e.value);
  idField(4, e.spanId);
  idField(5, e.traceId);
  join(start);
}

function times(point: DataPointLike<unknown>): void {
  timeField(2, point.startTime);
  timeField(3, point.endTime);
}

// NumberDataPoint: start 2, time 3, as_double 4 | as_int 6 (sfixed64), attributes 7.
function numberPoint(point: DataPointLike<number>, isInt: boolean): void {
  times(point);
  if (isInt) int64Field(6, point.value);
  else doubleField(4, point.value);
  attributes(7, point.attributes);
}

// HistogramDataPoint: start 2, time 3, count 4, sum 5, bucket_counts 6 (packed fixed64),
// explicit_bounds 7 (packed double), attributes 9, min 11, max 12.
function histogramPoint(point: DataPointLike<HistogramLike>): void {
  const h = point.value;
  times(point);
  int64Field(4, h.count);
  doubleField(5, h.sum);
  const { counts = [], boundaries = [] } = h.buckets ?? {};
  if (counts.length > 0) {
    varint((6 << 3) | 2);
    varint(counts.length * 8);
    ensure(counts.length * 8);
    for (const c of counts) int64(c);
  }
  if (boundaries.length > 0) {
    varint((7 << 3) | 2);
    varint(boundaries.length * 8);
    ensure(boundaries.length * 8);
    for (const b of boundaries) double(b);
  }
  attributes(9, point.attributes);
  doubleField(11, h.min);
  doubleField(12, h.max);
}

// ExponentialHistogramDataPoint: attributes 1, start 2, time 3, count 4, sum 5,
// scale 6 (sint32), zero_count 7, positive 8, negative 9, min 12, max 13.
function exponentialPoint(point: DataPointLike<ExponentialHistogramLike>): void {
  const h = point.value;
  attributes(1, point.attributes);
  times(point);
  int64Field(4, h.count);
  doubleField(5, h.sum);
  if (h.scale !== 0) uintField(6, zigzag(h.scale));
  int64Field(7, h.zeroCount);
  buckets(8, h.positive);
  buckets(9, h.negative);
  doubleField(12, h.min);
  doubleField(13, h.max);
}

// Buckets: offset 1 (sint32), bucket_counts 2 (packed uint64).
function buckets(field: number, b: ExponentialBucketsLike): void {
  const start = open(field);
  if (b.offset !== 0) uintField(1, zigzag(b.offset));
  if (b.bucketCounts.length > 0) {
    const counts = open(2);
    for (const c of b.bucketCounts) varint(c);
    join(counts);
  }
  join(start);
}

function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}
