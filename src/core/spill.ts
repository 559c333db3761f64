import type { ExportCore } from './export-core.js';
import type { ExportOptions } from './export-options.js';
import type { Encoded } from './signal-codec.js';

/**
 * Where the export core puts a request it would otherwise lose: one that failed with a
 * retryable status after its retries, one made while the runtime is offline, one that
 * does not fit the page-unload keepalive budget. The browser's IndexedDB queue
 * (`createDurableQueue`, src/web/durable) is the implementation; the core knows only
 * this, so apps without one bundle none of it.
 */
export interface Spill {
  /** True when sending is pointless now (the page is offline): requests go to the store at once. */
  offline(): boolean;
  /**
   * Keeps the exact request bytes for a later replay. Resolves false when it could not
   * (store refused or missing, request over its size): the core then goes on as without a store.
   */
  store(request: Encoded): Promise<boolean>;
  /** The backend accepted `request`: the moment to replay what is stored. */
  delivered(request: Encoded): void;
  /** Its own counters, for `metrics().durable`. */
  metrics(): DurableMetrics;
}

/**
 * What the `durable` option takes: it gives each signal's core its {@link Spill}, and
 * replays stored requests through `core.send`, so replays keep the retry rules.
 */
export interface SpillFactory {
  attach(core: ExportCore, onError: ExportOptions['onError']): Spill;
}

/** The durable queue's counters (items unless said otherwise), in `metrics().durable`. */
export interface DurableMetrics {
  /** False once the store (IndexedDB) turned out missing or refused: exports go on without it. */
  available: boolean;
  /** Items stored instead of being dropped or held. */
  storedItems: number;
  /** Stored items the backend accepted on replay (then deleted). */
  replayedItems: number;
  /** Stored items deleted unsent for age (`maxAgeMs`); also in `droppedByReason.expired`. */
  expiredItems: number;
  /** Stored items deleted, oldest first, to stay within `maxBytes`; also in `droppedByReason.evicted`. */
  evictedItems: number;
  /** Items the store could not take (refused, or one request over `maxBytes`); handled as without it. */
  refusedItems: number;
}
