import { scanKeyValue } from './wire-scan-key-value.js';
import {
  type Cursor,
  RECURSION_LIMIT,
  readLength,
  readTag,
  readVarint,
  slowField,
  WireError,
} from './wire-scan-slow.js';
import { Act, actOf, type ScanTable } from './wire-scan-table.js';
import { checkUtf8 } from './wire-scan-utf8.js';

/**
 * A protobuf wire-format validator driven by the generated schemas (wire-scan-table.ts):
 * it walks every field of a message and of its sub-messages, and checks what `fromBinary`
 * checks (tags, varints, lengths within bounds, wire types, UTF-8 in strings, the recursion
 * limit of 100) without building any object. The receiver validates a whole request with
 * it and then decodes only the items it stores, so the cost per span is a scan, not a
 * decode.
 *
 * It is stricter than `fromBinary` on corrupt input only: a known field with the wrong wire
 * type, or a field overrunning its enclosing message, is an error here, where protobuf-es
 * may read garbage. Both are impossible in a message any protobuf library writes.
 *
 * A span is some 80 fields, two thirds of them in its attributes, so what a field costs is
 * what the scan costs. Hence one loop over an explicit stack of enclosing messages rather
 * than a recursion; tags of one or two bytes and one-byte lengths read inline; the action
 * for a tag found with one array load (wire-scan-table.ts); attributes of the common shape
 * checked in one go (wire-scan-key-value.ts); strings checked a word at a time
 * (wire-scan-utf8.ts). Anything rare goes to wire-scan-slow.ts, which has the messages.
 */

export type { Cursor } from './wire-scan-slow.js';
export { cursorOf, WireError } from './wire-scan-slow.js';
export { checkUtf8 } from './wire-scan-utf8.js';

/** Ends and tables of the messages enclosing the current one (a scan never re-enters). */
const enclosingEnds: number[] = [];
const enclosingTables: ScanTable[] = [];

/**
 * Scans the fields of the message at [c.pos, end) and of every message inside it, until
 * `end` (returns -1) or a field whose action in `table` is Stop (returns its tag, the
 * cursor after the tag). `depth` is the message's nesting depth, for the recursion limit.
 */
export function scanFields(table: ScanTable, c: Cursor, end: number, depth: number): number {
  if (depth > RECURSION_LIMIT) {
    throw new WireError(`maximum recursion depth of ${RECURSION_LIMIT} reached`);
  }
  const buf = c.buf;
  let pos = c.pos;
  let acts = table.acts;
  let sp = 0;
  for (;;) {
    if (pos >= end) {
      if (sp === 0) break;
      sp--;
      end = enclosingEnds[sp]!;
      table = enclosingTables[sp]!;
      acts = table.acts;
      depth--;
      continue;
    }
    let tag = buf[pos]!;
    if (tag < 0x80) pos++;
    else if (pos + 1 < end && buf[pos + 1]! < 0x80) {
      tag = (tag & 0x7f) | (buf[pos + 1]! << 7);
      pos += 2;
    } else {
      c.pos = pos;
      tag = readTag(c, end);
      pos = c.pos;
    }
    const act = tag < acts.length ? acts[tag]! : actOf(table, tag);
    if (act >= Act.Bytes && act <= Act.Message) {
      // A length-delimited value: bytes, a string or a message.
      let len = pos < end ? buf[pos]! : 0x80;
      if (len < 0x80) pos++;
      else {
        c.pos = pos;
        len = readVarint(c, end);
        pos = c.pos;
      }
      const valueEnd = pos + len;
      if (valueEnd > end) throw new WireError('premature EOF');
      if (act === Act.Message) {
        if (depth >= RECURSION_LIMIT) {
          throw new WireError(`maximum recursion depth of ${RECURSION_LIMIT} reached`);
        }
        const sub = table.subs[tag >>> 3]!;
        // An attribute, most often: checked in one go when it has the common shape.
        if (sub.keyValue && depth + 2 <= RECURSION_LIMIT && scanKeyValue(c, pos, valueEnd)) {
          pos = valueEnd;
          continue;
        }
        enclosingEnds[sp] = end;
        enclosingTables[sp] = table;
        sp++;
        table = sub;
        acts = table.acts;
        end = valueEnd;
        depth++;
      } else {
        if (act === Act.Utf8) checkUtf8(c, pos, valueEnd);
        pos = valueEnd;
      }
    } else if (act === Act.Varint) {
      pos = skipVarint(c, pos, end);
    } else if (act === Act.Fixed64 || act === Act.Fixed32) {
      pos += act === Act.Fixed64 ? 8 : 4;
      if (pos > end) throw new WireError('premature EOF');
    } else if (act === Act.Stop) {
      c.pos = pos;
      return tag;
    } else {
      c.pos = pos;
      slowField(table, c, end, tag, depth);
      pos = c.pos;
    }
  }
  c.pos = pos;
  return -1;
}

// Skips the varint at `pos` (most are one byte); returns the position after it.
function skipVarint(c: Cursor, pos: number, end: number): number {
  if (pos < end && c.buf[pos]! < 0x80) return pos + 1;
  c.pos = pos;
  readVarint(c, end);
  return c.pos;
}

/**
 * Reads the length prefix at the cursor and returns the end of the value it announces,
 * the cursor at the value's start.
 */
export function lengthEnd(c: Cursor, end: number): number {
  const pos = c.pos;
  if (pos >= end || c.buf[pos]! >= 0x80) return readLength(c, end);
  const valueEnd = pos + 1 + c.buf[pos]!;
  if (valueEnd > end) throw new WireError('premature EOF');
  c.pos = pos + 1;
  return valueEnd;
}
