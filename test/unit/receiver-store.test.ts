// The receiver's ring stores one run of items per request: eviction by count and by
// bytes, seqs, after_seq, limit and the trace filter must work across and inside runs.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ListRequestSchema, OriginSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { retainedSize } from '../../src/receiver/server/retained-size.js';
import { createRing, type ItemRun } from '../../src/receiver/store/ring.js';

const list = (init: Parameters<typeof create<typeof ListRequestSchema>>[1] = {}) =>
  create(ListRequestSchema, init);

/** A run of `names`, each with trace id bytes [n], holding `bytes`. */
function run(names: string[], bytes = names.length): ItemRun<{ name: string }> {
  const origin = create(OriginSchema, { receivedUnixNano: 1n });
  return {
    items: names.map((name) => ({ name })),
    origins: names.map(() => origin),
    bytes,
    traceId: (item) => new Uint8Array([Number(item.name.slice(1))]),
  };
}

function ring(maxItems: number, maxBytes = Number.MAX_SAFE_INTEGER) {
  let seq = 0;
  const r = createRing<{ name: string }>({ maxItems, maxBytes }, (n) => {
    seq += n;
    return seq - n + 1;
  });
  const names = (init?: Parameters<typeof list>[0]) => r.list(list(init)).map((s) => s.item.name);
  return { r, names };
}

describe('receiver store', () => {
  it('evicts from the oldest run, also part of one, and numbers items consecutively', () => {
    const { r, names } = ring(4);
    r.push(run(['a1', 'a2', 'a3']));
    r.push(run(['b4', 'b5']));
    expect(r.size).toBe(4);
    expect(names()).toEqual(['a2', 'a3', 'b4', 'b5']);
    expect(r.list(list()).map((s) => s.seq)).toEqual([2n, 3n, 4n, 5n]);
    r.push(run(['c6', 'c7', 'c8', 'c9', 'c10']));
    expect(names()).toEqual(['c7', 'c8', 'c9', 'c10']);
    expect(r.lastSeq).toBe(10n);
    r.push(run([]));
    expect(r.lastSeq).toBe(10n);
  });

  it('honours after_seq and limit inside a run, newest kept, oldest first', () => {
    const { r, names } = ring(100);
    r.push(run(['a1', 'a2', 'a3']));
    r.push(run(['b4', 'b5', 'b6']));
    expect(names({ afterSeq: 2n })).toEqual(['a3', 'b4', 'b5', 'b6']);
    expect(names({ afterSeq: 5n })).toEqual(['b6']);
    expect(names({ afterSeq: 2n ** 63n })).toEqual([]);
    expect(names({ limit: 4 })).toEqual(['a3', 'b4', 'b5', 'b6']);
    expect(names({ traceIdHex: '05' })).toEqual(['b5']);
    expect(names({ traceIdHex: '0A' })).toEqual([]);
  });

  it('evicts whole runs, oldest first, to stay under its byte bound', () => {
    const { r, names } = ring(100, 1000);
    r.push(run(['a1', 'a2'], 400));
    r.push(run(['b3'], 400));
    expect(r.bytes).toBe(800);
    r.push(run(['c4'], 300));
    expect(names()).toEqual(['b3', 'c4']);
    expect(r.bytes).toBe(700);
    expect(r.size).toBe(2);
  });

  it('numbers but does not keep a run larger than the whole bound', () => {
    const { r, names } = ring(100, 1000);
    r.push(run(['a1'], 10));
    r.push(run(['b2', 'b3'], 1001));
    expect(names()).toEqual(['a1']);
    expect(r.lastSeq).toBe(3n);
    expect(r.bytes).toBe(10);
  });

  it('is empty after clear', () => {
    const { r, names } = ring(5);
    r.push(run(['a1', 'a2']));
    r.clear();
    expect(r.size).toBe(0);
    expect(r.bytes).toBe(0);
    expect(names()).toEqual([]);
    r.push(run(['b3']));
    expect(names()).toEqual(['b3']);
  });
});

describe('retained size', () => {
  it('grows with the objects a message holds, not with its wire size', () => {
    const empty = { key: '', value: undefined };
    const few = retainedSize({ attributes: Array.from({ length: 10 }, () => ({ ...empty })) });
    const many = retainedSize({ attributes: Array.from({ length: 10_000 }, () => ({ ...empty })) });
    expect(many).toBeGreaterThan(few * 900);
    // A million empty attributes are 2 MB on the wire and cost well over 50 MB decoded.
    expect(many * 100).toBeGreaterThan(50 * 1024 * 1024);
  });
});
