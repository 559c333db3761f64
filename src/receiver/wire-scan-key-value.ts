import type { Cursor } from './wire-scan-slow.js';
import { hasHighBit } from './wire-scan-utf8.js';

/**
 * The wire scan's shortcut for attributes, two thirds of the fields of a span:
 * KeyValue { string key = 1; AnyValue value = 2 } with AnyValue holding a string (1), a
 * bool (2), an int (3) or a double (4). The common encoding, key then value, one-byte
 * lengths, ASCII strings, is recognized byte by byte and checked in one go; for anything
 * else (other orders, repeated or unknown fields, arrays and lists, long or non-ASCII
 * strings, any error) it answers false, before changing anything, and the generic scan
 * takes the message from the start, so what is accepted and every error message stay
 * those of the generic scan.
 */

/** Tags of KeyValue.key and KeyValue.value, AnyValue's string, bool, int and double. */
const KEY = 0x0a;
const VALUE = 0x12;
const STRING = 0x0a;
const BOOL = 0x10;
const INT = 0x18;
const DOUBLE = 0x21;

/**
 * Whether the KeyValue body c.buf[start, end) has the common shape and is valid, as the
 * generic scan would find it (the caller checks that the recursion limit allows it).
 */
export function scanKeyValue(c: Cursor, start: number, end: number): boolean {
  const buf = c.buf;
  if (end - start < 5 || buf[start] !== KEY || buf[start + 1]! >= 0x80) return false;
  const keyEnd = start + 2 + buf[start + 1]!;
  // The value, filling the rest: its tag and a one-byte length.
  if (keyEnd + 3 > end || buf[keyEnd] !== VALUE) return false;
  const valueLength = buf[keyEnd + 1]!;
  if (valueLength >= 0x80 || keyEnd + 2 + valueLength !== end) return false;
  const at = keyEnd + 2;
  switch (buf[at]) {
    case STRING:
      // The string fills the AnyValue: then every byte from the key on is either string
      // or a tag or a one-byte length, all below 0x80, so one test covers both strings.
      return at + 2 + buf[at + 1]! === end && !hasHighBit(c, start + 2, end);
    case BOOL:
    case INT:
      return isOneVarint(buf, at + 1, end) && !hasHighBit(c, start + 2, keyEnd);
    case DOUBLE:
      return at + 9 === end && !hasHighBit(c, start + 2, keyEnd);
    default:
      return false;
  }
}

// Whether buf[start, end) is exactly one varint (at most 10 bytes, the last below 0x80).
function isOneVarint(buf: Uint8Array, start: number, end: number): boolean {
  if (end <= start || end - start > 10 || buf[end - 1]! >= 0x80) return false;
  for (let i = start; i < end - 1; i++) if (buf[i]! < 0x80) return false;
  return true;
}
