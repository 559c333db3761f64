import { addIfFits, type Chunk, type Entry, emptyChunk } from './chunk.js';
import type { SelfMetricsSnapshot } from './self-metrics.js';

type Counters = Pick<SelfMetricsSnapshot, 'queuedItems' | 'queuedBytes'>;

/**
 * Values waiting for batched export, oldest first, with the item and byte totals that
 * the queue limits and the self-metrics read (kept in `counters`, the live self-metrics).
 */
export function createBatchQueue<T>(counters: Counters) {
  const queue: Entry<T>[] = [];
  return {
    get length() {
      return queue.length;
    },
    push(entry: Entry<T>) {
      queue.push(entry);
      counters.queuedItems += entry.count;
      counters.queuedBytes += entry.size;
    },
    /** Takes the oldest values that fit one request (always at least one). */
    take(maxItems: number, maxBytes: number): Chunk<T> {
      const chunk = emptyChunk<T>();
      while (queue.length > 0 && addIfFits(chunk, queue[0]!, maxItems, maxBytes)) queue.shift();
      counters.queuedItems -= chunk.items;
      counters.queuedBytes -= chunk.bytes;
      return chunk;
    },
    /** Empties the queue; returns the items it held. */
    clear(): number {
      let items = 0;
      for (const entry of queue.splice(0)) {
        items += entry.count;
        counters.queuedBytes -= entry.size;
      }
      counters.queuedItems -= items;
      return items;
    },
  };
}
