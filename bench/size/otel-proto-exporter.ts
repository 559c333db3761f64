// Size fixture (c), the incumbent: app (a) with OpenTelemetry's own protobuf exporter.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

// Its default, no compression: OTel's browser transport (XHR, sendBeacon) does not compress.
export const processor = new BatchSpanProcessor(
  new OTLPTraceExporter({ url: 'https://otlp.example.com/v1/traces' }),
);
