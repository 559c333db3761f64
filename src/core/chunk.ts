import type { SignalCodec } from './signal-codec.js';

/** A value measured once: its item count and encoded size. */
export interface Entry<T> {
  value: T;
  count: number;
  size: number;
}

/** Values that go out as one request, with their item and byte totals. */
export interface Chunk<T> {
  values: T[];
  items: number;
  bytes: number;
}

/** An empty request. */
export const emptyChunk = <T>(): Chunk<T> => ({ values: [], items: 0, bytes: 0 });

/**
 * Adds `entry` to `chunk` if the request stays within `maxItems` and `maxBytes`; an empty
 * chunk takes any entry, so every value can leave. The one rule both the queue (taking a
 * batch) and direct exports (cutting values handed over) follow.
 */
export function addIfFits<T>(
  chunk: Chunk<T>,
  entry: Entry<T>,
  maxItems: number,
  maxBytes: number,
): boolean {
  if (
    chunk.values.length > 0 &&
    (chunk.items + entry.count > maxItems || chunk.bytes + entry.size > maxBytes)
  ) {
    return false;
  }
  chunk.values.push(entry.value);
  chunk.items += entry.count;
  chunk.bytes += entry.size;
  return true;
}

/**
 * Cuts values handed over for export into requests under `maxItems` and `maxBytes`.
 * A value alone over the limit becomes a request of its own, which the export core
 * drops (`too_large`) unsent. Values without items are skipped.
 */
export function cutChunks<T>(
  codec: SignalCodec<T>,
  values: readonly T[],
  maxItems: number,
  maxBytes: number,
): Chunk<T>[] {
  const chunks: Chunk<T>[] = [];
  let chunk = emptyChunk<T>();
  for (const value of values) {
    const entry = { value, count: codec.count(value), size: codec.size(value) };
    if (entry.count === 0) continue;
    if (!addIfFits(chunk, entry, maxItems, maxBytes)) {
      chunks.push(chunk);
      chunk = emptyChunk();
      addIfFits(chunk, entry, maxItems, maxBytes);
    }
  }
  if (chunk.items > 0) chunks.push(chunk);
  return chunks;
}
