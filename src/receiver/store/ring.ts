import type { ListRequest, Origin } from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';

/** One stored item with its sequence number and where it came from. */
export interface StoredItem<T> {
  seq: bigint;
  origin: Origin;
  item: T;
}

/**
 * The items of one signal from one request, stored as one entry: a 512-span request costs
 * the ring one entry, not one per span.
 */
export interface ItemRun<T> {
  readonly items: readonly T[];
  /** The origin of each item (items of one scope share one object). */
  readonly origins: readonly Origin[];
  /**
   * Memory the entry keeps alive, estimated (see retained-size.ts). Counted until the
   * whole entry is evicted: its items share the request's buffers.
   */
  readonly bytes: number;
  /** Trace id of an item as bytes, turned to hex only when a query filters by trace. */
  traceId(item: T): Uint8Array | undefined;
}

/** How much a {@link Ring} holds at most; the oldest items go first. */
export interface RingLimits {
  maxItems: number;
  maxBytes: number;
}

/**
 * A bounded ring of recent items, by count and by bytes. Eviction is not loss: the totals
 * keep counting; the ring only serves "what arrived lately" to the query API.
 */
export interface Ring<T> {
  /** Stores a run of items, each with the next sequence number. */
  push(run: ItemRun<T>): void;
  list(request: ListRequest): StoredItem<T>[];
  /** Items held. */
  readonly size: number;
  /** Estimated bytes held. */
  readonly bytes: number;
  readonly lastSeq: bigint;
  clear(): void;
}

interface Entry<T> {
  run: ItemRun<T>;
  /** Sequence number of item 0. */
  seq: number;
  /** Items before this one are evicted. */
  first: number;
  hex?: string[];
}

/**
 * Creates a ring. `nextSeqs(n)` hands out `n` consecutive sequence numbers and returns the
 * first; it is shared across signals so seqs never collide. A run larger than `maxBytes`
 * on its own is numbered but not kept.
 */
export function createRing<T>(limits: RingLimits, nextSeqs: (n: number) => number): Ring<T> {
  let entries: Entry<T>[] = [];
  let start = 0;
  let size = 0;
  let bytes = 0;
  let lastSeq = 0;
  const hexOf = (e: Entry<T>, i: number) => {
    e.hex ??= [];
    if (e.hex[i] === undefined) {
      const id = e.run.traceId(e.run.items[i]!);
      e.hex[i] = id?.length ? Buffer.from(id).toString('hex') : '';
    }
    return e.hex[i];
  };
  const dropOldest = () => {
    const oldest = entries[start++]!;
    size -= oldest.run.items.length - oldest.first;
    bytes -= oldest.run.bytes;
  };
  return {
    push(run) {
      const count = run.items.length;
      if (count === 0) return;
      const seq = nextSeqs(count);
      lastSeq = seq + count - 1;
      if (run.bytes > limits.maxBytes) return;
      entries.push({ run, seq, first: 0 });
      size += count;
      bytes += run.bytes;
      while (bytes > limits.maxBytes) dropOldest();
      while (size > limits.maxItems) {
        const oldest = entries[start]!;
        const evicted = Math.min(size - limits.maxItems, oldest.run.items.length - oldest.first);
        oldest.first += evicted;
        size -= evicted;
        if (oldest.first === oldest.run.items.length) dropOldest();
      }
      // Compact now and then instead of shifting on every eviction.
      if (start > 64 && start * 2 > entries.length) {
        entries = entries.slice(start);
        start = 0;
      }
    },
    list({ afterSeq, limit, traceIdHex }) {
      const max = limit === 0 ? 100 : limit;
      const filter = traceIdHex.toLowerCase();
      // Exact for every seq handed out (below 2^53); a larger afterSeq is past them all.
      const after = Number(afterSeq);
      const out: StoredItem<T>[] = [];
      for (let n = entries.length - 1; n >= start; n--) {
        const e = entries[n]!;
        for (let i = e.run.items.length - 1; i >= e.first; i--) {
          if (out.length >= max || e.seq + i <= after) return out.reverse();
          if (filter && hexOf(e, i) !== filter) continue;
          out.push({ seq: BigInt(e.seq + i), origin: e.run.origins[i]!, item: e.run.items[i]! });
        }
      }
      return out.reverse();
    },
    get size() {
      return size;
    },
    get bytes() {
      return bytes;
    },
    get lastSeq() {
      return BigInt(lastSeq);
    },
    clear() {
      entries = [];
      start = 0;
      size = 0;
      bytes = 0;
    },
  };
}
