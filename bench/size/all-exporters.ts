// Size fixture (b): the same app exporting traces, metrics and logs, each exporter handed
// to the SDK's processor or reader (the SDK external, as in fixture a).
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from '../../src/web/index.js';

const url = 'https://otlp.example.com';
export const spans = new BatchSpanProcessor(new OTLPTraceExporter({ url, compression: 'gzip' }));
export const metrics = new PeriodicExportingMetricReader({
  exporter: new OTLPMetricExporter({ url, compression: 'gzip' }),
});
export const logs = new BatchLogRecordProcessor(new OTLPLogExporter({ url, compression: 'gzip' }));
