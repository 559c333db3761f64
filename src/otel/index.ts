/**
 * The OpenTelemetry SDK exporters without a runtime: the entries (`otlp-grpc-web`,
 * `otlp-grpc-web/node`) bind them to their transports, compressions and clocks.
 */
export type { ExporterDefaults } from './exporter-defaults.js';
export type { ExportResult, OtlpExporterOptions } from './exporter-options.js';
export { OtlpLogExporterBase } from './log-exporter.js';
export {
  OtlpMetricExporterBase,
  type OtlpMetricExporterOptions,
  type TemporalityPreference,
} from './metric-exporter.js';
export { OtlpTraceExporterBase } from './trace-exporter.js';
export { exporterUrlPattern } from './url-pattern.js';
