// The receiver's ring stores runs of items (one entry per request scope): eviction, seqs,
// after_seq, limit and the trace filter must work across and inside runs, and items are
// made only when a query returns them, once.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ListRequestSchema, OriginSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createRing, type ItemRun } from '../../src/receiver/store.js';

const list = (init: Parameters<typeof create<typeof ListRequestSchema>>[1] = {}) =>
  create(ListRequestSchema, init);

/** A run of `names`, each with trace id bytes [n], counting how often items are made. */
function run(names: string[], made: string[]): ItemRun<{ name: string }> {
  return {
    count: names.length,
    item: (i) => {
      made.push(names[i]!);
      return { name: names[i]! };
    },
    origin: () => create(OriginSchema, { receivedUnixNano: 1n }),
    traceId: (i) => new Uint8Array([Number(names[i]!.slice(1))]),
  };
}

function ring(capacity: number) {
  let seq = 0;
  const made: string[] = [];
  const r = createRing<{ name: string }>(capacity, (n) => {
    seq += n;
    return seq - n + 1;
  });
  const names = (init?: Parameters<typeof list>[0]) => r.list(list(init)).map((s) => s.item.name);
  return { r, made, names };
}

describe('receiver store', () => {
  it('evicts from the oldest run, also part of one, and numbers items consecutively', () => {
    const { r, names } = ring(4);
    r.push(run(['a1', 'a2', 'a3'], []));
    r.push(run(['b4', 'b5'], []));
    expect(r.size).toBe(4);
    expect(names()).toEqual(['a2', 'a3', 'b4', 'b5']);
    expect(r.list(list()).map((s) => s.seq)).toEqual([2n, 3n, 4n, 5n]);
    r.push(run(['c6', 'c7', 'c8', 'c9', 'c10'], []));
    expect(names()).toEqual(['c7', 'c8', 'c9', 'c10']);
    expect(r.lastSeq).toBe(10n);
    r.push(run([], []));
    expect(r.lastSeq).toBe(10n);
  });

  it('honours after_seq and limit inside a run, newest kept, oldest first', () => {
    const { r, names } = ring(100);
    r.push(run(['a1', 'a2', 'a3'], []));
    r.push(run(['b4', 'b5', 'b6'], []));
    expect(names({ afterSeq: 2n })).toEqual(['a3', 'b4', 'b5', 'b6']);
    expect(names({ afterSeq: 5n })).toEqual(['b6']);
    expect(names({ afterSeq: 2n ** 63n })).toEqual([]);
    expect(names({ limit: 4 })).toEqual(['a3', 'b4', 'b5', 'b6']);
    expect(names({ traceIdHex: '05' })).toEqual(['b5']);
    expect(names({ traceIdHex: '0A' })).toEqual([]);
  });

  it('makes an item only when a query returns it, once', () => {
    const { r, made } = ring(10);
    r.push(run(['a1', 'a2', 'a3'], made));
    expect(made).toEqual([]);
    const first = r.list(list({ limit: 1 }));
    expect(made).toEqual(['a3']);
    const again = r.list(list());
    expect(made).toEqual(['a3', 'a2', 'a1']);
    expect(again[2]!.item).toBe(first[0]!.item);
    expect(again[0]!.origin).toBe(again[2]!.origin);
  });

  it('keeps nothing at capacity 0 and is empty after clear', () => {
    const zero = ring(0);
    zero.r.push(run(['a1', 'a2'], []));
    expect(zero.r.size).toBe(0);
    expect(zero.names()).toEqual([]);
    const { r, names } = ring(5);
    r.push(run(['a1', 'a2'], []));
    r.clear();
    expect(r.size).toBe(0);
    expect(names()).toEqual([]);
    r.push(run(['b3'], []));
    expect(names()).toEqual(['b3']);
  });
});
