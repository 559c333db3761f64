import { Code } from '../../core/code.js';
import type { ExportCore } from '../../core/export-core.js';
import type { ExportOptions } from '../../core/export-options.js';
import { numberOptions } from '../../core/number-options.js';
import { OtlpError } from '../../core/otlp-error.js';
import type { Encoded, Signal } from '../../core/signal-codec.js';
import type { DurableMetrics, Spill, SpillFactory } from '../../core/spill.js';

/**
 * One stored request, all but its bytes. The store keeps it as the record's key, so the
 * byte bound and the age limit are kept by reading keys only, never the bodies.
 */
export interface StoredKey {
  /** When it was stored (ms since the epoch): oldest first out, and expiry. */
  at: number;
  /** Orders requests stored in the same millisecond; unique across tabs. */
  id: number;
  signal: Signal;
  /** Request size in bytes (uncompressed, as stored). */
  bytes: number;
  items: number;
}

/** Where stored requests live: IndexedDB in browsers (idb-store.ts), a Map in tests. */
export interface DurableStore {
  /** Stores one request. Rejects when refused (quota). */
  put(key: StoredKey, bytes: Uint8Array): Promise<void>;
  /** Every key, oldest first. */
  keys(): Promise<StoredKey[]>;
  /** A request's bytes, undefined once deleted (by this tab or another). */
  get(key: StoredKey): Promise<Uint8Array | undefined>;
  /** Deletes these requests; resolves with those that were still there, so each is counted once. */
  delete(keys: readonly StoredKey[]): Promise<StoredKey[]>;
}

/** Options of `createDurableQueue`. */
export interface DurableQueueOptions {
  /** Name of the IndexedDB database and of the replay locks: one per app and origin. @default 'otlp-grpc-web' */
  name?: string;
  /** Bytes stored at most, all signals together; the oldest requests go first (`evicted`). @default 4194304 (4 MiB) */
  maxBytes?: number;
  /** Age after which a stored request is deleted unsent (`expired`), in ms. @default 86400000 (1 day) */
  maxAgeMs?: number;
}

/** What the queue needs from its surroundings, injected so that tests need no browser or time. */
export interface DurableEnv {
  /** Opens the store; rejects when there is none or it is refused (private mode). */
  open(): Promise<DurableStore>;
  /** Runs `fn` holding the named lock, or skips it while another tab (or signal) holds it. */
  lock(name: string, fn: () => Promise<void>): Promise<void>;
  /** False while the runtime knows it is offline. */
  online(): boolean;
  /**
   * True while the page is hidden (maybe being unloaded): no replays then, since a plain
   * request would be cancelled by the unload, and keepalive's budget is for new data.
   */
  hidden(): boolean;
  /** Calls `fn` each time the runtime comes back online. */
  onOnline(fn: () => void): void;
  now(): number;
  random(): number;
}

/** A {@link SpillFactory} with a way to replay on demand (tests, or an app's own trigger). */
export interface DurableQueue extends SpillFactory {
  /** Replays what is stored for every attached signal, oldest first; resolves when done. */
  replay(): Promise<void>;
}

/**
 * The durable queue's logic over an injected store, lock and clock. Each signal's core
 * gets a {@link Spill}; requests are replayed through `core.send` (so the OTLP retry rules
 * and RetryInfo hold), one at a time, oldest first, under a lock per signal so that one tab
 * replays at a time, and each is deleted only after the backend answered OK (or the core
 * dropped it and counted why): at least once.
 */
export function createDurableQueueWith(
  options: DurableQueueOptions,
  env: DurableEnv,
): DurableQueue {
  const { name = 'otlp-grpc-web' } = options;
  const { maxBytes, maxAgeMs } = numberOptions(options, {
    maxBytes: 4 * 1024 * 1024,
    maxAgeMs: 86_400_000,
  });
  const signals = new Map<
    Signal,
    { core: ExportCore; m: DurableMetrics; replay(): Promise<void> }
  >();
  let store: DurableStore | undefined;
  let failure: unknown;
  let ready: Promise<DurableStore | undefined> | undefined;
  const open = () =>
    (ready ??= env.open().then(
      (s) => (store = s),
      (error) => {
        failure = error;
        for (const { m } of signals.values()) m.available = false;
        return undefined;
      },
    ));
  let seq = 0;
  let trimming: Promise<void> | undefined;
  let again = false;

  /** Deletes expired requests, then the oldest until the rest fit maxBytes; counts each once. */
  const trim = (): Promise<void> => {
    if (trimming) {
      again = true;
      return trimming;
    }
    trimming = (async () => {
      do {
        again = false;
        const keys = await store!.keys();
        const now = env.now();
        let total = 0;
        for (const k of keys) total += k.bytes;
        const gone: StoredKey[] = [];
        for (const k of keys) {
          if (now - k.at <= maxAgeMs && total <= maxBytes) continue;
          gone.push(k);
          total -= k.bytes;
        }
        if (!gone.length) continue;
        for (const k of await store!.delete(gone)) {
          const expired = now - k.at > maxAgeMs;
          const target = signals.get(k.signal) ?? signals.values().next().value!;
          target.m[expired ? 'expiredItems' : 'evictedItems'] += k.items;
          target.core.drop(
            expired ? 'expired' : 'evicted',
            k.items,
            `${k.signal}: ${k.items} items deleted from durable queue "${name}" unsent (${expired ? `older than maxAgeMs ${maxAgeMs}` : `over maxBytes ${maxBytes}`})`,
          );
        }
      } while (again);
    })().finally(() => {
      trimming = undefined;
    });
    return trimming;
  };

  env.onOnline(() => void queue.replay());

  const queue: DurableQueue = {
    async replay() {
      await Promise.all([...signals.values()].map((s) => s.replay()));
    },

    attach(core: ExportCore, onError: ExportOptions['onError']): Spill {
      const { signal } = core.data;
      const m: DurableMetrics = {
        available: true,
        storedItems: 0,
        replayedItems: 0,
        expiredItems: 0,
        evictedItems: 0,
        refusedItems: 0,
      };
      // Requests being replayed: offered back after a failure, they are still stored.
      const replaying = new Set<Encoded>();
      let noticed = false;
      let running: Promise<void> | undefined;
      const notice = (error: unknown) => {
        if (noticed) return;
        noticed = true;
        const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        onError?.(
          new OtlpError(
            `durable queue "${name}" unavailable, exporting without it: ${cause}`,
            Code.FailedPrecondition,
            { cause: error },
          ),
          { signal, items: 0, reason: 'durable_unavailable' },
        );
      };

      const replayNow = async () => {
        const db = store ?? (await open());
        if (!db || !env.online() || env.hidden()) return;
        await env.lock(`${name}:${signal}`, async () => {
          await trim();
          while (env.online() && !env.hidden()) {
            const key = (await db.keys()).find((k) => k.signal === signal);
            if (!key) break;
            const bytes = await db.get(key);
            if (!bytes) continue;
            const request = { bytes, count: key.items };
            replaying.add(request);
            const outcome = await core
              .send(request, false)
              .finally(() => replaying.delete(request));
            // Still failing after its retries: it stays stored for the next trigger.
            if (outcome.stored) break;
            // Accepted, or dropped and counted by the core (non-retryable): either way done.
            await db.delete([key]);
            if (outcome.ok) m.replayedItems += key.items;
          }
        });
      };
      // A trigger during a replay (a success, `online`) runs one more after it: the running
      // one may have stopped at a failure just before the backend came back.
      let rerun = false;
      const replay = (): Promise<void> => {
        if (running) {
          rerun = true;
          return running;
        }
        rerun = false;
        running = replayNow()
          .catch(notice)
          .finally(() => {
            running = undefined;
            if (rerun) void replay();
          });
        return running;
      };
      signals.set(signal, { core, m, replay });
      if (failure) m.available = false;
      // The next page load: whatever an earlier visit stored.
      void open().then(replay);

      return {
        offline: () => !env.online(),
        async store(request) {
          if (replaying.has(request)) return true;
          const db = store ?? (await open());
          const { bytes, count } = request;
          if (bytes.length > maxBytes) {
            m.refusedItems += count;
            return false;
          }
          try {
            if (!db) throw failure;
            const key = {
              at: env.now(),
              id: seq++ + env.random(),
              signal,
              bytes: bytes.length,
              items: count,
            };
            await db.put(key, bytes);
          } catch (error) {
            m.refusedItems += count;
            notice(error);
            return false;
          }
          m.storedItems += count;
          void trim().catch(notice);
          return true;
        },
        delivered(request) {
          if (!replaying.has(request)) void replay();
        },
        metrics: () => ({ ...m }),
      };
    },
  };
  return queue;
}
