import { FAILED_PRECONDITION } from '../../core/code.js';
import type { ExportCore } from '../../core/export-core.js';
import type { ExportOptions } from '../../core/export-options.js';
import { numberOptions } from '../../core/number-options.js';
import { OtlpError } from '../../core/otlp-error.js';
import type { GiveUpReason } from '../../core/retry-policy.js';
import type { EncodedRequest, Signal } from '../../core/signal-codec.js';
import type { DurableMetrics, SpillFactory } from '../../core/spill.js';
import type { DurableEnv, DurableQueueOptions, DurableStore, StoredKey } from './durable-store.js';
import { storedOutcome, wrapExport } from './wrap-export.js';

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
  let opened: DurableStore | undefined;
  let failure: unknown;
  let ready: Promise<DurableStore | undefined> | undefined;
  const open = () =>
    (ready ??= env.open().then(
      (s) => (opened = s),
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
        const keys = await opened!.keys();
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
        for (const k of await opened!.delete(gone)) {
          const expired = now - k.at > maxAgeMs;
          const target = signals.get(k.signal) ?? signals.values().next().value!;
          target.m[expired ? 'expiredItems' : 'evictedItems'] += k.items;
          target.core.drop(
            expired ? 'deadline' : 'queue_full',
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

  const attach = (core: ExportCore, onError: ExportOptions['onError']) => {
    const { signal } = core.data;
    const m: DurableMetrics = {
      available: !failure,
      storedItems: 0,
      replayedItems: 0,
      expiredItems: 0,
      evictedItems: 0,
      refusedItems: 0,
    };
    // In `metrics().durable` from now on: the core copies its live counters.
    core.data.durable = m;
    // Requests being replayed: given up on again, they are still stored.
    const replaying = new Set<EncodedRequest>();
    let noticed = false;
    const notice = (error: unknown) => {
      if (noticed) return;
      noticed = true;
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      onError?.(
        new OtlpError(
          `durable queue "${name}" unavailable, exporting without it: ${cause}`,
          FAILED_PRECONDITION,
          { cause: error },
        ),
        { signal, items: 0, reason: 'durable_unavailable' },
      );
    };

    const store = async ({ bytes, count }: EncodedRequest) => {
      const db = opened ?? (await open());
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
    };

    const replayNow = async () => {
      const db = opened ?? (await open());
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
          const outcome = await core.send(request, false).finally(() => replaying.delete(request));
          // Still failing after its retries: it stays stored, for the next trigger.
          if (outcome.deferred) break;
          // Accepted, or dropped and counted by the core (non-retryable): either way done.
          await db.delete([key]);
          if (outcome.ok) m.replayedItems += key.items;
        }
      });
    };
    // A trigger during a replay (a success, `online`) runs one more after it: the running
    // one may have stopped at a failure just before the backend came back.
    let running: Promise<void> | undefined;
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
    wrapExport(core, env.online, store, replay);
    // The next page load: whatever an earlier visit stored.
    void open().then(replay);

    // The core's hook: what it gives up on after retries, for a retryable status, is stored.
    return async (request: EncodedRequest, reason: GiveUpReason, attempts: number) =>
      reason !== 'non_retryable' &&
      (replaying.has(request) || (await store(request))) &&
      storedOutcome(request.count, attempts);
  };

  const queue: DurableQueue = Object.assign(attach, {
    async replay() {
      await Promise.all([...signals.values()].map((s) => s.replay()));
    },
  });
  env.onOnline(() => void queue.replay());
  return queue;
}
