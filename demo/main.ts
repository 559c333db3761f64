import { context, type Span, trace } from '@opentelemetry/api';
import {
  createReceiverPoller,
  queryUrlPattern,
  renderLogs,
  renderMetrics,
  renderTotals,
  renderWaterfall,
} from './live-view.js';
import { renderSelfMetrics } from './self-metrics-panel.js';
import { setupTelemetry } from './telemetry.js';

// Where telemetry goes (Envoy's gRPC-web listener, or the receiver itself as the fallback)
// and where the live view reads from (the receiver's QueryService). `npm start` sets these;
// a built page takes them from the query string: ?otlp=http://...&query=http://...
const params = new URLSearchParams(location.search);
const host = location.hostname || '127.0.0.1';
const otlpUrl = params.get('otlp') ?? import.meta.env.VITE_OTLP_URL ?? `http://${host}:8080`;
const queryUrl = params.get('query') ?? import.meta.env.VITE_QUERY_URL ?? `http://${host}:4317`;
const via = params.get('via') ?? import.meta.env.VITE_OTLP_VIA ?? 'envoy';
// Durable mode (?durable=1): what cannot be sent (offline, backend down, page unload) waits
// in IndexedDB and is replayed later. ?timeout=ms shortens the export deadline (tests).
const durable = params.get('durable') === '1';
const timeoutMillis = Number(params.get('timeout')) || 10_000;
// ?batchDelay=ms: how long the SDK's batch processor waits before exporting (tests).
const scheduledDelayMillis = Number(params.get('batchDelay')) || 500;

const $ = (id: string) => document.getElementById(id)!;
$('route').textContent =
  `${otlpUrl} (${via === 'envoy' ? 'Envoy gRPC-web bridge' : "receiver's own gRPC-web"}) · live view from ${queryUrl}`;

// The live view's polling is not app traffic: it is kept out of fetch instrumentation too.
const telemetry = setupTelemetry(otlpUrl, [queryUrlPattern(queryUrl)], {
  durable,
  timeoutMillis,
  scheduledDelayMillis,
});
const toggle = $('durable-toggle') as HTMLInputElement;
toggle.checked = durable;
toggle.addEventListener('change', () => {
  // The exporters are built once per page: switching mode is a reload with the new setting.
  params.set('durable', toggle.checked ? '1' : '0');
  location.search = params.toString();
});
const { tracer, logger } = telemetry;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A span under `parent` that lasts `ms` (a stand-in for real work), ended before resolving. */
async function step(name: string, parent: Span, ms: number, work?: (span: Span) => Promise<void>) {
  const span = tracer.startSpan(name, {}, trace.setSpan(context.active(), parent));
  await sleep(ms);
  await work?.(span);
  span.end();
}

// Parents are passed explicitly: a context manager cannot follow `await` in browsers
// without zone.js, and the demo should not need it.
async function userClickTrace() {
  const root = tracer.startSpan('user.click checkout', {
    attributes: { 'ui.element': 'button#checkout' },
  });
  await step('cart.validate', root, 15);
  await step('api.POST /checkout', root, 20, async (api) => {
    api.setAttribute('http.request.method', 'POST');
    await step('payment.authorize', api, 40);
  });
  await step('ui.render receipt', root, 10);
  root.end();
  telemetry.clicks.add(1, { button: 'checkout' });
}

/** `n` spans in one trace; `payloadBytes` of attribute on each make them bigger. */
function burst(n: number, payloadBytes = 0) {
  const root = tracer.startSpan(`burst of ${n}`);
  const parent = trace.setSpan(context.active(), root);
  const attributes = payloadBytes ? { 'demo.payload': 'x'.repeat(payloadBytes) } : {};
  for (let i = 0; i < n - 1; i++) tracer.startSpan(`burst.item ${i}`, { attributes }, parent).end();
  root.end();
}

function logEachSeverity() {
  for (const [severityNumber, severityText] of telemetry.severities) {
    logger.emit({
      severityNumber,
      severityText,
      body: `${severityText.toLowerCase()} message from the demo page`,
      attributes: { 'demo.button': 'logs' },
    });
  }
}

function recordMetrics() {
  telemetry.clicks.add(1, { button: 'metrics' });
  for (let i = 0; i < 5; i++)
    telemetry.latency.record(Math.round(5 + Math.random() * 200), { task: 'simulated' });
}

/** Ordinary app traffic: a same-origin GET, which instrumentation-fetch turns into a span. */
async function appFetch(): Promise<number> {
  const status = $('fetch-status');
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}products.json`);
    const { products } = (await response.json()) as { products: unknown[] };
    status.textContent = `GET /products.json: ${response.status}, ${products.length} products`;
    return response.status;
  } catch (error) {
    status.textContent = `GET /products.json failed: ${String(error)}`;
    throw error;
  }
}

$('btn-click').addEventListener('click', () => void userClickTrace());
$('btn-burst').addEventListener('click', () =>
  burst(Number(($('burst-n') as HTMLInputElement).value) || 50),
);
$('btn-logs').addEventListener('click', logEachSeverity);
$('btn-metrics').addEventListener('click', recordMetrics);
$('btn-fetch').addEventListener('click', () => void appFetch().catch(() => {}));
$('btn-flush').addEventListener('click', () => void telemetry.flush());

const poller = createReceiverPoller(
  queryUrl,
  (view) => {
    $('totals').innerHTML = renderTotals(view.stats);
    $('waterfall').innerHTML = renderWaterfall(view.spans);
    $('logs').innerHTML = renderLogs(view.logs);
    $('metrics').innerHTML = renderMetrics(view.metrics);
    $('receiver-status').textContent = 'receiver: up';
    $('receiver-status').className = 'ok';
  },
  (error) => {
    $('receiver-status').textContent =
      `receiver: unreachable (${error instanceof Error ? error.message : String(error)})`;
    $('receiver-status').className = 'bad';
  },
);
$('btn-clear').addEventListener('click', () => void poller.clear());
poller.start();
setInterval(() => {
  $('self-metrics').innerHTML = renderSelfMetrics(telemetry.exporters, telemetry.sdkQueues);
}, 500);

// For tests and the curious: the page's telemetry handles.
Object.assign(window, {
  demo: { telemetry, userClickTrace, burst, logEachSeverity, recordMetrics, appFetch },
});
