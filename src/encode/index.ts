export { createEncodeStats, type EncodeOptions, type EncodeStats } from './limits.js';
export { encodeLogsExport } from './logs.js';
export { countDataPoints, encodeMetricsExport } from './metrics.js';
export type {
  AttributeMap,
  DataPointLike,
  ExemplarLike,
  ExponentialBucketsLike,
  ExponentialHistogramLike,
  HistogramLike,
  HrTime,
  LogRecordLike,
  MetricDataLike,
  ResourceLike,
  ResourceMetricsLike,
  ScopeLike,
  SpanContextLike,
  SpanLike,
} from './sdk-types.js';
export { encodeTraceExport } from './trace.js';
export { Writer } from './writer.js';
