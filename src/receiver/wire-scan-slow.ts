import { Kind, type ScanTable, WIRE_OF_KIND } from './wire-scan-table.js';

/**
 * The cursor of the wire scan (wire-scan.ts) and its rare cases, out of its hot loop:
 * varints longer than the scanner reads inline, illegal tags, groups, packed scalars, wrong
 * wire types. Each check and message is the one `fromBinary` makes (see wire-scan.ts for
 * where the scan is stricter).
 */

export const RECURSION_LIMIT = 100;

/** A malformed message; the receiver answers it with INVALID_ARGUMENT. */
export class WireError extends Error {
  override name = 'WireError';
}

/** A cursor over one buffer; `pos` moves as fields are read. */
export interface Cursor {
  readonly buf: Uint8Array;
  pos: number;
  /**
   * The whole underlying buffer as 32-bit words (empty where they cannot serve), and where
   * `buf` starts in it: strings are checked four bytes at a time (wire-scan-utf8.ts).
   */
  readonly words: Int32Array;
  readonly off: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A cursor at the start of `buf`. */
export function cursorOf(buf: Uint8Array): Cursor {
  const size = buf.buffer.byteLength;
  // Word indices are int32 arithmetic: buffers of 2 GiB and more are read byte by byte.
  const words =
    LITTLE_ENDIAN && size < 2 ** 31 ? new Int32Array(buf.buffer, 0, size >>> 2) : new Int32Array(0);
  return { buf, pos: 0, words, off: buf.byteOffset };
}

/** Reads a varint of at most 10 bytes, as a number (exact below 2^53); checks bounds. */
export function readVarint(c: Cursor, end: number): number {
  const buf = c.buf;
  let pos = c.pos;
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireError('premature EOF');
    const b = buf[pos++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) {
      c.pos = pos;
      return v;
    }
    mul *= 128;
  }
  throw new WireError('invalid varint');
}

/** Throws unless `tag` (field number * 8 + wire type) is one protobuf-es accepts. */
export function checkTag(tag: number): void {
  if (tag > 0xffffffff) throw new WireError('illegal tag: varint overflows uint32');
  if (tag < 8 || (tag & 7) > 5) {
    throw new WireError(`illegal tag: field no ${Math.floor(tag / 8)} wire type ${tag & 7}`);
  }
}

/** Reads a tag, checked as protobuf-es checks it; returns field number * 8 + wire type. */
export function readTag(c: Cursor, end: number): number {
  const tag = readVarint(c, end);
  checkTag(tag);
  return tag;
}

/** Reads a length prefix and returns the end of the value it announces. */
export function readLength(c: Cursor, end: number): number {
  const len = readVarint(c, end);
  const valueEnd = c.pos + len;
  if (valueEnd > end) throw new WireError('premature EOF');
  return valueEnd;
}

/** Skips one value of the tag's wire type (an unknown field), groups included. */
export function skipValue(c: Cursor, end: number, tag: number, depth: number): void {
  switch (tag & 7) {
    case 0:
      readVarint(c, end);
      return;
    case 1:
      c.pos += 8;
      break;
    case 2:
      c.pos = readLength(c, end);
      return;
    case 5:
      c.pos += 4;
      break;
    case 3: {
      if (depth >= RECURSION_LIMIT) throw new WireError('maximum recursion depth reached');
      for (;;) {
        const t = readTag(c, end);
        if ((t & 7) === 4) {
          if (t >>> 3 !== tag >>> 3) throw new WireError('invalid end group tag');
          return;
        }
        skipValue(c, end, t, depth + 1);
      }
    }
    default:
      throw new WireError(`cant skip wire type ${tag & 7}`);
  }
  if (c.pos > end) throw new WireError('premature EOF');
}

/**
 * Checks one field the scanner's tables send to the slow path, its tag already read and
 * not yet checked: an illegal tag, an unknown group, a packed repeated scalar, or a known
 * field with a wire type it does not have. Leaves the cursor after the value.
 */
export function slowField(
  table: ScanTable,
  c: Cursor,
  end: number,
  tag: number,
  depth: number,
): void {
  checkTag(tag);
  const field = tag >>> 3;
  const wire = tag & 7;
  const kind = table.kinds[field];
  if (kind === undefined) {
    skipValue(c, end, tag, depth);
    return;
  }
  // Repeated scalars may come packed (length-delimited) or one by one.
  if (wire === 2 && kind >= Kind.PackedVarint) {
    scanPacked(c, end, kind);
    return;
  }
  // A known field with its own wire type never comes here (its action is not Slow).
  throw new WireError(`field ${field}: wire type ${wire}, want ${WIRE_OF_KIND[kind]}`);
}

function scanPacked(c: Cursor, end: number, kind: Kind): void {
  const valueEnd = readLength(c, end);
  if (kind === Kind.PackedVarint) {
    while (c.pos < valueEnd) readVarint(c, valueEnd);
    return;
  }
  const size = kind === Kind.PackedFixed64 ? 8 : 4;
  if ((valueEnd - c.pos) % size !== 0) throw new WireError('premature EOF');
  c.pos = valueEnd;
}
