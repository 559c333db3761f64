import { attributes, resource, scope } from './common.js';
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
  createWriter,
  double,
  doubleField,
  finish,
  idField,
  int64,
  int64Field,
  join,
  open,
  strField,
  stringField,
  tag,
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
  const w = createWriter(4096, options);
  const rm = open(w, 1);
  resource(w, 1, resourceMetrics.resource);
  for (const sm of resourceMetrics.scopeMetrics) {
    const s = open(w, 2);
    scope(w, 1, sm.scope);
    for (const metric of sm.metrics) writeMetric(w, metric);
    stringField(w, 3, sm.scope.schemaUrl);
    join(w, s);
  }
  stringField(w, 3, resourceMetrics.resource.schemaUrl);
  join(w, rm);
  return finish(w);
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
  // Metric.data oneof, by DataPointType: histogram 9, exponential_histogram 10, gauge 5, sum 7.
  const field = [9, 10, 5, 7][type];
  if (field === undefined) {
    // Not a kind OTLP has: left out and counted (limits.ts).
    w.stats.droppedValues++;
    return;
  }
  const m = open(w, 2);
  strField(w, 1, d.name);
  stringField(w, 2, d.description);
  stringField(w, 3, d.unit);
  const data = open(w, field);
  for (const point of metric.dataPoints) {
    const p = open(w, 1);
    const isInt = d.valueType === 0;
    // exemplars and flags: NumberDataPoint 5, 8; HistogramDataPoint 8, 10;
    // ExponentialHistogramDataPoint 11, 10.
    if (type === 0) histogramPoint(w, point as DataPointLike<HistogramLike>);
    else if (type === 1) exponentialPoint(w, point as DataPointLike<ExponentialHistogramLike>);
    else numberPoint(w, point as DataPointLike<number>, isInt);
    if (point.exemplars) {
      for (const e of point.exemplars) exemplar(w, type === 0 ? 8 : type === 1 ? 11 : 5, e, isInt);
    }
    if (point.flags) uintField(w, type > 1 ? 8 : 10, point.flags);
    join(w, p);
  }
  if (type !== 2) {
    // aggregation_temporality 2 (gauges have none); is_monotonic 3 (sums only).
    const temporality = metric.aggregationTemporality + 1;
    if (temporality === 1 || temporality === 2) uintField(w, 2, temporality);
    if (type === 3 && metric.isMonotonic) uintField(w, 3, 1);
  }
  join(w, data);
  join(w, m);
}

// Exemplar: filtered_attributes 7, time 2, as_double 3 | as_int 6 (sfixed64), span_id 4,
// trace_id 5.
function exemplar(w: Writer, field: number, e: ExemplarLike, isInt: boolean): void {
  const start = open(w, field);
  attributes(w, 7, e.filteredAttributes);
  timeField(w, 2, e.time);
  if (isInt) int64Field(w, 6, e.value);
  else doubleField(w, 3, e.value);
  idField(w, 4, e.spanId);
  idField(w, 5, e.traceId);
  join(w, start);
}

function times(w: Writer, point: DataPointLike<unknown>): void {
  timeField(w, 2, point.startTime);
  timeField(w, 3, point.endTime);
}

// NumberDataPoint: start 2, time 3, as_double 4 | as_int 6 (sfixed64), attributes 7.
function numberPoint(w: Writer, point: DataPointLike<number>, isInt: boolean): void {
  times(w, point);
  if (isInt) int64Field(w, 6, point.value);
  else doubleField(w, 4, point.value);
  attributes(w, 7, point.attributes);
}

// HistogramDataPoint: start 2, time 3, count 4, sum 5, bucket_counts 6 (packed fixed64),
// explicit_bounds 7 (packed double), attributes 9, min 11, max 12.
function histogramPoint(w: Writer, point: DataPointLike<HistogramLike>): void {
  const h = point.value;
  times(w, point);
  int64Field(w, 4, h.count);
  doubleField(w, 5, h.sum);
  const { counts = [], boundaries = [] } = h.buckets ?? {};
  if (counts.length > 0) {
    tag(w, 6, 2);
    varint(w, counts.length * 8);
    for (const c of counts) int64(w, c);
  }
  if (boundaries.length > 0) {
    tag(w, 7, 2);
    varint(w, boundaries.length * 8);
    for (const b of boundaries) double(w, b);
  }
  attributes(w, 9, point.attributes);
  doubleField(w, 11, h.min);
  doubleField(w, 12, h.max);
}

// ExponentialHistogramDataPoint: attributes 1, start 2, time 3, count 4, sum 5,
// scale 6 (sint32), zero_count 7, positive 8, negative 9, min 12, max 13.
function exponentialPoint(w: Writer, point: DataPointLike<ExponentialHistogramLike>): void {
  const h = point.value;
  attributes(w, 1, point.attributes);
  times(w, point);
  int64Field(w, 4, h.count);
  doubleField(w, 5, h.sum);
  if (h.scale !== 0) uintField(w, 6, zigzag(h.scale));
  int64Field(w, 7, h.zeroCount);
  buckets(w, 8, h.positive);
  buckets(w, 9, h.negative);
  doubleField(w, 12, h.min);
  doubleField(w, 13, h.max);
}

// Buckets: offset 1 (sint32), bucket_counts 2 (packed uint64).
function buckets(w: Writer, field: number, b: ExponentialBucketsLike): void {
  const start = open(w, field);
  if (b.offset !== 0) uintField(w, 1, zigzag(b.offset));
  if (b.bucketCounts.length > 0) {
    const counts = open(w, 2);
    for (const c of b.bucketCounts) varint(w, c);
    join(w, counts);
  }
  join(w, start);
}

function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}
