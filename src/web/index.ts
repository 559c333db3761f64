/**
 * The browser and edge entry: gRPC-web over fetch and CompressionStream compressions.
 */

export type { ExportResult, OtlpExporterOptions } from '../otel/exporter-options.js';
export type {
  OtlpMetricExporterOptions,
  TemporalityPreference,
} from '../otel/metric-exporter.js';
export { exporterUrlPattern } from '../otel/url-pattern.js';
export { gzipCompression, pickCompression, zstdCompression } from './compression.js';
export { createGrpcWebTransport, type GrpcWebTransportOptions } from './grpc-web-transport.js';
export { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from './otel-exporters.js';
export {
  type CompressionWorker,
  type WorkerCompressionOptions,
  workerCompression,
} from './worker-compression.js';
