import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import {
  type GetStatsResponse,
  QueryService,
  type SignalStats,
  type StoredLog,
  type StoredMetric,
  type StoredSpan,
} from '../gen/otlpgrpcweb/query/v1/query_pb.js';

/**
 * The live view's own requests (`<queryUrl>/otlpgrpcweb.query.v1.QueryService/<method>`), for
 * instrumentation-fetch's `ignoreUrls`: polling is not app traffic, and tracing it would make
 * spans every 700 ms.
 */
export function queryUrlPattern(queryUrl: string): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal(queryUrl.replace(/\/+$/, ''))}/${literal(QueryService.typeName)}/`);
}

/** What the receiver holds, as the page shows it. */
export interface ReceiverView {
  stats: GetStatsResponse;
  spans: StoredSpan[];
  logs: StoredLog[];
  metrics: StoredMetric[];
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Polls the receiver's QueryService (Connect protocol over fetch, straight to the
 * receiver: the query API is not telemetry, so it does not go through Envoy) and keeps
 * the newest items.
 */
export function createReceiverPoller(
  queryUrl: string,
  onUpdate: (view: ReceiverView) => void,
  onError: (e: unknown) => void,
) {
  const client = createClient(QueryService, createConnectTransport({ baseUrl: queryUrl }));
  const view: ReceiverView = {
    stats: undefined as unknown as GetStatsResponse,
    spans: [],
    logs: [],
    metrics: [],
  };
  let spanSeq = 0n;
  let logSeq = 0n;
  let metricSeq = 0n;
  const keep = <T>(list: T[], added: T[], max: number) => list.concat(added).slice(-max);
  const poll = async () => {
    const [stats, spans, logs, metrics] = await Promise.all([
      client.getStats({}),
      client.listSpans({ afterSeq: spanSeq, limit: 200 }),
      client.listLogs({ afterSeq: logSeq, limit: 100 }),
      client.listMetrics({ afterSeq: metricSeq, limit: 100 }),
    ]);
    spanSeq = spans.lastSeq > spanSeq ? spans.lastSeq : spanSeq;
    logSeq = logs.lastSeq > logSeq ? logs.lastSeq : logSeq;
    metricSeq = metrics.lastSeq > metricSeq ? metrics.lastSeq : metricSeq;
    view.stats = stats;
    view.spans = keep(view.spans, spans.spans, 200);
    view.logs = keep(view.logs, logs.logs, 50);
    view.metrics = keep(view.metrics, metrics.metrics, 50);
    onUpdate(view);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    try {
      await poll();
    } catch (error) {
      onError(error);
    }
    timer = setTimeout(loop, 700);
  };
  return {
    start: () => void loop(),
    stop: () => clearTimeout(timer),
    clear: async () => {
      await client.clear({});
      view.spans = [];
      view.logs = [];
      view.metrics = [];
    },
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** Totals per signal, as a small table. */
export function renderTotals(stats: GetStatsResponse | undefined): string {
  if (!stats) return '<p class="muted">waiting for the receiver…</p>';
  const row = (name: string, s: SignalStats | undefined) =>
    `<tr data-signal="${name}"><th>${name}</th><td class="accepted">${s?.itemsAccepted ?? 0}</td><td>${s?.itemsRejected ?? 0}</td><td>${s?.requests ?? 0}</td><td>${(Number(s?.bytes ?? 0) / 1024).toFixed(1)} KiB</td></tr>`;
  return `<table class="totals"><tr><th></th><th>accepted</th><th>rejected</th><th>requests</th><th>bytes</th></tr>${row('traces', stats.traces)}${row('metrics', stats.metrics)}${row('logs', stats.logs)}</table>`;
}

/** The newest traces as waterfalls: one bar per span, offset and width by time. */
export function renderWaterfall(spans: StoredSpan[]): string {
  const byTrace = new Map<string, StoredSpan[]>();
  for (const s of spans) {
    if (!s.span) continue;
    const id = hex(s.span.traceId);
    byTrace.set(id, [...(byTrace.get(id) ?? []), s]);
  }
  const traces = [...byTrace.entries()].slice(-6).reverse();
  if (traces.length === 0) return '<p class="muted">no spans yet</p>';
  return traces
    .map(([traceId, items]) => {
      // bigint nanoseconds: Math.min/max take numbers only.
      let start = items[0]!.span!.startTimeUnixNano;
      let end = 0n;
      for (const { span } of items) {
        if (span!.startTimeUnixNano < start) start = span!.startTimeUnixNano;
        if (span!.endTimeUnixNano > end) end = span!.endTimeUnixNano;
      }
      const total = Number(end - start) || 1;
      const sorted = [...items].sort((a, b) =>
        a.span!.startTimeUnixNano < b.span!.startTimeUnixNano ? -1 : 1,
      );
      const shown = sorted.slice(0, 12);
      const more = sorted.length - shown.length;
      const bars = shown
        .map((s) => {
          const span = s.span!;
          const left = (Number(span.startTimeUnixNano - start) / total) * 100;
          const width = Math.max(
            (Number(span.endTimeUnixNano - span.startTimeUnixNano) / total) * 100,
            0.5,
          );
          const ms = Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
          const error = span.status?.code === 2 ? ' error' : '';
          return `<div class="span-row" data-span-name="${esc(span.name)}"><span class="span-name">${esc(span.name)}</span><span class="bar-track"><span class="bar${error}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></span><span class="span-ms">${ms.toFixed(1)} ms</span></div>`;
        })
        .join('')
        .concat(more > 0 ? `<div class="muted">… ${more} more spans</div>` : '');
      return `<div class="trace" data-trace-id="${traceId}"><div class="trace-id">trace ${traceId.slice(0, 16)}… · ${items.length} spans</div>${bars}</div>`;
    })
    .join('');
}

/** The newest log lines. */
export function renderLogs(logs: StoredLog[]): string {
  if (logs.length === 0) return '<p class="muted">no logs yet</p>';
  return logs
    .slice(-20)
    .reverse()
    .map((l) => {
      const r = l.logRecord!;
      const body =
        r.body?.value.case === 'stringValue'
          ? r.body.value.value
          : JSON.stringify(r.body?.value.value ?? '');
      return `<div class="log sev-${esc(r.severityText.toLowerCase())}" data-severity="${r.severityNumber}"><span class="sev">${esc(r.severityText || String(r.severityNumber))}</span> ${esc(String(body))}</div>`;
    })
    .join('');
}

/** The newest value of each metric. */
export function renderMetrics(metrics: StoredMetric[]): string {
  const latest = new Map<string, StoredMetric>();
  for (const m of metrics) if (m.metric) latest.set(m.metric.name, m);
  if (latest.size === 0) return '<p class="muted">no metrics yet</p>';
  return [...latest.values()]
    .map(({ metric }) => {
      const data = metric!.data;
      let value = '';
      if (data.case === 'sum' || data.case === 'gauge') {
        const total = data.value.dataPoints.reduce(
          (a, p) => a + (p.value.case === 'asInt' ? Number(p.value.value) : (p.value.value ?? 0)),
          0,
        );
        value = String(total);
      } else if (data.case === 'histogram') {
        const count = data.value.dataPoints.reduce((a, p) => a + Number(p.count), 0);
        const sum = data.value.dataPoints.reduce((a, p) => a + (p.sum ?? 0), 0);
        value = `count ${count}, mean ${(count ? sum / count : 0).toFixed(1)}`;
      } else value = data.case ?? '';
      return `<div class="metric" data-metric-name="${esc(metric!.name)}"><span class="metric-name">${esc(metric!.name)}</span> <span class="metric-value">${esc(value)}</span> <span class="muted">${esc(metric!.unit)}</span></div>`;
    })
    .join('');
}
