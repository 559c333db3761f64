import type { Writer } from './writer.js';

/**
 * What the encoders do with SDK data that OTLP cannot carry as given. Every rule keeps
 * the output a valid message (never a crash, never corrupt bytes), and every change to
 * the data is counted in {@link EncodeStats}:
 * - strings longer than `maxStringBytes` of UTF-8 are cut at a code point boundary
 *   (`truncatedStrings`);
 * - attribute and body values nested deeper than `maxAttributeDepth` arrays / maps, or containing
 *   themselves (cycles), become an empty AnyValue (`droppedValues`);
 * - timestamps that are not a time between the epoch and the year 2116 (NaN, infinite,
 *   negative seconds, missing) are written as 0 (`invalidTimestamps`); fractions of
 *   nanoseconds are dropped;
 * - metrics of an unknown kind are left out (`droppedValues`).
 * Not changed, because protobuf represents them: NaN and infinite attribute doubles stay
 * IEEE doubles; lone surrogates become U+FFFD, as TextEncoder does; non-string names are
 * written as `String(name)`, null and undefined as "".
 */
export interface EncodeOptions {
  /**
   * Longest string written, in UTF-8 bytes: one oversized value should not make a whole
   * request exceed the 4 MiB OTLP limit and be dropped.
   * @default 1048576
   */
  maxStringBytes?: number;
  /**
   * Deepest nesting of arrays and maps in an attribute value or log body. Bounds the
   * recursion (a cyclic value would otherwise never end).
   * @default 8
   */
  maxAttributeDepth?: number;
  /** Counters the encoder adds to (they accumulate across calls). @default undefined */
  stats?: EncodeStats;
  /**
   * The writer to encode into (`new Writer()`): one kept by the caller keeps its grown
   * buffer from one request to the next. @default a new writer per call
   */
  writer?: Writer;
}

/** What the encoders changed to fit the rules of {@link EncodeOptions}, by rule. */
export interface EncodeStats {
  truncatedStrings: number;
  droppedValues: number;
  invalidTimestamps: number;
}

/** A zeroed {@link EncodeStats}, to pass as `stats`. */
export function createEncodeStats(): EncodeStats {
  return { truncatedStrings: 0, droppedValues: 0, invalidTimestamps: 0 };
}
