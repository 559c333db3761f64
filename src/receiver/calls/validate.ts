import type { ExportLogsServiceRequest } from '../../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import type { ExportMetricsServiceRequest } from '../../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import type { ExportTraceServiceRequest } from '../../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { Exemplar, Metric } from '../../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';

/** The outcome of checking one request: what was refused, and why (the first offender). */
export interface Rejections {
  rejected: number;
  /** "" when nothing was rejected. */
  errorMessage: string;
}

/** {@link Rejections} and the items kept (spans, data points or log records). */
export interface Checked extends Rejections {
  accepted: number;
}

const allZero = (id: Uint8Array) => id.every((b) => b === 0);

/** Why an id is invalid, or undefined when it is fine. `optional` allows an empty id. */
export function idProblem(
  name: string,
  id: Uint8Array,
  length: number,
  optional = false,
): string | undefined {
  if (id.length === 0 && optional) return undefined;
  if (id.length !== length) return `${name} of ${id.length} bytes (want ${length})`;
  if (allZero(id)) return `all-zero ${name}`;
  return undefined;
}

/** Counts rejected items and keeps the first reason, for partial_success. */
export function collector(noun: string) {
  let rejected = 0;
  let accepted = 0;
  let first = '';
  return {
    reject(what: string, problem: string) {
      rejected++;
      if (!first) first = `${what} has ${problem}`;
    },
    keep(n: number) {
      accepted += n;
    },
    result(): Checked {
      const errorMessage = rejected ? `${rejected} ${noun} rejected: ${first}` : '';
      return { rejected, errorMessage, accepted };
    },
  };
}

/**
 * Removes spans with invalid ids (trace_id not 16 bytes, span_id not 8, all-zero ids, a
 * parent_span_id that is neither empty nor 8 bytes) from the request, in place, and drops
 * scopes and resources left empty, so what remains can be stored and forwarded as is.
 */
export function filterTraces(request: ExportTraceServiceRequest): Checked {
  const c = collector('spans');
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      ss.spans = ss.spans.filter((span) => {
        const problem =
          idProblem('trace_id', span.traceId, 16) ??
          idProblem('span_id', span.spanId, 8) ??
          (span.parentSpanId.length === 0
            ? undefined
            : idProblem('parent_span_id', span.parentSpanId, 8));
        if (problem) c.reject(`span "${span.name}"`, problem);
        return !problem;
      });
      c.keep(ss.spans.length);
    }
    rs.scopeSpans = rs.scopeSpans.filter((ss) => ss.spans.length > 0);
  }
  request.resourceSpans = request.resourceSpans.filter((rs) => rs.scopeSpans.length > 0);
  return c.result();
}

/**
 * Removes log records whose trace context is present but invalid. A record without
 * context (both ids empty) is fine; a span_id needs a trace_id.
 */
export function filterLogs(request: ExportLogsServiceRequest): Checked {
  const c = collector('log records');
  for (const rl of request.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      sl.logRecords = sl.logRecords.filter((record) => {
        const problem =
          idProblem('trace_id', record.traceId, 16, true) ??
          idProblem('span_id', record.spanId, 8, true) ??
          (record.spanId.length > 0 && record.traceId.length === 0
            ? 'a span_id without a trace_id'
            : undefined);
        if (problem)
          c.reject(`log record "${record.severityText || record.severityNumber}"`, problem);
        return !problem;
      });
      c.keep(sl.logRecords.length);
    }
    rl.scopeLogs = rl.scopeLogs.filter((sl) => sl.logRecords.length > 0);
  }
  request.resourceLogs = request.resourceLogs.filter((rl) => rl.scopeLogs.length > 0);
  return c.result();
}

function exemplarProblem(exemplars: Exemplar[]): string | undefined {
  for (const e of exemplars) {
    const problem =
      idProblem('exemplar trace_id', e.traceId, 16, true) ??
      idProblem('exemplar span_id', e.spanId, 8, true);
    if (problem) return problem;
  }
  return undefined;
}

/** Data points in a metric, whatever its kind. */
export function dataPoints(metric: Metric): readonly object[] {
  return metric.data.case === undefined ? [] : metric.data.value.dataPoints;
}

/**
 * Removes metric data points that cannot be stored: every point of a metric without a
 * name, and points whose exemplars carry invalid ids. Metrics left without points go too.
 */
export function filterMetrics(request: ExportMetricsServiceRequest): Checked {
  const c = collector('data points');
  for (const rm of request.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      sm.metrics = sm.metrics.filter((metric) => {
        if (metric.data.case === undefined) return false;
        if (!metric.name) {
          for (const _ of metric.data.value.dataPoints) c.reject('a metric', 'an empty name');
          return false;
        }
        const kept = dataPoints(metric).filter((p) => {
          const problem = exemplarProblem((p as { exemplars?: Exemplar[] }).exemplars ?? []);
          if (problem) c.reject(`a data point of "${metric.name}"`, problem);
          return !problem;
        });
        (metric.data.value as { dataPoints: unknown[] }).dataPoints = kept;
        c.keep(kept.length);
        return kept.length > 0;
      });
    }
    rm.scopeMetrics = rm.scopeMetrics.filter((sm) => sm.metrics.length > 0);
  }
  request.resourceMetrics = request.resourceMetrics.filter((rm) => rm.scopeMetrics.length > 0);
  return c.result();
}
