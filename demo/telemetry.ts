import { logs as logsApi, SeverityNumber } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import type { OtlpError } from '../src/core/otlp-error.js';
import { createDurableQueue } from '../src/web/durable/index.js';
import {
  exporterUrlPattern,
  OTLPLogExporter,
  OTLPMetricExporter,
  OTLPTraceExporter,
} from '../src/web/index.js';
import { countingLogProcessor, countingSpanProcessor, type SdkQueue } from './sdk-queue.js';

// The SDK's default queue size, given explicitly so the queue counters know it.
const maxQueueSize = 2048;

/** How the page exports: durable mode (IndexedDB queue) and the export deadline. */
export interface DemoExportOptions {
  durable: boolean;
  timeoutMillis: number;
  /** The batch processors' delay before an export. */
  scheduledDelayMillis: number;
}

/**
 * The OTel web SDK, wired to this package's exporters over gRPC-web, with the page's fetches
 * traced, except the exporters' requests and `ignoreUrls` (the live view's queries).
 */
export function setupTelemetry(
  otlpUrl: string,
  ignoreUrls: RegExp[] = [],
  { durable, timeoutMillis, scheduledDelayMillis }: DemoExportOptions = {
    durable: false,
    timeoutMillis: 10_000,
    scheduledDelayMillis: 500,
  },
) {
  const resource = resourceFromAttributes({
    'service.name': 'otlp-grpc-web-demo',
    'service.version': '0.1.0',
    'browser.user_agent': navigator.userAgent,
  });
  // Every drop and notice the exporters report, for the panel and the tests.
  const errors: { message: string; signal: string; items: number; reason: string }[] = [];
  const onError = (e: OtlpError, info: { signal: string; items: number; reason: string }) =>
    void errors.push({ message: e.message, ...info });
  // One durable queue for the three signals: what cannot be sent now waits in IndexedDB.
  const common = {
    url: otlpUrl,
    compression: 'gzip' as const,
    timeoutMillis,
    onError,
    ...(durable && { durable: createDurableQueue({ name: 'otlp-grpc-web-demo' }) }),
  };
  const traceExporter = new OTLPTraceExporter(common);
  const metricExporter = new OTLPMetricExporter(common);
  const logExporter = new OTLPLogExporter(common);

  // Counted, so the panel shows what waits in the SDK while the backend is down.
  const spans = countingSpanProcessor(
    new BatchSpanProcessor(traceExporter, {
      scheduledDelayMillis,
      maxExportBatchSize: 512,
      maxQueueSize,
    }),
    traceExporter,
    maxQueueSize,
  );
  const tracerProvider = new WebTracerProvider({ resource, spanProcessors: [spans.processor] });
  // The page's own fetches become CLIENT spans, but never the exporters' requests: each export
  // would make a span, exported by another request, which makes a span... (the e2e checks it).
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new FetchInstrumentation({ ignoreUrls: [exporterUrlPattern(otlpUrl), ...ignoreUrls] }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 }),
    ],
  });
  const logRecords = countingLogProcessor(
    new BatchLogRecordProcessor({ exporter: logExporter, scheduledDelayMillis: 500, maxQueueSize }),
    logExporter,
    maxQueueSize,
  );
  const loggerProvider = new LoggerProvider({ resource, processors: [logRecords.processor] });
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
    errors,
    exporters: { traces: traceExporter, metrics: metricExporter, logs: logExporter },
    // Metrics have no SDK queue: the reader collects at each interval.
    sdkQueues: { traces: spans.queue, logs: logRecords.queue } as Record<string, SdkQueue>,
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
