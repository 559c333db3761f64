import type { Signal } from '../../core/signal-codec.js';

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
