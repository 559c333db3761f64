import type { ExportCore } from './export-core.js';
import type { ExportOptions } from './export-options.js';
import type { ExportOutcome } from './export-outcome.js';
import type { GiveUpReason } from './retry-policy.js';
import type { EncodedRequest } from './signal-codec.js';

/**
 * Offered each request the export core gives up on, with why, before it is dropped: the
 * durable queue keeps those that failed with a retryable status after their retries
 * (`retries_exhausted`, `deadline`) and answers with a `deferred` outcome; anything else
 * (falsy) and the core drops and counts the request as without it.
 */
export type Spill = (
  request: EncodedRequest,
  reason: GiveUpReason,
  attempts: number,
) => Promise<ExportOutcome | false | undefined>;

/**
 * What the `durable` option takes (`createDurableQueue` in src/web/durable): called once
 * by each signal's core, it returns that core's {@link Spill}. It may wrap `core.export`
 * (the one entry of new requests) to keep what cannot go now: made while offline, over the
 * page-unload keepalive budget; it replays through `core.send`, so replays keep the retry
 * rules; it puts its counters in `core.data.durable`. The core knows only this, so apps
 * without a durable queue bundle none of it.
 */
export type SpillFactory = (core: ExportCore, onError: ExportOptions['onError']) => Spill;

/** The durable queue's counters (items), in `metrics().durable`. */
export interface DurableMetrics {
  /**
   * False when the store (IndexedDB) is missing or could not be opened: exports go on
   * without it. A write refused later (quota) counts in `refusedItems` instead.
   */
  available: boolean;
  /** Items stored instead of being dropped or held. */
  storedItems: number;
  /** Stored items the backend accepted on replay (then deleted). */
  replayedItems: number;
  /** Stored items deleted unsent for age (`maxAgeMs`); also in `droppedByReason.deadline`. */
  expiredItems: number;
  /** Stored items deleted, oldest first, to stay within `maxBytes`; also in `droppedByReason.queue_full`. */
  evictedItems: number;
  /** Items the store could not take (refused, or one request over `maxBytes`): handled as without it. */
  refusedItems: number;
}
