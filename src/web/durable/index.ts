/**
 * The durable queue (IndexedDB) of the browser exporters: opt-in, so apps that do not
 * import it bundle none of it.
 */
export { createDurableQueue } from './create-durable-queue.js';
export { createDurableQueueWith, type DurableQueue } from './durable-queue.js';
export type { DurableEnv, DurableQueueOptions, DurableStore, StoredKey } from './durable-store.js';
