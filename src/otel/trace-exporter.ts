import type { SpanLike } from '../encode/sdk-types.js';
import { encodeTraceExport } from '../encode/trace.js';
import { serviceCodec } from '../protocol/encoded-codec.js';
import type { OtlpExporterOptions } from './exporter-options.js';
import { OtlpExporterBase } from './otlp-exporter-base.js';

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
export class OTLPTraceExporter extends OtlpExporterBase<readonly SpanLike[]> {
  constructor(options: OtlpExporterOptions = {}) {
    super(
      serviceCodec('traces', 'trace.v1.TraceService'),
      encodeTraceExport,
      (spans) => spans.length,
      options,
    );
  }
}
