/**
 * Drop-in OpenTelemetry SDK exporters over the shared export pipeline.
 */
export type { EncodedBatch, ExportResult, OtlpExporterOptions } from './exporter-options.js';
export { OTLPLogExporter } from './log-exporter.js';
export {
  OTLPMetricExporter,
  type OtlpMetricExporterOptions,
  type TemporalityPreference,
} from './metric-exporter.js';
export { OTLPTraceExporter } from './trace-exporter.js';
export { exporterUrlPattern } from './url-pattern.js';
