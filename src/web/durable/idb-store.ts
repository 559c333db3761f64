import { ABORTED, UNAVAILABLE, UNIMPLEMENTED } from '../../core/code.js';
import { OtlpError } from '../../core/otlp-error.js';
import type { Signal } from '../../core/signal-codec.js';
import type { DurableStore, StoredKey } from './durable-store.js';

const STORE = 'requests';
type KeyArray = [at: number, id: number, signal: Signal, bytes: number, items: number];

const toArray = (k: StoredKey): KeyArray => [k.at, k.id, k.signal, k.bytes, k.items];
const fromArray = ([at, id, signal, bytes, items]: KeyArray): StoredKey => ({
  at,
  id,
  signal,
  bytes,
  items,
});

/**
 * A {@link DurableStore} in IndexedDB: one object store whose records are the request
 * bytes, keyed by an array that starts with the time stored (IndexedDB orders by key,
 * so oldest first) and carries size and item count, so that bounding by bytes reads
 * keys only. Rejects when IndexedDB is missing or refuses to open (private mode, policy).
 */
export function openIdbStore(name: string): Promise<DurableStore> {
  return new Promise((resolve, reject) => {
    const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!idb) throw new OtlpError('IndexedDB is missing', UNIMPLEMENTED);
    const open = idb.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new OtlpError(`IndexedDB "${name}" is blocked`, UNAVAILABLE));
    open.onsuccess = () => {
      const db = open.result;
      // Another version wants in (an upgrade in another tab): make way rather than block it.
      db.onversionchange = () => db.close();
      resolve(idbStore(db));
    };
  });
}

function idbStore(db: IDBDatabase): DurableStore {
  /** Runs one transaction; resolves with what `fn` returns once it committed. */
  const run = <T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => () => T) =>
    new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result());
      tx.onerror = tx.onabort = () =>
        reject(tx.error ?? new OtlpError('IndexedDB transaction aborted', ABORTED));
    });

  return {
    put: (key, bytes) =>
      run('readwrite', (store) => {
        store.put(bytes, toArray(key));
        // Committed at once: at page unload there may be no later task to commit it in.
        store.transaction.commit?.();
        return () => undefined;
      }),
    keys: () =>
      run('readonly', (store) => {
        const request = store.getAllKeys();
        return () => (request.result as KeyArray[]).map(fromArray);
      }),
    get: (key) =>
      run('readonly', (store) => {
        const request = store.get(toArray(key));
        return () => request.result as Uint8Array | undefined;
      }),
    delete: (keys) =>
      run('readwrite', (store) => {
        const found: StoredKey[] = [];
        for (const key of keys) {
          const k = toArray(key);
          const count = store.count(k);
          count.onsuccess = () => {
            if (!count.result) return;
            found.push(key);
            store.delete(k);
          };
        }
        return () => found;
      }),
  };
}
