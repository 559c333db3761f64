import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { ExporterDefaults } from '../otel/exporter-defaults.js';
import type { OtlpExporterOptions } from '../otel/exporter-options.js';
import { OtlpLogExporterBase } from '../otel/log-exporter.js';
import { OtlpMetricExporterBase, type OtlpMetricExporterOptions } from '../otel/metric-exporter.js';
import { OtlpTraceExporterBase } from '../otel/trace-exporter.js';
import { createDefaultClock } from '../runtime/default-runtime.js';
import { gzipCompression, pickCompression } from './compression.js';
import { createGrpcWebTransport } from './grpc-web-transport.js';
import { inTaskCompression } from './in-task-compression.js';
import { watchPage } from './page-unload.js';

/**
 * The defaults of the `otlp-grpc-web` exporters: gRPC-web over fetch, CompressionStream
 * (in a Worker in pages), the page's lifecycle for keepalive at unload, gzip that
 * finishes within the task at unload, the global clock.
 */
const webDefaults: ExporterDefaults = {
  transport(name) {
    if (name && name !== 'grpc-web') {
      // Native gRPC lives in `otlp-grpc-web/node` so that browser bundles never reach Node
      // code; its exporters pass their transport as an object.
      throw new OtlpError(
        `transport "${name}" needs the exporters of "otlp-grpc-web/node"`,
        INVALID_ARGUMENT,
      );
    }
    return createGrpcWebTransport();
  },
  compression: pickCompression,
  runtime: createDefaultClock,
  page: watchPage,
  unloadCompression: (name) => (name === 'gzip' ? inTaskCompression(gzipCompression()) : undefined),
};

/**
 * A drop-in OpenTelemetry SDK SpanExporter sending OTLP over gRPC-web (default) or any
 * transport. Give it to the SDK's BatchSpanProcessor, which batches; each export is one
 * request with retry, compression and a deadline.
 *
 * Its own requests must not be traced: with @opentelemetry/instrumentation-fetch, add
 * `exporterUrlPattern(url)` to `ignoreUrls`, or give the transport the fetch from before
 * instrumentation (`createGrpcWebTransport({ fetch })`).
 *
 * @example
 * const provider = new WebTracerProvider({
 *   spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: 'https://otlp.example.com' }))],
 * });
 */
export class OTLPTraceExporter extends OtlpTraceExporterBase {
  constructor(options: OtlpExporterOptions = {}) {
    super(options, webDefaults);
  }
}

/**
 * A drop-in OpenTelemetry SDK PushMetricExporter sending OTLP over gRPC-web (default) or
 * any transport; use it under a PeriodicExportingMetricReader.
 */
export class OTLPMetricExporter extends OtlpMetricExporterBase {
  constructor(options: OtlpMetricExporterOptions = {}) {
    super(options, webDefaults);
  }
}

/**
 * A drop-in OpenTelemetry SDK LogRecordExporter sending OTLP over gRPC-web (default) or
 * any transport; use it under the SDK's BatchLogRecordProcessor.
 */
export class OTLPLogExporter extends OtlpLogExporterBase {
  constructor(options: OtlpExporterOptions = {}) {
    super(options, webDefaults);
  }
}
