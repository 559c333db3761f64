import { create } from '@bufbuild/protobuf';
import type { InstrumentationScope } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type { Resource } from '../../gen/opentelemetry/proto/resource/v1/resource_pb.js';
import {
  type ListRequest,
  type Origin,
  OriginSchema,
} from '../../gen/otlpgrpcweb/query/v1/query_pb.js';

/** One stored item with its sequence number and where it came from. */
export interface StoredItem<T> {
  seq: bigint;
  origin: Origin;
  item: T;
  /** Lowercase hex trace id, for the trace filter; "" when none. */
  traceIdHex: string;
}

/**
 * A bounded ring of recent items: the oldest is evicted when full. Eviction is not loss,
 * the totals keep counting; the ring only serves "what arrived lately" to the query API.
 */
export interface Ring<T> {
  push(
    item: T,
    resource: Resource | undefined,
    scope: InstrumentationScope | undefined,
    traceId: Uint8Array | undefined,
    receivedNs: bigint,
  ): void;
  list(request: ListRequest): StoredItem<T>[];
  readonly size: number;
  readonly lastSeq: bigint;
  clear(): void;
}

/** Creates a ring of `capacity` items; `nextSeq` is shared across signals so seqs never collide. */
export function createRing<T>(capacity: number, nextSeq: () => bigint): Ring<T> {
  let items: StoredItem<T>[] = [];
  let start = 0;
  let lastSeq = 0n;
  return {
    push(item, resource, scope, traceId, receivedNs) {
      const seq = nextSeq();
      lastSeq = seq;
      const origin = create(OriginSchema, { receivedUnixNano: receivedNs });
      if (resource) origin.resource = resource;
      if (scope) origin.scope = scope;
      const stored = {
        seq,
        origin,
        item,
        traceIdHex: traceId?.length ? Buffer.from(traceId).toString('hex') : '',
      };
      if (items.length - start >= capacity) start++;
      items.push(stored);
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
        const s = items[i]!;
        if (s.seq <= afterSeq) break;
        if (filter && s.traceIdHex !== filter) continue;
        out.push(s);
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
