// The benchmark page (bundled by esbuild for Chromium, see chromium-bench.mjs): the
// OpenTelemetry SDK's BatchSpanProcessor in front of the exporter the entry gives, spans
// made in tasks of `taskSize` as a busy page makes them, then forceFlush. The Node side
// reads main-thread task time (CDP) around `window.bench`.
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** One span as fetch or click instrumentation makes it: 10 attributes and an event. */
function makeSpan(tracer, i) {
  const span = tracer.startSpan('GET /api/orders/{id}', {
    attributes: {
      'http.request.method': 'GET',
      'url.full': `https://shop.example.com/api/orders/${1000 + i}`,
      'url.path': `/api/orders/${1000 + i}`,
      'http.route': '/api/orders/{id}',
      'http.response.status_code': i % 17 === 0 ? 500 : 200,
      'server.address': 'shop.example.com',
      'server.port': 443,
      'user_agent.original': USER_AGENT,
      'http.response_content_length': 1000 + (i % 500),
      'session.id': `s-${i % 64}`,
    },
  });
  span.addEvent('fetchStart', { 'cache.hit': i % 3 === 0 });
  span.end();
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Installs `window.bench(config)`: `makeExporter(config)` gives the exporter under test
 * (or a no-op one, the baseline). Resolves with the time from forceFlush to its end (the
 * last answer) and the exporter's own metrics where it has them.
 */
export function install(makeExporter) {
  window.bench = async ({ spans, taskSize, batch, ...config }) => {
    const exporter = makeExporter(config);
    // The queue holds every span of the run, so no exporter is spared work by SDK drops.
    // `batch`: the processor's maxExportBatchSize (the SDK's default, 512, when not given).
    const processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: spans,
      ...(batch ? { maxExportBatchSize: batch } : {}),
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('browser-bench', '1.0.0');
    for (let made = 0; made < spans; made += taskSize) {
      await nextTask();
      for (let i = made; i < Math.min(spans, made + taskSize); i++) makeSpan(tracer, i);
    }
    await nextTask();
    const flushStarted = performance.now();
    await provider.forceFlush();
    const flushMs = performance.now() - flushStarted;
    const metrics = typeof exporter.metrics === 'function' ? exporter.metrics() : undefined;
    await provider.shutdown();
    return { flushMs, metrics: metrics && JSON.parse(JSON.stringify(metrics)) };
  };
}
