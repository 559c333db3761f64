import { logs as logsApi, SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from '../src/otel/index.js';

/** The OTel web SDK, wired to this package's exporters over gRPC-web. */
export function setupTelemetry(otlpUrl: string) {
  const resource = resourceFromAttributes({
    'service.name': 'otlp-grpc-web-demo',
    'service.version': '0.1.0',
    'browser.user_agent': navigator.userAgent,
  });
  const common = { url: otlpUrl, compression: 'gzip' as const, timeoutMillis: 10_000 };
  const traceExporter = new OTLPTraceExporter(common);
  const metricExporter = new OTLPMetricExporter(common);
  const logExporter = new OTLPLogExporter(common);

  const tracerProvider = new WebTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(traceExporter, { scheduledDelayMillis: 500, maxExportBatchSize: 512 }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: logExporter, scheduledDelayMillis: 500 })],
  });
  logsApi.setGlobalLoggerProvider(loggerProvider);

  const tracer = tracerProvider.getTracer('demo-page', '0.1.0');
  const meter = meterProvider.getMeter('demo-page', '0.1.0');
  const logger = loggerProvider.getLogger('demo-page', '0.1.0');
  const clicks = meter.createCounter('demo.clicks', {
    description: 'Button clicks on the demo page',
    unit: '{click}',
  });
  const latency = meter.createHistogram('demo.task.duration', {
    description: 'Simulated task duration',
    unit: 'ms',
  });

  const flush = () =>
    Promise.all([
      tracerProvider.forceFlush(),
      meterProvider.forceFlush(),
      loggerProvider.forceFlush(),
    ]);

  return {
    tracer,
    logger,
    clicks,
    latency,
    flush,
    exporters: { traces: traceExporter, metrics: metricExporter, logs: logExporter },
    severities: [
      [SeverityNumber.TRACE, 'TRACE'],
      [SeverityNumber.DEBUG, 'DEBUG'],
      [SeverityNumber.INFO, 'INFO'],
      [SeverityNumber.WARN, 'WARN'],
      [SeverityNumber.ERROR, 'ERROR'],
      [SeverityNumber.FATAL, 'FATAL'],
    ] as const,
  };
}

export type Telemetry = ReturnType<typeof setupTelemetry>;
