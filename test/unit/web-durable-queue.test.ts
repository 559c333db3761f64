import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { createExportCore } from '../../src/core/export-core.js';
import type { RetryOptions } from '../../src/core/retry-policy.js';
import type { TransportRequest, TransportResult } from '../../src/core/transport.js';
import {
  createDurableQueueWith,
  type DurableEnv,
  type DurableQueueOptions,
  type DurableStore,
  type StoredKey,
} from '../../src/web/durable/index.js';
import {
  createFakeRuntime,
  createScriptedTransport,
  flushMicrotasks,
  numberCodec,
} from './core-fakes.js';

/** An in-memory store, as IndexedDB orders it: oldest first. Shared by "tabs" and "page loads". */
function fakeStore() {
  const records = new Map<string, { key: StoredKey; bytes: Uint8Array }>();
  const id = (k: StoredKey) => `${k.at}/${k.id}`;
  const store: DurableStore & {
    records: typeof records;
    failPut?: Error | undefined;
    failDelete?: Error | undefined;
  } = {
    records,
    async put(key, bytes) {
      if (store.failPut) throw store.failPut;
      records.set(id(key), { key, bytes });
    },
    async keys() {
      return [...records.values()].map((r) => r.key).sort((a, b) => a.at - b.at || a.id - b.id);
    },
    async get(key) {
      return records.get(id(key))?.bytes;
    },
    async delete(keys) {
      if (store.failDelete) throw store.failDelete;
      return keys.filter((k) => records.delete(id(k)));
    },
  };
  return store;
}

/** Network state, locks and the clock of one browser; locks are shared by the tabs given the same set. */
function fakeEnv(store: DurableStore | Error, now: () => number, locks = new Set<string>()) {
  const env: DurableEnv & { isOnline: boolean; isHidden: boolean; listeners: (() => void)[] } = {
    isOnline: true,
    isHidden: false,
    listeners: [],
    open: async () => {
      if (store instanceof Error) throw store;
      return store;
    },
    async lock(name: string, fn: () => Promise<void>) {
      if (locks.has(name)) return;
      locks.add(name);
      try {
        await fn();
      } finally {
        locks.delete(name);
      }
    },
    online: () => env.isOnline,
    hidden: () => env.isHidden,
    onOnline: (fn: () => void) => void env.listeners.push(fn),
    now,
    random: () => 0.5,
  };
  return env;
}

const unavailable = (): TransportResult => ({ code: Code.Unavailable, message: 'backend down' });
const request = (n: number, size = 10) => ({ bytes: new Uint8Array(size).fill(n), count: n });

let loads = 0;

/**
 * One page load, a minute after the last: an export core with a durable queue over
 * `store`, its backend down unless `up`; resolves once the load's replay had its turn.
 */
async function page(
  store: DurableStore | Error,
  options: {
    durable?: DurableQueueOptions;
    retry?: RetryOptions | false;
    locks?: Set<string>;
    up?: boolean;
    answer?: (req: TransportRequest) => TransportResult | Promise<TransportResult>;
  } = {},
) {
  const runtime = createFakeRuntime();
  const backend = {
    up: options.up ?? false,
    answer: options.answer,
  };
  const transport = createScriptedTransport((req) =>
    backend.answer ? backend.answer(req) : backend.up ? { code: 0, message: '' } : unavailable(),
  );
  const start = ++loads * 60_000;
  const env = fakeEnv(store, () => start + runtime.now(), options.locks);
  const queue = createDurableQueueWith({ maxBytes: 1000, ...options.durable }, env);
  const errors: { reason: string; items: number; message: string }[] = [];
  const core = createExportCore({
    codec: numberCodec(),
    transport,
    endpoints: ['http://collector'],
    runtime,
    retry: options.retry ?? false,
    durable: queue,
    onError: (e, { reason, items }) => errors.push({ reason, items, message: e.message }),
  });
  /** The first byte of each request body sent: which stored request it was. */
  const sent = () => transport.requests.map((r) => r.body[0]);
  await flushMicrotasks();
  return { runtime, backend, transport, env, queue, core, errors, sent };
}

describe('durable queue (fake store and clock)', () => {
  it('stores what failed with a retryable status after its retries, instead of dropping it', async () => {
    const store = fakeStore();
    const p = await page(store);
    const [outcome] = await p.core.export([request(3)]);
    expect(outcome).toMatchObject({ ok: true, deferred: true, items: 3 });
    const m = p.core.metrics();
    expect(m.durable).toMatchObject({ storedItems: 3, available: true });
    expect(Object.values(m.droppedByReason).reduce((a, b) => a + b)).toBe(0);
    expect((await store.keys()).map((k) => [k.signal, k.items, k.bytes])).toEqual([
      ['traces', 3, 10],
    ]);
    // The exact request bytes.
    expect([...store.records.values()][0]!.bytes).toEqual(request(3).bytes);
  });

  it('drops a non-retryable failure as without it', async () => {
    const store = fakeStore();
    const p = await page(store);
    p.backend.answer = () => ({ code: Code.InvalidArgument, message: 'bad' });
    const [outcome] = await p.core.export([request(2)]);
    expect(outcome).toMatchObject({ ok: false, dropReason: 'non_retryable' });
    expect(store.records.size).toBe(0);
  });

  it('stores at once, without sending, while offline', async () => {
    const store = fakeStore();
    const p = await page(store);
    p.env.isOnline = false;
    await p.core.export([request(1), request(2)]);
    expect(p.transport.requests).toHaveLength(0);
    expect(store.records.size).toBe(2);
  });

  /** A core on page `p` whose keepalive budget (15 B) takes one request of two. */
  const unloadCore = (p: Awaited<ReturnType<typeof page>>) =>
    createExportCore({
      codec: numberCodec(),
      transport: p.transport,
      endpoints: ['http://collector'],
      runtime: p.runtime,
      keepaliveBudgetBytes: 15,
      durable: p.queue,
    });

  it('stores what does not fit the keepalive budget instead of holding it', async () => {
    const store = fakeStore();
    const p = await page(store);
    p.backend.up = true;
    p.backend.answer = () => new Promise(() => {}); // the page goes before any answer
    const core = unloadCore(p);
    await flushMicrotasks(); // this load's replay: nothing stored yet
    void core.export([request(1), request(2)], true);
    await flushMicrotasks();
    expect(p.sent()).toEqual([1]);
    expect(core.heldRequests).toBe(0);
    expect((await store.keys()).map((k) => k.items)).toEqual([2]);
  });

  it('holds in memory, as without a queue, what the store refuses at unload', async () => {
    const store = fakeStore();
    store.failPut = new Error('quota');
    const p = await page(store, { up: true, answer: () => new Promise(() => {}) });
    const core = unloadCore(p);
    await flushMicrotasks();
    void core.export([request(1), request(2)], true);
    await flushMicrotasks();
    expect(p.sent()).toEqual([1]);
    expect(core.heldRequests).toBe(1);
    expect(core.metrics().durable?.refusedItems).toBe(2);
  });

  it('does not replay while the page is hidden (an unload would cancel it)', async () => {
    const store = fakeStore();
    await (await page(store)).core.export([request(1)]);
    const next = await page(store, { up: true });
    expect(next.sent()).toEqual([1]);
    await (await page(store)).core.export([request(2)]);
    next.env.isHidden = true;
    await next.queue.replay();
    await next.core.export([request(3)]);
    await flushMicrotasks();
    expect(next.sent()).toEqual([1, 3]);
    next.env.isHidden = false;
    await next.queue.replay();
    expect(next.sent()).toEqual([1, 3, 2]);
  });

  it('keeps within maxBytes: the oldest go first, counted as dropped (evicted) with onError', async () => {
    const store = fakeStore();
    const p = await page(store, { durable: { maxBytes: 25 } });
    for (const n of [1, 2, 3]) {
      await p.core.export([request(n)]);
      await p.runtime.advance(1);
    }
    expect((await store.keys()).map((k) => k.items)).toEqual([2, 3]);
    const m = p.core.metrics();
    expect(m.droppedByReason.queue_full).toBe(1);
    expect(m.durable).toMatchObject({ storedItems: 6, evictedItems: 1 });
    expect(p.errors).toEqual([
      expect.objectContaining({
        reason: 'queue_full',
        items: 1,
        message: expect.stringContaining('maxBytes 25'),
      }),
    ]);
  });

  it('refuses a request larger than maxBytes: handled as without the queue', async () => {
    const p = await page(fakeStore(), { durable: { maxBytes: 5 } });
    const [outcome] = await p.core.export([request(4)]);
    expect(outcome).toMatchObject({ ok: false, dropReason: 'retries_exhausted' });
    expect(p.core.metrics().durable).toMatchObject({ refusedItems: 4, storedItems: 0 });
  });

  it('replays on the next page load, oldest first, deleting each only after the backend said OK', async () => {
    const store = fakeStore();
    const first = await page(store);
    for (const n of [5, 6, 7]) {
      await first.core.export([request(n)]);
      await first.runtime.advance(1);
    }
    let release: () => void = () => {};
    const next = await page(store, {
      answer: () =>
        new Promise((resolve) => {
          release = () => resolve({ code: 0, message: '' });
        }),
    });
    // The first replay is in flight: nothing deleted yet.
    expect(next.sent()).toEqual([5]);
    expect(store.records.size).toBe(3);
    for (let i = 0; i < 3; i++) {
      release();
      await flushMicrotasks();
    }
    expect(next.sent()).toEqual([5, 6, 7]);
    expect(store.records.size).toBe(0);
    expect(next.core.metrics().durable).toMatchObject({ replayedItems: 18, storedItems: 0 });
    expect(next.core.metrics().itemsSent).toBe(18);
  });

  it('a crash between the OK and the delete sends the request again on the next load (at least once)', async () => {
    const store = fakeStore();
    await (await page(store)).core.export([request(2)]);
    store.failDelete = new Error('page crashed');
    const crashed = await page(store, { up: true });
    expect(crashed.sent()).toEqual([2]);
    store.failDelete = undefined;
    const next = await page(store, { up: true });
    expect(next.sent()).toEqual([2]);
    expect(store.records.size).toBe(0);
  });

  it('a replay that fails again stays stored once, not counted as dropped, and stops there', async () => {
    const store = fakeStore();
    await (await page(store)).core.export([request(1)]);
    await (await page(store)).core.export([request(2)]);
    const next = await page(store);
    await flushMicrotasks();
    expect(next.sent()).toEqual([1]);
    expect((await store.keys()).map((k) => k.items)).toEqual([1, 2]);
    const m = next.core.metrics();
    expect(m.durable).toMatchObject({ storedItems: 0, replayedItems: 0 });
    expect(Object.values(m.droppedByReason).reduce((a, b) => a + b)).toBe(0);
  });

  it('replays with the OTLP retry rules: RetryInfo delays are obeyed', async () => {
    const store = fakeStore();
    await (await page(store)).core.export([request(1)]);
    let n = 0;
    const next = await page(store, {
      retry: {},
      answer: () =>
        n++
          ? { code: 0, message: '' }
          : { code: Code.ResourceExhausted, message: 'slow down', retryDelayMs: 2500 },
    });
    await next.runtime.advance(2500);
    expect(next.runtime.sleeps).toEqual([2500]);
    expect(next.sent()).toEqual([1, 1]);
    expect(store.records.size).toBe(0);
  });

  it('replays on online and after a successful export', async () => {
    const store = fakeStore();
    const p = await page(store);
    p.env.isOnline = false;
    await p.core.export([request(1)]);
    p.env.isOnline = true;
    p.backend.up = true;
    for (const fn of p.env.listeners) fn();
    await flushMicrotasks();
    expect(p.sent()).toEqual([1]);
    // Stored by another tab meanwhile; this tab's next successful export replays it.
    p.backend.up = false;
    await (await page(store)).core.export([request(2)]);
    p.backend.up = true;
    await p.core.export([request(3)]);
    await flushMicrotasks();
    expect(p.sent()).toEqual([1, 3, 2]);
    expect(store.records.size).toBe(0);
  });

  it('one tab replays at a time: a tab finding the lock held sends nothing', async () => {
    const store = fakeStore();
    await (await page(store)).core.export([request(1)]);
    const locks = new Set(['otlp-grpc-web:traces']);
    const other = await page(store, { locks });
    other.backend.up = true;
    await other.queue.replay();
    expect(other.sent()).toEqual([]);
    locks.clear();
    await other.queue.replay();
    expect(other.sent()).toEqual([1]);
  });

  it('expires requests older than maxAgeMs unsent, counted as dropped (expired)', async () => {
    const store = fakeStore();
    const first = await page(store, { durable: { maxAgeMs: 1000 } });
    await first.core.export([request(4)]);
    await first.runtime.advance(1001);
    first.backend.up = true;
    await first.queue.replay();
    expect(first.sent()).toEqual([4]);
    expect(store.records.size).toBe(0);
    expect(first.core.metrics().droppedByReason.deadline).toBe(4);
    expect(first.core.metrics().durable?.expiredItems).toBe(4);
  });

  it('where the store is missing, exports go on as today and onError says so once', async () => {
    const p = await page(new Error('IndexedDB is missing'));
    await p.core.export([request(1)]);
    await p.core.export([request(2)]);
    expect(p.core.metrics().droppedByReason.retries_exhausted).toBe(3);
    expect(p.core.metrics().durable).toMatchObject({ available: false, refusedItems: 3 });
    const notices = p.errors.filter((e) => e.reason === 'durable_unavailable');
    expect(notices).toEqual([
      {
        reason: 'durable_unavailable',
        items: 0,
        message: expect.stringContaining('IndexedDB is missing'),
      },
    ]);
  });

  it('where the store refuses a write (quota), that request is dropped as today, said once', async () => {
    const store = fakeStore();
    store.failPut = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const p = await page(store);
    await p.core.export([request(1)]);
    await p.core.export([request(2)]);
    expect(p.core.metrics().droppedByReason.retries_exhausted).toBe(3);
    expect(p.errors.filter((e) => e.reason === 'durable_unavailable')).toHaveLength(1);
    expect(p.errors[0]!.message).toContain('QuotaExceededError');
    store.failPut = undefined;
    await p.core.export([request(3)]);
    expect(p.core.metrics().durable?.storedItems).toBe(3);
  });

  it('refuses unusable options by name', () => {
    const env = fakeEnv(fakeStore(), () => 0);
    expect(() => createDurableQueueWith({ maxBytes: 0 }, env)).toThrow(
      'option "maxBytes" must be a number >= 1, got 0',
    );
  });
});
