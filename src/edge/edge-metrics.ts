import type { Meter } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { OtlpEnv } from '../config/otlp-env.js';
import type { OtlpMetricExporterOptions } from '../otel/metric-exporter.js';
import { OTLPMetricExporter } from '../web/otel-exporters.js';
import { type EdgeExportersOptions, edgeExporterOptions } from './edge-exporters.js';
import { type EdgeResourceOptions, edgeResource } from './edge-resource.js';
import type { Flushable, FlushReport } from './flush-after-response.js';
import { exportOnce } from './request-buffers.js';

/** Options of {@link createEdgeMetrics}. */
export interface EdgeMetricsOptions
  extends EdgeExportersOptions,
    Pick<OtlpMetricExporterOptions, 'temporalityPreference'>,
    EdgeResourceOptions {}

/**
 * Metrics for an edge worker: a MeterProvider whose reader collects on demand. The SDK's
 * PeriodicExportingMetricReader needs a timer, which Workers forbid in global scope and
 * which a frozen isolate would not run anyway, so instead each request's flush collects
 * and exports once. Keep one per isolate (instruments aggregate across requests).
 */
export interface EdgeMetrics extends Flushable {
  readonly meterProvider: MeterProvider;
  /** A meter of this provider. */
  getMeter(name: string, version?: string): Meter;
}

/** A reader that only collects when asked: no timer, nothing on shutdown. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * Creates {@link EdgeMetrics} exporting through an OTLPMetricExporter configured from the
 * OTEL_EXPORTER_OTLP_METRICS_* / OTEL_EXPORTER_OTLP_* bindings, with the same checks as
 * {@link createEdgeExporters}. Its own module, so workers without metrics never bundle
 * the metrics SDK.
 */
export function createEdgeMetrics(env: OtlpEnv, options: EdgeMetricsOptions): EdgeMetrics {
  const { serviceName, resourceAttributes, temporalityPreference, ...rest } = options;
  const exporter = new OTLPMetricExporter({
    ...edgeExporterOptions('metrics', env, rest),
    ...(temporalityPreference === undefined ? {} : { temporalityPreference }),
  });
  const reader = new OnDemandReader({
    aggregationTemporalitySelector: (type) => exporter.selectAggregationTemporality(type),
  });
  const meterProvider = new MeterProvider({
    resource: edgeResource({ serviceName, ...(resourceAttributes ? { resourceAttributes } : {}) }),
    readers: [reader],
  });
  return {
    meterProvider,
    getMeter: (name, version) => meterProvider.getMeter(name, version),
    async flush(): Promise<FlushReport> {
      const { resourceMetrics } = await reader.collect();
      return exportOnce('metrics', exporter, resourceMetrics, countPoints(resourceMetrics));
    },
  };
}

// Data points, what the metrics exporter counts as items.
function countPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  }
  return points;
}
