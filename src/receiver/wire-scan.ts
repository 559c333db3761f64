import { isUtf8 } from 'node:buffer';
import { type DescMessage, ScalarType } from '@bufbuild/protobuf';

/**
 * A protobuf wire-format validator driven by the generated schemas: it walks every field
 * of a message, recursing into known sub-messages, and checks what `fromBinary` checks
 * (tags, varints, lengths within bounds, wire types, UTF-8 in strings, the recursion limit
 * of 100) without building any object. The receiver validates a whole request with it and
 * then decodes only the items it stores, so the cost per span is a scan, not a decode.
 *
 * It is stricter than `fromBinary` on corrupt input only: a known field with the wrong wire
 * type, or a field overrunning its enclosing message, is an error here, where protobuf-es
 * may read garbage. Both are impossible in a message any protobuf library writes.
 */

/** How one field is checked (plain numbers: isolatedModules forbids const enums). */
const Kind = {
  Varint: 0,
  Fixed64: 1,
  Bytes: 2,
  Utf8: 3,
  Fixed32: 4,
  Message: 5,
  PackedVarint: 6,
  PackedFixed64: 7,
  PackedFixed32: 8,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** A message's fields by number: kind, and the sub-table of message fields. */
export interface ScanTable {
  kinds: (Kind | undefined)[];
  subs: (ScanTable | undefined)[];
}

const RECURSION_LIMIT = 100;
const tables = new WeakMap<DescMessage, ScanTable>();

function scalarKind(t: ScalarType): Kind {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return Kind.Fixed64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return Kind.Fixed32;
    case ScalarType.STRING:
      return Kind.Utf8;
    case ScalarType.BYTES:
      return Kind.Bytes;
    default:
      return Kind.Varint;
  }
}

/** The scan table of a generated message schema (built once, cached). */
export function scanTable(desc: DescMessage): ScanTable {
  let table = tables.get(desc);
  if (table) return table;
  table = { kinds: [], subs: [] };
  tables.set(desc, table);
  for (const f of desc.fields) {
    let kind: Kind;
    if (f.fieldKind === 'message' || (f.fieldKind === 'list' && f.listKind === 'message')) {
      kind = Kind.Message;
      table.subs[f.number] = scanTable(f.message);
    } else if (f.fieldKind === 'map') {
      kind = Kind.Bytes; // map entries: length-delimited (OTLP defines no maps)
    } else if (f.fieldKind === 'list') {
      const k = f.listKind === 'enum' ? Kind.Varint : scalarKind(f.scalar);
      kind =
        k === Kind.Varint
          ? Kind.PackedVarint
          : k === Kind.Fixed64
            ? Kind.PackedFixed64
            : k === Kind.Fixed32
              ? Kind.PackedFixed32
              : k;
    } else {
      kind = f.fieldKind === 'enum' ? Kind.Varint : scalarKind(f.scalar);
    }
    table.kinds[f.number] = kind;
  }
  return table;
}

/** A malformed message; the receiver answers it with INVALID_ARGUMENT. */
export class WireError extends Error {
  override name = 'WireError';
}

/** A cursor over one buffer; `pos` moves as fields are read. */
export interface Cursor {
  readonly buf: Uint8Array;
  pos: number;
}

/** Reads a varint of at most 10 bytes, as a number (exact below 2^53); checks bounds. */
export function readVarint(c: Cursor, end: number): number {
  const buf = c.buf;
  let pos = c.pos;
  // Most tags and lengths are one byte.
  if (pos < end && buf[pos]! < 0x80) {
    c.pos = pos + 1;
    return buf[pos]!;
  }
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

/** Reads a tag, checked as protobuf-es checks it; returns field number * 8 + wire type. */
export function readTag(c: Cursor, end: number): number {
  const tag = readVarint(c, end);
  if (tag > 0xffffffff) throw new WireError('illegal tag: varint overflows uint32');
  if (tag < 8 || (tag & 7) > 5) {
    throw new WireError(`illegal tag: field no ${Math.floor(tag / 8)} wire type ${tag & 7}`);
  }
  return tag;
}

/** Reads a length prefix and returns the end of the value it announces. */
export function readLength(c: Cursor, end: number): number {
  const len = readVarint(c, end);
  const valueEnd = c.pos + len;
  if (valueEnd > end) throw new WireError('premature EOF');
  return valueEnd;
}

/** Throws a {@link WireError} unless buf[start, end) is valid UTF-8. */
export function checkUtf8(buf: Uint8Array, start: number, end: number): void {
  // Long strings: the native check is faster than a loop, despite the subarray.
  if (end - start > 48) {
    if (!isUtf8(buf.subarray(start, end))) throw new WireError('invalid UTF-8 in a string');
    return;
  }
  for (let i = start; i < end; i++) {
    if (buf[i]! > 0x7f) {
      if (!isUtf8(buf.subarray(start, end))) throw new WireError('invalid UTF-8 in a string');
      return;
    }
  }
}

/** Skips one value of `wireType` (an unknown field), groups included. */
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

const WIRE_OF_KIND = [0, 1, 2, 2, 5, 2, 0, 1, 5];

/**
 * Checks one field's value against its kind, the tag already read; leaves the cursor after
 * the value. Unknown fields are skipped.
 */
export function scanField(
  table: ScanTable,
  c: Cursor,
  end: number,
  tag: number,
  depth: number,
): void {
  const field = tag >>> 3;
  const wire = tag & 7;
  const kind = table.kinds[field];
  if (kind === undefined) {
    skipValue(c, end, tag, depth);
    return;
  }
  if (wire !== WIRE_OF_KIND[kind]) {
    // Repeated scalars may come packed (length-delimited) or one by one.
    if (wire === 2 && kind >= Kind.PackedVarint) {
      scanPacked(c, end, kind);
      return;
    }
    throw new WireError(`field ${field}: wire type ${wire}, want ${WIRE_OF_KIND[kind]}`);
  }
  if (kind === Kind.Message) {
    const valueEnd = readLength(c, end);
    scanMessage(table.subs[field]!, c, valueEnd, depth + 1);
  } else if (kind === Kind.Utf8) {
    const valueEnd = readLength(c, end);
    checkUtf8(c.buf, c.pos, valueEnd);
    c.pos = valueEnd;
  } else {
    skipValue(c, end, tag, depth);
  }
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

/** Validates the message occupying [c.pos, end) against `table`. */
export function scanMessage(table: ScanTable, c: Cursor, end: number, depth: number): void {
  if (depth > RECURSION_LIMIT) {
    throw new WireError(`maximum recursion depth of ${RECURSION_LIMIT} reached`);
  }
  while (c.pos < end) scanField(table, c, end, readTag(c, end), depth);
}
