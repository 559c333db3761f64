import type { ListRequest, Origin } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';

/** One stored item with its sequence number and where it came from. */
export interface StoredItem<T> {
  seq: bigint;
  origin: Origin;
  item: T;
  /** Lowercase hex trace id, for the trace filter; "" when none. */
  traceIdHex: string;
}

/**
 * Consecutive items of one request that share a resource and scope, stored as one entry:
 * a 512-span request costs the ring a few objects, not a few per span. Items are made only
 * when a query returns them (most are evicted unread): the receiver keeps what it has only
 * scanned on the wire as offsets into the request and decodes an item on demand.
 */
export interface ItemRun<T> {
  readonly count: number;
  /** Item `i` (0 <= i < count); called at most once per item, the result is kept. */
  item(i: number): T;
  /** Where the run's items came from; called at most once. */
  origin(): Origin;
  /** Trace id of item `i` as bytes, turned to hex only when a query filters by trace. */
  traceId(i: number): Uint8Array | undefined;
}

/**
 * A bounded ring of recent items: the oldest is evicted when full. Eviction is not loss,
 * the totals keep counting; the ring only serves "what arrived lately" to the query API.
 */
export interface Ring<T> {
  /** Stores a run of items, each with the next sequence number. */
  push(run: ItemRun<T>): void;
  list(request: ListRequest): StoredItem<T>[];
  readonly size: number;
  readonly lastSeq: bigint;
  clear(): void;
}

interface Entry<T> {
  run: ItemRun<T>;
  /** Sequence number of item 0. */
  seq: number;
  /** Items before this one are evicted. */
  first: number;
  made?: T[];
  origin?: Origin;
  hex?: string[];
}

/**
 * Creates a ring of `capacity` items. `nextSeqs(n)` hands out `n` consecutive sequence
 * numbers and returns the first; it is shared across signals so seqs never collide.
 */
export function createRing<T>(capacity: number, nextSeqs: (n: number) => number): Ring<T> {
  let entries: (Entry<T> | undefined)[] = [];
  let start = 0;
  let size = 0;
  let lastSeq = 0;
  const hexOf = (e: Entry<T>, i: number) => {
    e.hex ??= [];
    if (e.hex[i] === undefined) {
      const id = e.run.traceId(i);
      e.hex[i] = id?.length ? Buffer.from(id).toString('hex') : '';
    }
    return e.hex[i];
  };
  return {
    push(run) {
      if (run.count === 0) return;
      const seq = nextSeqs(run.count);
      lastSeq = seq + run.count - 1;
      entries.push({ run, seq, first: 0 });
      size += run.count;
      while (size > capacity) {
        const oldest = entries[start]!;
        const evicted = Math.min(size - capacity, oldest.run.count - oldest.first);
        oldest.first += evicted;
        size -= evicted;
        if (oldest.first === oldest.run.count) entries[start++] = undefined;
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
        for (let i = e.run.count - 1; i >= e.first; i--) {
          if (out.length >= max || e.seq + i <= after) return out.reverse();
          const hex = hexOf(e, i);
          if (filter && hex !== filter) continue;
          // Made once, then kept: later queries return the same objects.
          e.made ??= [];
          e.made[i] ??= e.run.item(i);
          const item = e.made[i] as T;
          e.origin ??= e.run.origin();
          out.push({ seq: BigInt(e.seq + i), origin: e.origin, item, traceIdHex: hex });
        }
      }
      return out.reverse();
    },
    get size() {
      return size;
    },
    get lastSeq() {
      return BigInt(lastSeq);
    },
    clear() {
      entries = [];
      start = 0;
      size = 0;
    },
  };
}
