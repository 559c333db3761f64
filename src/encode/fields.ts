/**
 * OTLP field numbers, named after the fields of proto/opentelemetry/proto/: MESSAGE_FIELD.
 * Plain exported numbers in a module that imports nothing, so that esbuild inlines each
 * one where it is used and the names cost no bundle bytes (it does not inline the
 * top-level constants of a module that has imports, nor the properties of an object).
 */

// collector/*/v1: ExportXServiceRequest { repeated ResourceX resource_x = 1; }.
export const REQUEST_RESOURCE_X = 1;

// ResourceSpans, ResourceLogs, ResourceMetrics.
export const RESOURCE_X_RESOURCE = 1;
export const RESOURCE_X_SCOPE_X = 2;
export const RESOURCE_X_SCHEMA_URL = 3;

// ScopeSpans, ScopeLogs, ScopeMetrics.
export const SCOPE_X_SCOPE = 1;
export const SCOPE_SPANS_SPANS = 2;
export const SCOPE_LOGS_LOG_RECORDS = 2;
export const SCOPE_METRICS_METRICS = 2;
export const SCOPE_X_SCHEMA_URL = 3;

// resource/v1: Resource.
export const RESOURCE_ATTRIBUTES = 1;
export const RESOURCE_DROPPED_ATTRIBUTES_COUNT = 2;

// common/v1: InstrumentationScope.
export const SCOPE_NAME = 1;
export const SCOPE_VERSION = 2;
export const SCOPE_ATTRIBUTES = 3;
export const SCOPE_DROPPED_ATTRIBUTES_COUNT = 4;

// common/v1: KeyValue.
export const KEY_VALUE_KEY = 1;
export const KEY_VALUE_VALUE = 2;

// common/v1: AnyValue, a oneof.
export const ANY_VALUE_STRING_VALUE = 1;
export const ANY_VALUE_BOOL_VALUE = 2;
export const ANY_VALUE_INT_VALUE = 3;
export const ANY_VALUE_DOUBLE_VALUE = 4;
export const ANY_VALUE_ARRAY_VALUE = 5;
export const ANY_VALUE_KVLIST_VALUE = 6;
export const ANY_VALUE_BYTES_VALUE = 7;

// common/v1: ArrayValue and KeyValueList, both `values = 1`.
export const LIST_VALUES = 1;

// trace/v1: Span. trace_id, span_id and trace_state have the same numbers in Span.Link.
export const SPAN_TRACE_ID = 1;
export const SPAN_SPAN_ID = 2;
export const SPAN_TRACE_STATE = 3;
export const SPAN_PARENT_SPAN_ID = 4;
export const SPAN_NAME = 5;
export const SPAN_KIND = 6;
export const SPAN_START_TIME_UNIX_NANO = 7;
export const SPAN_END_TIME_UNIX_NANO = 8;
/** dropped_attributes_count is the next field, 10 (attributesAndDropped). */
export const SPAN_ATTRIBUTES = 9;
export const SPAN_EVENTS = 11;
export const SPAN_DROPPED_EVENTS_COUNT = 12;
export const SPAN_LINKS = 13;
export const SPAN_DROPPED_LINKS_COUNT = 14;
export const SPAN_STATUS = 15;
export const SPAN_FLAGS = 16;

// trace/v1: Span.Event.
export const EVENT_TIME_UNIX_NANO = 1;
export const EVENT_NAME = 2;
/** dropped_attributes_count is the next field, 4. */
export const EVENT_ATTRIBUTES = 3;

// trace/v1: Span.Link, after trace_id, span_id and trace_state (as in Span).
/** dropped_attributes_count is the next field, 5. */
export const LINK_ATTRIBUTES = 4;
export const LINK_FLAGS = 6;

// trace/v1: Status.
export const STATUS_MESSAGE = 2;
export const STATUS_CODE = 3;

// logs/v1: LogRecord.
export const LOG_RECORD_TIME_UNIX_NANO = 1;
export const LOG_RECORD_SEVERITY_NUMBER = 2;
export const LOG_RECORD_SEVERITY_TEXT = 3;
export const LOG_RECORD_BODY = 5;
/** dropped_attributes_count is the next field, 7. */
export const LOG_RECORD_ATTRIBUTES = 6;
export const LOG_RECORD_FLAGS = 8;
export const LOG_RECORD_TRACE_ID = 9;
export const LOG_RECORD_SPAN_ID = 10;
export const LOG_RECORD_OBSERVED_TIME_UNIX_NANO = 11;
export const LOG_RECORD_EVENT_NAME = 12;

// metrics/v1: Metric, and its data oneof.
export const METRIC_NAME = 1;
export const METRIC_DESCRIPTION = 2;
export const METRIC_UNIT = 3;
export const METRIC_GAUGE = 5;
export const METRIC_SUM = 7;
export const METRIC_HISTOGRAM = 9;
export const METRIC_EXPONENTIAL_HISTOGRAM = 10;

// metrics/v1: Gauge, Sum, Histogram, ExponentialHistogram (the same numbers in each).
export const DATA_DATA_POINTS = 1;
export const DATA_AGGREGATION_TEMPORALITY = 2;
export const SUM_IS_MONOTONIC = 3;

// metrics/v1: the same numbers in every data point message.
export const POINT_START_TIME_UNIX_NANO = 2;
export const POINT_TIME_UNIX_NANO = 3;

// metrics/v1: NumberDataPoint.
export const NUMBER_AS_DOUBLE = 4;
export const NUMBER_EXEMPLARS = 5;
export const NUMBER_AS_INT = 6;
export const NUMBER_ATTRIBUTES = 7;
export const NUMBER_FLAGS = 8;

// metrics/v1: HistogramDataPoint.
export const HISTOGRAM_COUNT = 4;
export const HISTOGRAM_SUM = 5;
export const HISTOGRAM_BUCKET_COUNTS = 6;
export const HISTOGRAM_EXPLICIT_BOUNDS = 7;
export const HISTOGRAM_EXEMPLARS = 8;
export const HISTOGRAM_ATTRIBUTES = 9;
/** flags: also ExponentialHistogramDataPoint's number. */
export const HISTOGRAM_FLAGS = 10;
export const HISTOGRAM_MIN = 11;
export const HISTOGRAM_MAX = 12;

// metrics/v1: ExponentialHistogramDataPoint.
export const EXPONENTIAL_ATTRIBUTES = 1;
export const EXPONENTIAL_COUNT = 4;
export const EXPONENTIAL_SUM = 5;
export const EXPONENTIAL_SCALE = 6;
export const EXPONENTIAL_ZERO_COUNT = 7;
export const EXPONENTIAL_POSITIVE = 8;
export const EXPONENTIAL_NEGATIVE = 9;
export const EXPONENTIAL_EXEMPLARS = 11;
export const EXPONENTIAL_MIN = 12;
export const EXPONENTIAL_MAX = 13;

// metrics/v1: ExponentialHistogramDataPoint.Buckets.
export const BUCKETS_OFFSET = 1;
export const BUCKETS_BUCKET_COUNTS = 2;

// metrics/v1: Exemplar.
export const EXEMPLAR_TIME_UNIX_NANO = 2;
export const EXEMPLAR_AS_DOUBLE = 3;
export const EXEMPLAR_SPAN_ID = 4;
export const EXEMPLAR_TRACE_ID = 5;
export const EXEMPLAR_AS_INT = 6;
export const EXEMPLAR_FILTERED_ATTRIBUTES = 7;
