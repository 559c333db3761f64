import type { ExportCore, ExportOutcome } from '../../core/export-core.js';
import type { EncodedRequest } from '../../core/signal-codec.js';

/** The outcome of a request the durable queue kept: not delivered, not dropped. */
export const storedOutcome = (items: number, attempts = 0): ExportOutcome => ({
  ok: true,
  code: 0,
  message: '',
  items,
  rejected: 0,
  attempts,
  deferred: true,
});

/**
 * Wraps `core.export`, the entry of every new request, for what cannot go now: while the
 * runtime is offline nothing is sent, and on page unload (keepalive) what does not fit the
 * browser's keepalive budget is not held in memory, which the unload would lose. Both are
 * stored instead; what the store refuses goes to the core as without a queue (which holds
 * or sends it). The requests that fit leave at once, before any store is awaited: the page
 * may be gone after a few microtasks. A successful export then calls `delivered`.
 */
export function wrapExport(
  core: ExportCore,
  online: () => boolean,
  store: (request: EncodedRequest) => Promise<boolean>,
  delivered: () => void,
): void {
  const original = core.export;
  // Bytes of keepalive requests in flight through this wrapper, as the core counts its own.
  let inflight = 0;
  core.export = async (requests, keepalive = false) => {
    const budget = core.maxBytes(true);
    const offline = !online();
    const now: EncodedRequest[] = [];
    const rest: EncodedRequest[] = [];
    let added = 0;
    for (const r of requests) {
      const size = keepalive ? r.bytes.length : 0;
      // A lone request may use the whole budget, as in the core.
      if (offline || (inflight + added && inflight + added + size > budget)) rest.push(r);
      else {
        now.push(r);
        added += size;
      }
    }
    inflight += added;
    const sent = original(now, keepalive).finally(() => {
      inflight -= added;
    });
    const kept = await Promise.all(rest.map(store));
    const refused = rest.filter((_, i) => !kept[i]);
    const [first, second] = await Promise.all([
      sent,
      refused.length ? original(refused, keepalive) : [],
    ]);
    if ([...first, ...second].some((o) => o.ok && !o.deferred)) delivered();
    // One outcome per request given, in order.
    let a = 0;
    let b = 0;
    return requests.map((r) =>
      now.includes(r) ? first[a++]! : refused.includes(r) ? second[b++]! : storedOutcome(r.count),
    );
  };
}
