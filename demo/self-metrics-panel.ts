import type { Telemetry } from './telemetry.js';

type Snapshot = ReturnType<Telemetry['exporters']['traces']['metrics']>;

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** The exporters' own numbers: what they queued, sent, retried and dropped. */
export function renderSelfMetrics(exporters: Telemetry['exporters']): string {
  const rows = (Object.entries(exporters) as [string, { metrics(): Snapshot }][])
    .map(([signal, exporter]) => {
      const m = exporter.metrics();
      const ratio = m.bytesSent > 0 ? (m.bytesUncompressed / m.bytesSent).toFixed(2) : '–';
      const last = m.lastError ? `${m.lastError.code}: ${m.lastError.message}` : '';
      return `<tr data-signal="${signal}"><th>${signal}</th><td class="queued">${m.queuedItems}</td><td class="sent">${m.itemsSent}</td><td class="retries">${m.retries}</td><td class="dropped">${sum(m.droppedByReason)}</td><td>${ratio}</td><td class="last-error">${last.replace(/</g, '&lt;')}</td></tr>`;
    })
    .join('');
  return `<table class="self"><tr><th></th><th>queued</th><th>sent</th><th>retries</th><th>dropped</th><th>gzip ratio</th><th>last error</th></tr>${rows}</table>`;
}
