import type { Telemetry } from './telemetry.js';

type Snapshot = ReturnType<Telemetry['exporters']['traces']['metrics']>;

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/**
 * The exporters' own numbers: what they queued, sent, retried and dropped, beside what
 * waits in (or was dropped by) the SDK's batch processors before reaching them.
 */
export function renderSelfMetrics(
  exporters: Telemetry['exporters'],
  sdkQueues: Telemetry['sdkQueues'],
): string {
  const rows = (Object.entries(exporters) as [string, { metrics(): Snapshot }][])
    .map(([signal, exporter]) => {
      const m = exporter.metrics();
      const sdk = sdkQueues[signal];
      const ratio = m.bytesSent > 0 ? (m.bytesUncompressed / m.bytesSent).toFixed(2) : '–';
      const last = m.lastError ? `${m.lastError.code}: ${m.lastError.message}` : '';
      const escaped = last.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      const d = m.durable;
      const durable = d
        ? `<td class="stored" title="expired ${d.expiredItems}, evicted ${d.evictedItems}, refused by the store ${d.refusedItems}">${d.available ? d.storedItems : 'unavailable'}</td><td class="replayed">${d.replayedItems}</td><td class="expired">${d.expiredItems}</td>`
        : '<td class="stored">off</td><td class="replayed">–</td><td class="expired">–</td>';
      // Each reason with items, for the tooltip of the dropped count.
      const reasons = Object.entries(m.droppedByReason)
        .filter(([, n]) => n)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ');
      return `<tr data-signal="${signal}"><th>${signal}</th><td class="sdk-queued">${sdk ? sdk.queued : '–'}</td><td class="queued">${m.queuedItems}</td><td class="sent">${m.itemsSent}</td><td class="retries">${m.retries}</td><td class="dropped" title="${reasons || 'none'}${sdk?.dropped ? `, SDK queue ${sdk.dropped}` : ''}">${sum(m.droppedByReason) + (sdk?.dropped ?? 0)}</td>${durable}<td>${ratio}</td><td class="last-error" title="${escaped}">${escaped}</td></tr>`;
    })
    .join('');
  return `<table class="self"><tr><th></th><th title="waiting in the SDK's batch processor">SDK queue</th><th title="held by the exporter">queued</th><th>sent</th><th>retries</th><th>dropped</th><th title="kept in IndexedDB (durable mode)">stored</th><th title="stored, then accepted on replay">replayed</th><th title="stored, deleted unsent for age">expired</th><th>gzip ratio</th><th>last error</th></tr>${rows}</table>`;
}
