import type { SpanLike } from '../encode/sdk-types.js';
import { encodeTraceExport } from '../encode/trace.js';
import { serviceCodec } from '../protocol/encoded-codec.js';
import type { ExporterDefaults } from './exporter-defaults.js';
import type { OtlpExporterOptions } from './exporter-options.js';
import { OtlpExporterBase } from './otlp-exporter-base.js';

/**
 * The SpanExporter of the OpenTelemetry SDK without its runtime: each entry
 * (`otlp-grpc-web`, `otlp-grpc-web/node`) exports an `OTLPTraceExporter` that passes its
 * {@link ExporterDefaults}.
 */
export class OtlpTraceExporterBase extends OtlpExporterBase<readonly SpanLike[]> {
  constructor(options: OtlpExporterOptions, defaults: ExporterDefaults) {
    super(
      serviceCodec('traces', 'trace.v1.TraceService'),
      encodeTraceExport,
      (spans) => spans.length,
      options,
      defaults,
    );
  }
}
