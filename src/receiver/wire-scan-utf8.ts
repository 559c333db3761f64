import { isUtf8 } from 'node:buffer';
import { type Cursor, WireError } from './wire-scan-slow.js';

/**
 * The UTF-8 check of the wire scan. Nearly every string in telemetry is ASCII, and a span
 * has some 26 of them, most shorter than 32 bytes: what costs is the work per string, not
 * per byte. So a string is first tested for bytes above 0x7f a word (four bytes) at a time,
 * the words read aligned from the cursor's word view with the bytes outside the string
 * masked off: one short loop, no subarray. Only a string that is not ASCII goes to the
 * native `isUtf8`, on a subarray.
 */

/** Throws a {@link WireError} unless buf[start, end) is valid UTF-8. */
export function checkUtf8(c: Cursor, start: number, end: number): void {
  if (hasHighBit(c, start, end) && !isUtf8(c.buf.subarray(start, end))) {
    throw new WireError('invalid UTF-8 in a string');
  }
}

/** Whether a byte of c.buf[start, end) is above 0x7f. */
export function hasHighBit(c: Cursor, start: number, end: number): boolean {
  if (end <= start) return false;
  const first = c.off + start;
  const last = c.off + end - 1;
  const words = c.words;
  const a = first >> 2;
  const b = last >> 2;
  // The last bytes of a buffer whose size is no multiple of 4 have no word.
  if (b >= words.length) return bytesHaveHighBit(c.buf, start, end);
  // Little-endian words: the string's first byte is bit 8 * (first & 3) of word a.
  const head = -1 << ((first & 3) << 3);
  const tail = -1 >>> ((3 - (last & 3)) << 3);
  if (a === b) return (words[a]! & head & tail & 0x80808080) !== 0;
  let any = (words[a]! & head) | (words[b]! & tail);
  for (let w = a + 1; w < b; w++) any |= words[w]!;
  return (any & 0x80808080) !== 0;
}

function bytesHaveHighBit(buf: Uint8Array, start: number, end: number): boolean {
  let any = 0;
  for (let i = start; i < end; i++) any |= buf[i]!;
  return any > 0x7f;
}
