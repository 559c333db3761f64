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
 * A value now, or a function that makes it when first needed. The receiver stores items
 * it has only scanned on the wire as functions that decode them, so an item costs a
 * decode only if the query API ever returns it (most are evicted unread).
 */
export type Lazy<T> = T | (() => T);

/**
 * A bounded ring of recent items: the oldest is evicted when full. Eviction is not loss,
 * the totals keep counting; the ring only serves "what arrived lately" to the query API.
 */
export interface Ring<T> {
  /**
   * Stores an item. `origin` is shared by the items of one resource and scope; `traceId`
   * is kept as bytes and turned to hex only when a query filters by trace.
   */
  push(item: Lazy<T>, origin: Lazy<Origin>, traceId: Uint8Array | undefined): void;
  list(request: ListRequest): StoredItem<T>[];
  readonly size: number;
  readonly lastSeq: bigint;
  clear(): void;
}

interface Entry<T> {
  seq: bigint;
  origin: Lazy<Origin>;
  item: Lazy<T>;
  traceId: Uint8Array | undefined;
  hex: string | undefined;
}

const resolve = <T>(v: Lazy<T>): T => (typeof v === 'function' ? (v as () => T)() : v);

/** Creates a ring of `capacity` items; `nextSeq` is shared across signals so seqs never collide. */
export function createRing<T>(capacity: number, nextSeq: () => bigint): Ring<T> {
  let items: Entry<T>[] = [];
  let start = 0;
  let lastSeq = 0n;
  const hexOf = (e: Entry<T>) => {
    e.hex ??= e.traceId?.length ? Buffer.from(e.traceId).toString('hex') : '';
    return e.hex;
  };
  return {
    push(item, origin, traceId) {
      const seq = nextSeq();
      lastSeq = seq;
      if (items.length - start >= capacity) start++;
      items.push({ seq, origin, item, traceId, hex: undefined });
      // Compact now and then instead of shifting on every push.
      if (start > capacity) {
        items = items.slice(start);
        start = 0;
      }
    },
    list({ afterSeq, limit, traceIdHex }) {
      const max = limit === 0 ? 100 : limit;
      const filter = traceIdHex.toLowerCase();
      const out: StoredItem<T>[] = [];
      for (let i = items.length - 1; i >= start && out.length < max; i--) {
        const e = items[i]!;
        if (e.seq <= afterSeq) break;
        if (filter && hexOf(e) !== filter) continue;
        // Decoded once, then kept: later queries return the same objects.
        e.item = resolve(e.item);
        e.origin = resolve(e.origin);
        out.push({ seq: e.seq, origin: e.origin, item: e.item, traceIdHex: hexOf(e) });
      }
      return out.reverse();
    },
    get size() {
      return items.length - start;
    },
    get lastSeq() {
      return lastSeq;
    },
    clear() {
      items = [];
      start = 0;
    },
  };
}
