import type { SelfMetricsSnapshot } from './self-metrics.js';
import type { SignalCodec } from './signal-codec.js';

/** A queued value with its item count and encoded size, measured once. */
export interface Entry<T> {
  value: T;
  count: number;
  size: number;
}

/** Values that go out as one request. */
export interface Chunk<T> {
  values: T[];
  items: number;
}

/** The limits one request must respect. */
export interface RequestLimits {
  maxBatchItems: number;
  maxRequestBytes: number;
}

type Counters = Pick<SelfMetricsSnapshot, 'queuedItems' | 'queuedBytes' | 'deferredItems'>;

/** Whether `next` may join a request already holding `items` and `bytes`. */
function fits(
  limits: RequestLimits,
  maxBytes: number,
  items: number,
  bytes: number,
  next: Entry<unknown>,
) {
  return items + next.count <= limits.maxBatchItems && bytes + next.size <= maxBytes;
}

/**
 * Values waiting for export, oldest first, with the item and byte totals that the queue
 * limits and the self-metrics read (kept in `counters`, the live self-metrics object).
 */
export function createBatchQueue<T>(
  codec: SignalCodec<T>,
  limits: RequestLimits,
  counters: Counters,
) {
  const queue: Entry<T>[] = [];
  const measure = (value: T): Entry<T> => ({
    value,
    count: codec.count(value),
    size: codec.size(value),
  });
  return {
    get length() {
      return queue.length;
    },
    push(entry: Entry<T>) {
      queue.push(entry);
      counters.queuedItems += entry.count;
      counters.queuedBytes += entry.size;
    },
    /** Puts values a keepalive flush could not send back at the head, counted as deferred. */
    requeue(values: T[], items: number) {
      const entries = values.map(measure);
      queue.unshift(...entries);
      counters.queuedItems += items;
      for (const e of entries) counters.queuedBytes += e.size;
      counters.deferredItems += items;
    },
    /** Takes the oldest values that fit one request (always at least one). */
    take(maxBytes: number): Chunk<T> {
      const values: T[] = [];
      let items = 0;
      let bytes = 0;
      while (queue.length > 0) {
        const next = queue[0]!;
        if (values.length > 0 && !fits(limits, maxBytes, items, bytes, next)) break;
        queue.shift();
        values.push(next.value);
        items += next.count;
        bytes += next.size;
      }
      counters.queuedItems -= items;
      counters.queuedBytes -= bytes;
      return { values, items };
    },
    /** Empties the queue; returns the items it held. */
    clear(): number {
      const items = counters.queuedItems;
      queue.length = 0;
      counters.queuedItems = 0;
      counters.queuedBytes = 0;
      return items;
    },
    /**
     * Cuts values handed to export() into requests under the same limits as batches
     * (`maxBytes` may be smaller, for keepalive). Values alone over maxRequestBytes cannot
     * be sent at all: their items are returned as `tooLarge`.
     */
    cut(values: T[], maxBytes: number): { chunks: Chunk<T>[]; tooLarge: number } {
      const chunks: Chunk<T>[] = [];
      let tooLarge = 0;
      let current: Chunk<T> = { values: [], items: 0 };
      let bytes = 0;
      for (const value of values) {
        const entry = measure(value);
        if (entry.count === 0) continue;
        if (entry.size > limits.maxRequestBytes) {
          tooLarge += entry.count;
          continue;
        }
        if (current.values.length > 0 && !fits(limits, maxBytes, current.items, bytes, entry)) {
          chunks.push(current);
          current = { values: [], items: 0 };
          bytes = 0;
        }
        current.values.push(value);
        current.items += entry.count;
        bytes += entry.size;
      }
      if (current.values.length > 0) chunks.push(current);
      return { chunks, tooLarge };
    },
  };
}
