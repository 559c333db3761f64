// The page of page-unload.spec.ts, bundled from the built package: OTel's
// BatchSpanProcessor in front of this package's OTLPTraceExporter, spans left pending.
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from 'otlp-grpc-web';

/**
 * Makes `spans` spans (an attribute of `valueBytes` characters each, when given) and
 * leaves them to the processor. When the page goes, the processor flushes them on
 * `visibilitychange`; this page's own listener, registered after the processor's, runs
 * once that flush has made every decision and stores the exporter's counts for the test.
 */
window.pend = ({ url, compression, spans, valueBytes }) => {
  const exporter = new OTLPTraceExporter({ url, compression });
  const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 10_000 });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  document.addEventListener('visibilitychange', () => {
    localStorage.setItem('unload', JSON.stringify(exporter.metrics()));
  });
  const tracer = provider.getTracer('unload-test');
  const value = 'v'.repeat(valueBytes ?? 0);
  for (let i = 0; i < spans; i++) {
    tracer.startSpan(`s${i}`, valueBytes ? { attributes: { value } } : {}).end();
  }
};
