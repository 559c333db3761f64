// Size fixture (b): the same app exporting traces, metrics and logs.
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from '../../src/otel/index.js';

const url = 'https://otlp.example.com';
const tracing = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url, compression: 'gzip' }))],
});
const metrics = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url, compression: 'gzip' }),
    }),
  ],
});
const logs = new LoggerProvider({
  processors: [new BatchLogRecordProcessor(new OTLPLogExporter({ url, compression: 'gzip' }))],
});
tracing.getTracer('app').startSpan('hello').end();
metrics.getMeter('app').createCounter('hits').add(1);
logs.getLogger('app').emit({ body: 'hello' });
