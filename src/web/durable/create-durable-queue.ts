import { createDurableQueueWith, type DurableQueue } from './durable-queue.js';
import type { DurableQueueOptions } from './durable-store.js';
import { openIdbStore } from './idb-store.js';

type Nav = { onLine?: boolean; locks?: LockManager };

/** Replays wait while the page is hidden: an unload then would cut them off. */
const pageHidden = () =>
  (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState ===
  'hidden';

/**
 * A durable queue for the browser exporters: what would be lost (an export that failed
 * with a retryable status after its retries, one made while offline, one over the
 * page-unload keepalive budget) is stored encoded in IndexedDB, bounded by bytes, and
 * replayed on the next page load, on `online` and after each successful export, at least
 * once. One tab replays at a time (Web Locks). Pass the same queue to the exporters of
 * every signal. Where IndexedDB is missing or refused, the exporters work as without it
 * and say so once through `onError`.
 *
 * @example
 * const durable = createDurableQueue({ name: 'my-app', maxBytes: 4 << 20 });
 * new OTLPTraceExporter({ url, durable });
 */
export function createDurableQueue(options: DurableQueueOptions = {}): DurableQueue {
  const { name = 'otlp-grpc-web' } = options;
  const nav = (globalThis as { navigator?: Nav }).navigator;
  return createDurableQueueWith(options, {
    open: () => openIdbStore(name),
    lock: async (lockName, fn) => {
      // Without Web Locks (old browsers) the tab replays alone: at worst a request twice.
      if (!nav?.locks) return fn();
      await nav.locks.request(`otlp-grpc-web:${lockName}`, { ifAvailable: true }, (lock) =>
        lock ? fn() : undefined,
      );
    },
    online: () => nav?.onLine !== false,
    hidden: pageHidden,
    onOnline: (fn) => globalThis.addEventListener?.('online', fn),
    now: Date.now,
    random: Math.random,
  });
}
